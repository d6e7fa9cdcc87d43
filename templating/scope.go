package templating

import "math/rand/v2"

// Scope is what a template reads while rendering. One Scope usually belongs
// to one virtual user and is used from one goroutine at a time.
type Scope interface {
	// Lookup returns the variable with this exact name: config variables,
	// payload fields, captures, and the built-ins a VU defines ($uuid,
	// $loopCount, $loopElement, $environment, target, $testId, ...).
	Lookup(name string) (any, bool)
	// Env returns a process environment variable; it backs $env.NAME and
	// $processEnvironment.NAME.
	Env(name string) (string, bool)
	// Rand is the random source for $randomNumber and $randomString. A nil
	// result makes them use the shared math/rand/v2 source.
	Rand() *rand.Rand
}

// MapScope is a ready-made [Scope] over a variable map.
type MapScope struct {
	Vars    map[string]any
	Environ func(name string) (string, bool) // nil means an empty environment
	Rnd     *rand.Rand
}

// Lookup implements [Scope].
func (s *MapScope) Lookup(name string) (any, bool) {
	v, ok := s.Vars[name]
	return v, ok
}

// Env implements [Scope].
func (s *MapScope) Env(name string) (string, bool) {
	if s.Environ == nil {
		return "", false
	}
	return s.Environ(name)
}

// Rand implements [Scope].
func (s *MapScope) Rand() *rand.Rand { return s.Rnd }

// EnvMap adapts a map to [MapScope.Environ].
func EnvMap(m map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		v, ok := m[name]
		return v, ok
	}
}

// emptyScope is used when a caller renders with a nil Scope.
type emptyScope struct{}

func (emptyScope) Lookup(string) (any, bool) { return nil, false }
func (emptyScope) Env(string) (string, bool) { return "", false }
func (emptyScope) Rand() *rand.Rand          { return nil }
func orEmpty(sc Scope) Scope {
	if sc == nil {
		return emptyScope{}
	}
	return sc
}

var (
	_ Scope = (*MapScope)(nil)
	_ Scope = emptyScope{}
)
