package scenario

import (
	"strings"
	"testing"
)

// A .json script must be JSON, as Artillery's JSON.parse wants it: what
// only YAML takes is refused at its line and column. The same text named
// .yml is YAML, and loads.
func TestJSONScriptsMustBeJSON(t *testing.T) {
	const ok = `{"config": {"target": "http://x", "phases": [{"duration": 1, "arrivalRate": 2}]},` +
		` "scenarios": [{"flow": [{"get": {"url": "/"}}]}]}`
	for _, c := range []struct{ name, text, want string }{
		{"trailing comma", "{\n  \"config\": {\"target\": \"http://x\",}\n}", `s.json:2:35: not JSON: invalid character '}'`},
		{"comment", "{\n  # a comment\n  \"config\": {}\n}", `s.json:2:3: not JSON: invalid character '#'`},
		{"single quotes", `{"config": {"target": 'http://x'}}`, `s.json:1:23: not JSON: invalid character '\''`},
		{"bare word", "{\"config\": {\"target\": http}}", `s.json:1:23: not JSON: invalid character 'h'`},
		{"after the value", ok + "\n}", `s.json:2:1: not JSON: invalid character '}' after top-level value`},
		{"non-ASCII before", "{\"config\": {\"target\": \"héllo\",}}", `s.json:1:31: not JSON: invalid character '}'`},
	} {
		_, err := Parse("s.json", []byte(c.text))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
	if _, err := Parse("s.json", []byte(ok)); err != nil {
		t.Errorf("valid JSON: %v", err)
	}
	if _, err := Parse("s.JSON", []byte(ok+",")); err == nil {
		t.Error("an upper-case .JSON is JSON too")
	}
	yamlOK := strings.Replace(ok, `"arrivalRate": 2}`, `"arrivalRate": 2,}`, 1)
	if _, err := Parse("s.yml", []byte(yamlOK)); err != nil {
		t.Errorf("YAML's trailing comma in a .yml: %v", err)
	}
}
