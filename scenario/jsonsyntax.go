package scenario

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// checkJSON refuses a script named .json that is not JSON. Scripts are
// read by the YAML parser, JSON being YAML, which also takes what JSON
// does not: a trailing comma, a comment, a string in single quotes or
// none. Artillery parses a .json script as JSON and refuses those, and so
// does Surge, at the line and column of the first.
func checkJSON(file string, data []byte) error {
	if !strings.EqualFold(filepath.Ext(file), ".json") || json.Valid(data) {
		return nil
	}
	var raw json.RawMessage
	err := json.Unmarshal(data, &raw)
	var syntax *json.SyntaxError
	if !errors.As(err, &syntax) {
		return nil // valid after all, or not a syntax error: the YAML parser says
	}
	return Errors{{File: file, Pos: posAt(data, max(syntax.Offset-1, 0)), Msg: fmt.Sprintf("not JSON: %v", syntax)}}
}

// posAt is the line and column (in characters, from 1) of byte offset i.
func posAt(data []byte, i int64) Pos {
	i = min(i, int64(len(data)))
	head := data[:i]
	line := strings.Count(string(head), "\n") + 1
	start := strings.LastIndexByte(string(head), '\n') + 1
	return Pos{Line: line, Col: utf8.RuneCount(head[start:]) + 1}
}
