package templating

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkRenderJSONBody renders a typical templated request body: a few
// typed variables, one interpolated string, a function call and a static
// nested object.
func BenchmarkRenderJSONBody(b *testing.B) {
	body := map[string]any{
		"username": "{{ username }}",
		"password": "{{ password }}",
		"userId":   "{{ user.id }}",
		"note":     "order-{{ orderId }}-{{ $randomNumber(1, 100) }}",
		"qty":      3,
		"meta":     map[string]any{"source": "surge", "tags": []any{"a", "b"}},
	}
	v := MustCompileValue(body)
	sc := &MapScope{
		Vars: map[string]any{
			"username": "alice",
			"password": "s3cret",
			"user":     map[string]any{"id": 42.0},
			"orderId":  1234,
		},
		Rnd: rand.New(rand.NewPCG(1, 2)),
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = v.Render(sc)
	}
}

// BenchmarkRenderURL renders a templated URL to text.
func BenchmarkRenderURL(b *testing.B) {
	tpl := MustCompile("/users/{{ user.id }}/orders?page={{ page }}")
	sc := &MapScope{Vars: map[string]any{"user": map[string]any{"id": 42.0}, "page": 3}}
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		buf = tpl.AppendString(buf[:0], sc)
	}
}
