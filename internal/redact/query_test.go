package redact

import (
	"strings"
	"testing"
)

func TestQueryHidesOnlyWhatItIsTold(t *testing.T) {
	all := func(string, string) bool { return true }
	secret := func(name, _ string) bool { return strings.EqualFold(name, "token") }
	for _, tc := range []struct {
		raw  string
		hide func(string, string) bool
		want string
	}{
		{"", all, ""},
		{"a=1&b=&c&d=4", all, "a=xxxxx&b=&c&d=xxxxx"},
		{"page=2&Token=S&x=y=z", secret, "page=2&Token=xxxxx&x=y=z"},
		{"token=a&token=b", secret, "token=xxxxx&token=xxxxx"},
	} {
		if got := Query(tc.raw, tc.hide); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.raw, got, tc.want)
		}
	}
}
