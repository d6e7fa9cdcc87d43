// Package filtrex evaluates the small expression language Artillery borrows
// from filtrex 2: request ifTrue conditions and ensure conditions.
//
// It owns the lexer, the precedence rules and the JavaScript value rules of
// that language as filtrex 2.2 implements them: comparisons and logic yield
// the numbers 1 and 0, names are looked up as whole (dotted) keys rather
// than as paths, 'quoted' text is a name and "double quoted" text a string,
// a keyword swallows the character after it (so "not(x)" does not parse),
// and a call to an unknown function yields an error value instead of
// failing the caller. Callers decide what an error means: Artillery runs an
// ifTrue step whose condition is broken, and fails an ensure check.
//
// Expressions are compiled once and evaluated many times; evaluation
// allocates little and is safe for concurrent use. The package imports only
// templating (for JavaScript value conversions).
package filtrex
