package capture

import (
	"reflect"
	"strings"
	"testing"
)

// extractBoth runs a json capture with the member look-up and with the
// whole body decoded, and reports both results.
func extractBoth(t testing.TB, spec Spec, body string) (fast, full [3]any) {
	c, err := Compile(spec)
	if err != nil {
		return fast, full
	}
	_, v, ok, err := c.Extract(jsonResp(body), scope())
	fast = [3]any{v, ok, err != nil}
	slow := *c
	slow.members = nil
	_, v, ok, err = slow.Extract(jsonResp(body), scope())
	full = [3]any{v, ok, err != nil}
	return fast, full
}

var memberBodies = []string{
	`{"token":"abc","n":1.5e3,"t":true,"z":null,"o":{"id":[1,{"x":"}"}],"s":"a\"b"},"e":""}`,
	`{"token":"first","token":"last"}`,
	`{"o":{"id":1},"o":{"other":2}}`,
	` { "o" : { "id" : "spaced" } , "token" : [ 1 , 2 ] } `,
	`{"tok\u0065n":"escaped key"}`,
	`{"token":"\u00e9t\u00e9","é":"accent"}`,
	`{"a-b":{"c":"dash"}}`,
	`[{"token":"in an array"}]`,
	`"a string"`, `42`, `null`, ``, `{`, `{"token":"x"} trailing`, `{"token":"x",}`,
	`{"o":[{"id":1}],"token":{}}`, `{"o":"scalar"}`, "{\"token\":\"\xff\"}", "{\"\xff\":1,\"token\":2}",
	// scalars decoded without Unmarshal: numbers at the edges of float64,
	// strings with escapes, bad UTF-8 or none, the literals.
	`{"token":-0,"t":false,"e":"\u0000","z":12345678901234567890123}`, `{"token":1e400}`,
	`{"token":1E-7,"n":-1.5e-400,"e":"plain é","z":"a\\b","t":"\ud800"}`,
	"{\"token\":\"ok\xffbad\",\"n\":0.1,\"e\":\"\",\"z\":[]}",
}

var memberPaths = []string{"$.token", "token", "$.o.id", "$['a-b'].c", "a-b.c", "$.é", "$.e", "$.z", "$.t", "$.n",
	"$.o.id.x", "$.missing", "$.o", "$..id", "$.o.id[1]", "$.o.id.1", "$['token']"}

// TestMemberLookupAgreesWithDecoding holds the member look-up to what
// decoding the whole body gives, on tricky bodies and paths.
func TestMemberLookupAgreesWithDecoding(t *testing.T) {
	for _, body := range memberBodies {
		for _, path := range memberPaths {
			for _, multiple := range []*bool{nil, boolp(false)} {
				fast, full := extractBoth(t, Spec{JSON: path, As: "v", Multiple: multiple}, body)
				if !reflect.DeepEqual(fast, full) {
					t.Errorf("%s on %q (multiple %v): look-up %#v, decoding %#v", path, body, multiple, fast, full)
				}
			}
		}
	}
}

func TestMemberChain(t *testing.T) {
	tests := map[string][]string{
		"$.token": {"token"}, "$.a.b": {"a", "b"}, "$['a-b'].c": {"a-b", "c"},
		"$": nil, "$..a": nil, "$.a[0]": nil, "$.*": nil, "$['a','b']": nil, "$['0',0]": nil, "$[?@.a]": nil,
	}
	for path, want := range tests {
		if got := memberChain(path); !reflect.DeepEqual(got, want) {
			t.Errorf("memberChain(%q) = %q, want %q", path, got, want)
		}
	}
}

// TestMemberLookupDecodesOneValue checks that a capture of one member
// does not decode the whole body: its allocations do not grow with the
// body's other members.
func TestMemberLookupDecodesOneValue(t *testing.T) {
	c, err := Compile(Spec{JSON: "$.token", As: "v"})
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"items":[` + strings.Repeat(`{"id":1,"name":"x"},`, 50) + `{}],"token":"abc"}`)
	sc := scope()
	count := func(c *Capture) float64 {
		return testing.AllocsPerRun(20, func() {
			if _, v, ok, _ := c.Extract(&Response{Body: body}, sc); !ok || v != "abc" {
				t.Fatalf("got %v", v)
			}
		})
	}
	slow := *c
	slow.members = nil
	if fast, full := count(c), count(&slow); fast > 8 || fast*10 > full {
		t.Errorf("%.0f allocations to capture one member of 50 objects, %.0f decoding them all", fast, full)
	}
}

func FuzzMemberLookup(f *testing.F) {
	for _, b := range memberBodies {
		f.Add("$.o.id", b)
	}
	f.Add("$.token", `{"token":1}`)
	f.Fuzz(func(t *testing.T, path, body string) {
		fast, full := extractBoth(t, Spec{JSON: path, As: "v"}, body)
		if !reflect.DeepEqual(fast, full) {
			t.Fatalf("%s on %q: look-up %#v, decoding %#v", path, body, fast, full)
		}
	})
}
