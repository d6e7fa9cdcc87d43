package templating

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// obj builds an Object from key, value pairs.
func obj(kv ...any) Object {
	o := make(Object, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		o = append(o, Member{kv[i].(string), kv[i+1]})
	}
	return o
}

// TestJSONKeyOrder: only the canonical decimal text of an integer from 0
// to 2^32-2 is an array index, listed first and ascending; the other keys
// keep their order (an Object's) or are sorted (a map's).
func TestJSONKeyOrder(t *testing.T) {
	index := map[string]bool{"0": true, "1": true, "10": true, "2": true, "4294967294": true,
		"01": false, "-1": false, "4294967295": false, "1.5": false, "": false, "+1": false, " 1": false, "1e3": false, "b": false}
	for k, want := range index {
		if _, got := arrayIndex(k); got != want {
			t.Errorf("arrayIndex(%q) = %v, want %v", k, got, want)
		}
	}
	o := obj("b", 1, "10", 2, "01", 3, "2", 4, "-1", 5, "4294967295", 6, "0", 7, "1.5", 8, "4294967294", 9, "1", 10, "a", 11)
	want := `{"0":7,"1":10,"2":4,"10":2,"4294967294":9,"b":1,"01":3,"-1":5,"4294967295":6,"1.5":8,"a":11}`
	if got := string(AppendJSON(nil, o)); got != want {
		t.Errorf("Object:\n got %s\nwant %s", got, want)
	}
	if got, _ := MustCompileValue(o).AppendJSON(nil, nil); string(got) != want {
		t.Errorf("compiled Object:\n got %s\nwant %s", got, want)
	}
	m := plain(o).(map[string]any)
	wantMap := `{"0":7,"1":10,"2":4,"10":2,"4294967294":9,"-1":5,"01":3,"1.5":8,"4294967295":6,"a":11,"b":1}`
	if got := string(AppendJSON(nil, m)); got != wantMap {
		t.Errorf("map:\n got %s\nwant %s", got, wantMap)
	}
}

// TestObjectKeepsWrittenOrder writes Objects, static and templated, nested
// in Objects and lists, as Artillery sends them.
func TestObjectKeepsWrittenOrder(t *testing.T) {
	address := obj("zip", "1", "city", "c")
	tests := []struct {
		name string
		src  any
		want string
	}{
		{"static", obj("name", "x", "age", 3, "10", "x", "2", "y", "address", address),
			`{"2":"y","10":"x","name":"x","age":3,"address":{"zip":"1","city":"c"}}`},
		{"templated", obj("name", "{{ name }}", "age", 3, "10", "x", "2", "y", "address", address),
			`{"2":"y","10":"x","name":"alice","age":3,"address":{"zip":"1","city":"c"}}`},
		{"deep", obj("z", []any{obj("b", "{{ n }}", "a", []any{obj("y", 1, "x", "{{ nope }}")}), address}, "a", obj("q", "{{ l }}", "p", 1)),
			`{"z":[{"b":7,"a":[{"y":1}]},{"zip":"1","city":"c"}],"a":{"q":["x",2],"p":1}}`},
		{"top-level list", []any{obj("b", "{{ n }}", "a", 1), "{{ nope }}"}, `[{"b":7,"a":1},null]`},
		{"key written twice", obj("b", 1, "a", "{{ n }}", "b", 2), `{"b":2,"a":7}`},
		{"undefined everywhere", obj("b", "{{ nope }}", "a", "{{ nope }}"), `{}`},
		// A variable's object is a Go map: sorted (a known difference).
		{"variable's object", obj("u", "{{ user }}", "a", 1), `{"u":{"id":42,"tags":["a","b"]},"a":1}`},
	}
	for _, tt := range tests {
		v := MustCompileValue(tt.src)
		got, ok := v.AppendJSON([]byte("prefix:"), testScope())
		if !ok || string(got) != "prefix:"+tt.want {
			t.Errorf("%s:\n got %s (defined %v)\nwant prefix:%s", tt.name, got, ok, tt.want)
		}
		sameContent(t, tt.name, v)
	}
}

