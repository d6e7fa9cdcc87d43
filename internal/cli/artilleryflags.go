package cli

import (
	"fmt"
	"os"

	"github.com/joho/godotenv"
	"github.com/spf13/pflag"

	"github.com/surge-dev/surge/internal/fileinput"
	"github.com/surge-dev/surge/scenario"
)

// artilleryFlags are artillery run's flags that choose what runs:
// --scenario-name, --solo, --dotenv and -i.
type artilleryFlags struct {
	scenarioName string
	solo         bool
	dotenv       string
	inputs       []string
}

func addArtilleryFlags(f *pflag.FlagSet, a *artilleryFlags) {
	addChoiceFlags(f, a)
	f.BoolVarP(&a.solo, "solo", "s", false, "one virtual user, whatever the phases say")
	f.StringVar(&a.dotenv, "dotenv", "", "a .env file of NAME=value lines for $env and $processEnvironment (the process environment wins)")
}

// addChoiceFlags adds --scenario-name and -i, which surge k8s passes on.
func addChoiceFlags(f *pflag.FlagSet, a *artilleryFlags) {
	f.StringVar(&a.scenarioName, "scenario-name", "", "run only this scenario: its exact name, or a regular expression matching one name")
	f.StringArrayVarP(&a.inputs, "input", "i", nil, "another script file merged over the script (repeatable; before --config)")
}

// environ is the environment scripts read: the process's, then the
// --dotenv file's (dotenv does not override what is set, as in
// Artillery). The process environment itself is not changed.
func (a artilleryFlags) environ() (func(string) (string, bool), error) {
	if a.dotenv == "" {
		return nil, nil
	}
	// Read bounded, as the script is (godotenv.Read reads /dev/zero
	// forever), then parsed.
	data, err := fileinput.Read(a.dotenv, scenario.MaxScriptBytes, fileinput.Streams)
	if err != nil {
		return nil, fmt.Errorf("--dotenv %w", err)
	}
	vars, err := godotenv.UnmarshalBytes(data)
	if err != nil {
		return nil, fmt.Errorf("--dotenv %s: %w", a.dotenv, err)
	}
	return func(k string) (string, bool) {
		if v, ok := os.LookupEnv(k); ok {
			return v, true
		}
		v, ok := vars[k]
		return v, ok
	}, nil
}
