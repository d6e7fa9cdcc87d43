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

// BenchmarkAppendJSONBody writes the same body as JSON, as a json body is
// sent: once per request, into a reused buffer.
func BenchmarkAppendJSONBody(b *testing.B) {
	benchAppendJSON(b, MustCompileValue(benchBody()))
}

// BenchmarkAppendJSONObject writes the same body as a script's json body
// decodes, an Object in the order written.
func BenchmarkAppendJSONObject(b *testing.B) {
	body := Object{{"username", "{{ username }}"}, {"password", "{{ password }}"}, {"userId", "{{ user.id }}"},
		{"note", "order-{{ orderId }}-{{ $randomNumber(1, 100) }}"}, {"qty", 3},
		{"meta", Object{{"source", "surge"}, {"tags", []any{"a", "b"}}}},
		{"items", []any{Object{{"sku", "{{ orderId }}"}, {"n", 1}}}}}
	benchAppendJSON(b, MustCompileValue(body))
}

// BenchmarkAppendJSONTemplatedKey writes a body with a templated key,
// which is placed at run time.
func BenchmarkAppendJSONTemplatedKey(b *testing.B) {
	body := benchBody()
	body["{{ field }}"] = "{{ username }}"
	benchAppendJSON(b, MustCompileValue(body))
}

func benchBody() map[string]any {
	return map[string]any{
		"username": "{{ username }}",
		"password": "{{ password }}",
		"userId":   "{{ user.id }}",
		"note":     "order-{{ orderId }}-{{ $randomNumber(1, 100) }}",
		"qty":      3,
		"meta":     map[string]any{"source": "surge", "tags": []any{"a", "b"}},
		"items":    []any{map[string]any{"sku": "{{ orderId }}", "n": 1}},
	}
}

func benchAppendJSON(b *testing.B, v Value) {
	sc := &MapScope{
		Vars: map[string]any{
			"username": "alice",
			"password": "s3cret",
			"user":     map[string]any{"id": 42.0},
			"orderId":  1234,
			"field":    "login",
		},
		Rnd: rand.New(rand.NewPCG(1, 2)),
	}
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = v.AppendJSON(buf[:0], sc)
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
