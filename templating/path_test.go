package templating

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParsePath(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"a", []string{"a"}},
		{"a.b.c", []string{"a", "b", "c"}},
		{"a[0].b", []string{"a", "0", "b"}},
		{"a[-1]", []string{"a", "-1"}},
		{`a["x.y"]`, []string{"a", "x.y"}},
		{`a['q\'s']`, []string{"a", "q's"}},
		{"a[abc]", []string{"a", "abc"}},
		{".a", []string{"", "a"}},
		{"a..b", []string{"a", "", "b"}},
		{"a.", []string{"a", ""}},
		{"", nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, ParsePath(tt.in)); diff != "" {
			t.Errorf("ParsePath(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestGet(t *testing.T) {
	root := map[string]any{
		"a":    map[string]any{"b": []any{10.0, map[string]any{"c": nil}}},
		"x.y":  "lit",
		"s":    "héllo😀",
		"list": []any{"p", "q"},
	}
	tests := []struct {
		path  string
		want  any
		found bool
	}{
		{"a.b[0]", 10.0, true},
		{"a.b.1.c", nil, true},
		{"a.b.1.c.d", nil, false},
		{"a.b.01", nil, false},
		{"a.b.-1", nil, false},
		{"a.b.2", nil, false},
		{"x.y", "lit", true},
		{"list.length", 2, true},
		{"s.length", 7, true},
		{"nope", nil, false},
		{"a.nope", nil, false},
	}
	for _, tt := range tests {
		got, found := Get(root, tt.path)
		if found != tt.found || !cmp.Equal(got, tt.want) {
			t.Errorf("Get(%q) = %#v, %v; want %#v, %v", tt.path, got, found, tt.want, tt.found)
		}
	}
}

func TestSetPath(t *testing.T) {
	m := map[string]any{"keep.dots": 1, "list": []any{"z"}}
	SetPath(m, "plain", "p")
	SetPath(m, "a.b.c", 1.0)
	SetPath(m, "a.b.d", 2.0)
	SetPath(m, "keep.dots", 3)
	SetPath(m, "list.x", "replaced")
	want := map[string]any{
		"plain":     "p",
		"a":         map[string]any{"b": map[string]any{"c": 1.0, "d": 2.0}},
		"keep.dots": 3,
		"list":      map[string]any{"x": "replaced"},
	}
	if diff := cmp.Diff(want, m); diff != "" {
		t.Errorf("SetPath result (-want +got):\n%s", diff)
	}
}
