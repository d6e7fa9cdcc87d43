// Package targets reads request lists in Vegeta's two target formats, so
// that a targets file written for vegeta attack drives surge quick
// unchanged.
//
// The HTTP format is a request line ("METHOD URL") followed by header
// lines ("Name: value") and at most one "@path" line naming a file whose
// content is the body; a blank line or the next request line ends a
// target, and a line starting with # is a comment. The JSON format is one
// object a line, {"method", "url", "header": {"Name": ["value"]}, "body":
// base64}, method and url required and no other field allowed. Parse
// tells them apart by the first character of the first line that is not
// blank or a comment.
//
// Parsing is pure: bodies named by @path are read through the function
// the caller passes, and every error names the file and line.
package targets
