package redact

import "strings"

// Mark is what a hidden value is written as.
const Mark = "xxxxx"

// Query returns a raw query ("a=1&b=2", no "?" and no fragment) with the
// value of each parameter for which hide(name, value) is true written
// Mark. Names, their order and their spelling stay as written; so do
// parameters without "=" or with an empty value.
func Query(raw string, hide func(name, value string) bool) string {
	if raw == "" {
		return ""
	}
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		if name, value, ok := strings.Cut(p, "="); ok && value != "" && hide(name, value) {
			parts[i] = name + "=" + Mark
		}
	}
	return strings.Join(parts, "&")
}
