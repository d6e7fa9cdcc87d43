package cli

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
)

// searchFlag is surge capacity's --search: the arrival rate (the open
// model, the default) or the number of looping users (the closed model).
type searchFlag struct{ users bool }

func (s *searchFlag) String() string {
	if s.users {
		return "users"
	}
	return "rate"
}

func (s *searchFlag) Type() string { return "rate|users" }

func (s *searchFlag) Set(v string) error {
	switch v {
	case "rate":
		s.users = false
	case "users":
		s.users = true
	default:
		return fmt.Errorf("%q: want rate (arrivals a second) or users (looping users)", v)
	}
	return nil
}

// oldUsersFlag is the --users switch --search users replaced: --users is
// a number of users in every other command.
type oldUsersFlag struct{ search *searchFlag }

func (o oldUsersFlag) String() string { return strconv.FormatBool(o.search.users) }
func (o oldUsersFlag) Type() string   { return "bool" }
func (o oldUsersFlag) Set(v string) error {
	b, err := strconv.ParseBool(v)
	if err != nil {
		return err
	}
	o.search.users = b
	return nil
}

func addOldUsersFlag(f *pflag.FlagSet, search *searchFlag) {
	f.AddFlag(&pflag.Flag{Name: "users", Usage: "search users", Value: oldUsersFlag{search}, DefValue: "false", NoOptDefVal: "true"})
	_ = f.MarkDeprecated("users", "use --search users (--users is a number of users in the other commands)")
}

// capacityURL reads surge capacity's argument as a URL, when it is one:
// an http(s) URL, or a host without a scheme (localhost:8080/api, taken
// as http://) that is no file and has no script's extension.
func capacityURL(arg string) (string, bool) {
	if !strings.Contains(arg, "://") {
		if _, err := os.Stat(arg); err == nil {
			return "", false
		}
		switch strings.ToLower(filepath.Ext(arg)) {
		case ".yml", ".yaml", ".json":
			return "", false
		}
		arg = withScheme(arg)
	}
	u, err := url.Parse(arg)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	return arg, true
}
