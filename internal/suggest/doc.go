// Package suggest finds the known name an unknown one most likely
// misspells, for "did you mean" in error messages: the closest by edit
// distance (Levenshtein, case-insensitive), when it is close enough to be
// a typo rather than another word. It is pure and has no dependencies, so
// that every parser, however low in the tree, can use it.
package suggest