// TestTemplatedKeysPlacedAsArtillery: the wants are what Artillery 2.0.34's
// template() gave (engine_util, run under Node 20): a templated key is set
// again under its text, at the end unless that key exists, and its value
// wins over a static key's.
func TestTemplatedKeysPlacedAsArtillery(t *testing.T) {
	sc := &MapScope{Vars: map[string]any{"k": "x", "kk": "x", "n": 5, "one": "1", "a": "a"}}
	tests := []struct {
		src  Object
		want string
	}{
		{obj("a", 1, "{{ k }}", 2, "b", 3), `{"a":1,"b":3,"x":2}`},
		{obj("x", 1, "{{ k }}", 2), `{"x":2}`},
		{obj("{{ k }}", 2, "x", 1), `{"x":2}`},
		{obj("a", 1, "{{ k }}", "{{ missing }}", "b", 3), `{"a":1,"b":3}`},
		{obj("x", 1, "{{ k }}", "{{ missing }}", "b", 3), `{"b":3}`},
		{obj("a", 1, "{{ one }}", "one", "b", 3), `{"1":"one","a":1,"b":3}`},
		{obj("a", 1, "p{{ k }}", obj("q", "{{ n }}", "r", 1), "b", 3), `{"a":1,"b":3,"px":{"q":5,"r":1}}`},
		{obj("a", 1, "p{{ k }}", "v", "c", "y", "q{{ k }}", "w", "b", 3), `{"a":1,"c":"y","b":3,"px":"v","qx":"w"}`},
		{obj("m", obj("{{ k }}", 1, "a", 2), "z", "{{ n }}"), `{"m":{"a":2,"x":1},"z":5}`},
		{obj("{{ a }}", 1, "b", 2, "a", 3), `{"b":2,"a":1}`},
		{obj("{{ k }}", 1, "{{ k }}x", 2, "x{{ a }}", 3), `{"x":1,"xx":2,"xa":3}`},
		{obj("{{ k }}", "{{ missing }}", "x{{ a }}", 3, "{{ kk }}", 1), `{"x":1,"xa":3}`},
	}
	for _, tt := range tests {
		v := MustCompileValue(tt.src)
		if got, _ := v.AppendJSON(nil, sc); string(got) != tt.want {
			t.Errorf("%v:\n got %s\nwant %s", tt.src, got, tt.want)
		}
		sameContent(t, string(AppendJSON(nil, tt.src)), v)
	}
}

// sameContent holds AppendJSON to Render: the same members, whatever
// their order.
func sameContent(t *testing.T, name string, v Value) {
	t.Helper()
	direct, _ := v.AppendJSON(nil, testScopeWith())
	rendered := AppendJSON(nil, v.Render(testScopeWith()))
	var a, b any
	if err := json.Unmarshal(direct, &a); err != nil {
		t.Fatalf("%s: %s: %v", name, direct, err)
	}
	json.Unmarshal(rendered, &b)
	if diff := cmp.Diff(b, a); diff != "" {
		t.Errorf("%s: AppendJSON and Render differ (-rendered +direct):\n%s", name, diff)
	}
}

func testScopeWith() *MapScope {
	sc := testScope()
	sc.Vars["k"], sc.Vars["one"] = "x", "1"
	return sc
}

// TestObjectRendersAsMap: Render gives plain maps, sharing what has no
// Object in it.
func TestObjectRendersAsMap(t *testing.T) {
	list := []any{1, "two"}
	src := obj("s", obj("l", list, "o", []any{obj("a", 1)}), "t", "{{ n }}", "b", 1, "b", 2)
	got := MustCompileValue(src).Render(testScope())
	want := map[string]any{"s": map[string]any{"l": list, "o": []any{map[string]any{"a": 1}}}, "t": 7, "b": 2}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Render (-want +got):\n%s", diff)
	}
	s := plain(src[0].Value).(map[string]any)
	if &s["l"].([]any)[0] != &list[0] {
		t.Error("a list without Objects was copied, want it shared")
	}
	if Stringify(src) != `{"s":{"l":[1,"two"],"o":[{"a":1}]},"t":"{{ n }}","b":2}` || JSString(src) != "[object Object]" {
		t.Errorf("Stringify %s, JSString %s", Stringify(src), JSString(src))
	}
}

// TestObjectJSONAllocations: a body of static keys is written without
// allocating, however deep its Objects and lists.
func TestObjectJSONAllocations(t *testing.T) {
	body := MustCompileValue(obj("user", "{{ name }}", "n", "{{ n }}", "deep", []any{obj("b", "{{ l }}", "a", obj("x", 1))}, "s", obj("k", 1)))
	sc := testScope()
	buf := make([]byte, 0, 256)
	if n := testing.AllocsPerRun(20, func() { body.AppendJSON(buf[:0], sc) }); n > 0 {
		t.Errorf("%.0f allocations, want none", n)
	}
}
