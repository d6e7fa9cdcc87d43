package dashboard

import (
	"bytes"
	"encoding/json"
	"testing"
)

// decodeStrict decodes a request body as the handlers do: unknown fields
// are an error.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// okRate is the rule every accepted rate must satisfy.
func okRate(v float64) bool { return v == 0 || (v >= MinRate && v <= MaxRate) }

// FuzzStartRequest feeds the page's start request arbitrary bodies: a
// request that validates must lie within every bound, whatever it said.
func FuzzStartRequest(f *testing.F) {
	for _, seed := range []string{
		`{"users":10,"spawn_rate":2,"duration":"5m"}`,
		`{"rate":100,"host":"http://127.0.0.1:8080","duration":"1h"}`,
		`{"users":10,"rate":5}`, `{"rate":1e308}`, `{"duration":"1000000h"}`,
		`{"host":"localhost:8080"}`, `{"users":-1}`, `{"spawn_rate":0.001}`, `{}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var r StartRequest
		if decodeStrict(data, &r) != nil || r.Validate() != nil {
			return
		}
		if r.Users < 0 || r.Users > MaxUsers || !okRate(r.SpawnRate) || !okRate(r.Rate) {
			t.Fatalf("accepted %+v: users or rates out of bounds", r)
		}
		if r.Users > 0 && r.Rate > 0 {
			t.Fatalf("accepted %+v: both models at once", r)
		}
		d, err := r.Length()
		if err != nil || (d != 0 && (d < MinDuration || d > MaxDuration)) {
			t.Fatalf("accepted %+v: length %v, %v", r, d, err)
		}
		if r.Host != "" {
			if u, err := parseHost(r.Host); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
				t.Fatalf("accepted host %q", r.Host)
			}
		}
	})
}

// FuzzLoadRequest is FuzzStartRequest for a running test's load change.
func FuzzLoadRequest(f *testing.F) {
	for _, seed := range []string{`{"users":0}`, `{"rate":50.5}`, `{"spawn_rate":-3}`, `{"users":2000000}`, `{"rate":null}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var r LoadRequest
		if decodeStrict(data, &r) != nil || r.Validate() != nil {
			return
		}
		if r.Users != nil && (*r.Users < 0 || *r.Users > MaxUsers) {
			t.Fatalf("accepted users %d", *r.Users)
		}
		for _, v := range []*float64{r.SpawnRate, r.Rate} {
			if v != nil && !okRate(*v) {
				t.Fatalf("accepted rate %v", *v)
			}
		}
	})
}
