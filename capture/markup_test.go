package capture

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/surge-dev/surge/templating"
)

const page = `<html><body><ul id="items">
<li><a class="item" href="/a" data-id="a">A</a></li>
<li><a class="item" href="/b" data-id="b">B</a></li>
<li><a class="item special" href="/c" data-id="c">C</a></li>
</ul><input type="hidden" name="csrf" value="t0k"></body></html>`

const feed = `<?xml version="1.0"?><feed><owner value="me-1">me</owner>
<entry><id>e-1</id><title>First</title></entry><entry><id>e-2</id><title>Second</title></entry></feed>`

func TestSelectorAndXPath(t *testing.T) {
	tests := []struct {
		name string
		spec Spec
		body string
		want any
		ok   bool
	}{
		{"first match", Spec{Selector: "a.item", Attr: "href", As: "v"}, page, "/a", true},
		{"index", Spec{Selector: "#items a", Attr: "data-id", Index: 1, As: "v"}, page, "b", true},
		{"index as text", Spec{Selector: "#items a", Attr: "data-id", Index: "2", As: "v"}, page, "c", true},
		{"last", Spec{Selector: "a.item", Attr: "href", Index: "last", As: "v"}, page, "/c", true},
		{"form field", Spec{Selector: "input[name=csrf]", Attr: "value", As: "v"}, page, "t0k", true},
		{"no attr: every attribute", Spec{Selector: "a.special", As: "v"}, page,
			map[string]any{"class": "item special", "href": "/c", "data-id": "c"}, true},
		{"no match", Spec{Selector: "table td", Attr: "id", As: "v"}, page, templating.Undefined, false},
		{"index past the end", Spec{Selector: "a", Attr: "href", Index: 7, As: "v"}, page, templating.Undefined, false},
		{"missing attribute", Spec{Selector: "a", Attr: "title", As: "v"}, page, templating.Undefined, false},
		{"templated selector", Spec{Selector: "input[name={{ field }}]", Attr: "name", As: "v"}, `<input name="token">`, "token", true},
		{"xpath element text", Spec{XPath: "/feed/entry/id", As: "v"}, feed, "e-1", true},
		{"xpath attribute", Spec{XPath: "//owner/@value", As: "v"}, feed, "me-1", true},
		{"xpath second", Spec{XPath: "/feed/entry[2]/title", As: "v"}, feed, "Second", true},
		{"xpath count", Spec{XPath: "count(//entry)", As: "v"}, feed, 2.0, true},
		{"xpath no match", Spec{XPath: "//nothing", As: "v"}, feed, templating.Undefined, false},
		{"xpath on non-XML", Spec{XPath: "//a", As: "v"}, "not < xml", templating.Undefined, false},
	}
	for _, tt := range tests {
		c, err := Compile(tt.spec)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		_, v, ok, err := c.Extract(NewResponse(200, http.Header{}, []byte(tt.body)), scope())
		if err != nil || ok != tt.ok || !cmp.Equal(v, tt.want) {
			t.Errorf("%s: %v ok=%v err=%v, want %v ok=%v", tt.name, v, ok, err, tt.want, tt.ok)
		}
	}
}

func TestBadSelectorsFailAtLoad(t *testing.T) {
	for _, tt := range []struct {
		spec Spec
		want string
	}{
		{Spec{Selector: "a[", As: "v"}, `capture selector "a["`},
		{Spec{XPath: "//a[", As: "v"}, `capture xpath "//a["`},
		{Spec{Selector: "a", Index: "middle", As: "v"}, "capture index: expected a number, last or random"},
	} {
		if _, err := Compile(tt.spec); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %v, want %q", tt.spec, err, tt.want)
		}
	}
}
