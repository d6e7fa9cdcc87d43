package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/surge-dev/surge/internal/fileinput"
)

// MaxFileBytes bounds a results file or a stream that ReadFile reads: the
// whole file is held in memory, then decoded. A run of days at a few KB a
// second stays under it; /dev/zero, a directory or a 100 GB log named by
// mistake is refused instead of taking the machine's memory.
const MaxFileBytes = 4 << 30

var errNoFinal = errors.New("results: the test has not ended (no final snapshot)")

// Counters lists the totals under Artillery's report names.
func Counters(r *Results) map[string]int64 {
	a := r.Aggregate
	c := map[string]int64{
		"http.requests":         a.Requests,
		"http.responses":        a.Requests - a.Errors,
		"vusers.created":        a.VUsers.Created,
		"vusers.completed":      a.VUsers.Completed,
		"vusers.failed":         a.VUsers.Failed,
		"vusers.skipped":        a.Dropped,
		"http.downloaded_bytes": a.BytesRecv,
	}
	for code, n := range a.Codes {
		c["http.codes."+code] = n
	}
	for kind, n := range a.ErrorKind {
		c["errors."+kind] = n
	}
	return c
}

// WriteFile writes r as indented JSON to path atomically: readers see the
// old file or the whole new one, never a part.
func WriteFile(path string, r *Results) error {
	data, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	return WriteAtomic(path, append(data, '\n'))
}

// ReadFile reads a results file or a stream (told apart by content, not
// by name), checking its schema. A stream cut short gives the results
// rebuilt from what it holds, with Test.CutShort set. Only regular files
// and pipes (<(zcat run.json.gz)) of at most MaxFileBytes are read.
func ReadFile(path string) (*Results, error) {
	data, err := fileinput.Read(path, MaxFileBytes, fileinput.Streams)
	if err != nil {
		return nil, err
	}
	return decode(path, data)
}

// decode reads the bytes of a results file or a stream, as ReadFile
// does; path names it in errors.
func decode(path string, data []byte) (*Results, error) {
	r, err := decodeUnchecked(path, data)
	if err != nil {
		return nil, err
	}
	mendPartialCodes(r)
	if err := validate(r); err != nil {
		return nil, fmt.Errorf("%s: %w (the file does not hold together: edited or damaged?)", path, err)
	}
	return r, nil
}

// decodeUnchecked is decode without the check that the figures hold
// together.
func decodeUnchecked(path string, data []byte) (*Results, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: the file is empty: neither a results file nor a stream", path)
	}
	switch schema := streamSchemaOf(data); schema {
	case StreamSchema:
		return parseStream(path, data)
	case "":
	default:
		return nil, fmt.Errorf("%s: a stream of format %q, which this Surge does not read (it reads %s): "+
			"read it with the Surge that wrote it", path, schema, StreamSchema)
	}
	var r Results
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: not a results file: %w", path, err)
	}
	switch {
	case r.Schema == "":
		// Another tool's JSON (k6's summary, Artillery's report) has no
		// schema field at all.
		return nil, fmt.Errorf("%s: not a Surge results file (no \"schema\": %q): write one with surge run or quick -o, or --stream",
			path, Schema)
	case r.Schema != Schema:
		return nil, fmt.Errorf("%s: schema %q, want %q", path, r.Schema, Schema)
	}
	return &r, nil
}

// SortedCodes lists status codes in ascending order, for display.
func SortedCodes(m map[string]int64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if len(keys[i]) != len(keys[j]) {
			return len(keys[i]) < len(keys[j])
		}
		return strings.Compare(keys[i], keys[j]) < 0
	})
	return keys
}
