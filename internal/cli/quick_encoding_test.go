package cli

import (
	"net/http"
	"testing"
)

func TestQuickAcceptEncoding(t *testing.T) {
	for _, tt := range []struct {
		flags []string
		want  []string
	}{
		{nil, []string{"gzip"}},
		{[]string{"Accept-Encoding: br"}, []string{"br"}},
		{[]string{"accept-encoding: identity"}, []string{"identity"}},
	} {
		h, err := parseHeaders(tt.flags)
		if err != nil {
			t.Fatal(err)
		}
		if got := h.Values("Accept-Encoding"); len(got) != len(tt.want) || got[0] != tt.want[0] || len(h[http.CanonicalHeaderKey("accept-encoding")]) != 1 {
			t.Errorf("-H %q: Accept-Encoding %q, want %q", tt.flags, got, tt.want)
		}
	}
}
