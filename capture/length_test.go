package capture

import (
	"reflect"
	"testing"
)

// TestJSONPathLength reads a final ".length" as jsonpath-plus does:
// JavaScript's property of an array or a string, an object's own member.
func TestJSONPathLength(t *testing.T) {
	body := `{"items":[1,2,3],"name":"héllo😀","obj":{"length":"own"},"empty":{},"nested":[[1],[1,2]],"n":5}`
	for _, tc := range []struct {
		path     string
		multiple *bool
		want     any
		ok       bool
	}{
		{"$.items.length", nil, 3.0, true},
		{"items.length", nil, 3.0, true},
		{"$.name.length", nil, 7.0, true}, // h é l l o, and 😀 as two UTF-16 units
		{"$.obj.length", nil, "own", true},
		{"$.nested[*].length", boolp(false), []any{1.0, 2.0}, true},
		{"$.empty.length", nil, nil, false},
		{"$.n.length", nil, nil, false},
		{"$.missing.length", nil, nil, false},
	} {
		c, err := Compile(Spec{JSON: tc.path, As: "v", Multiple: tc.multiple})
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		_, v, ok, err := c.Extract(jsonResp(body), scope())
		if err != nil || ok != tc.ok || tc.ok && !reflect.DeepEqual(v, tc.want) {
			t.Errorf("%s: got %#v, ok %v, err %v; want %#v, %v", tc.path, v, ok, err, tc.want, tc.ok)
		}
	}
}

// TestJSONPathLengthOfARootArray: "$.length" of a body that is a list.
func TestJSONPathLengthOfARootArray(t *testing.T) {
	c, err := Compile(Spec{JSON: "$.length", As: "n"})
	if err != nil {
		t.Fatal(err)
	}
	if _, v, ok, err := c.Extract(jsonResp(`[{"a":1},{"a":2}]`), scope()); !ok || err != nil || v != 2.0 {
		t.Fatalf("got %#v, %v, %v", v, ok, err)
	}
}
