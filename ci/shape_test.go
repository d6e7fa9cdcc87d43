package ci

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"testing"
)

// node is one XML element as read back.
type node struct {
	name     string
	attrs    map[string]string
	children []*node
	text     string
}

// parse reads a document into nodes with the standard library's tokenizer.
func parse(t *testing.T, doc []byte) *node {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var stack []*node
	var root *node
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, doc)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			if len(stack) == 0 {
				root = n
			} else {
				stack[len(stack)-1].children = append(stack[len(stack)-1].children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tok)
			}
		}
	}
	return root
}

// element is what the JUnit shape allows of one element: the attributes
// (required ones marked), and the children in their order.
type element struct {
	attrs    map[string]bool // name → required
	children []string
}

// junitShape is JUnit XML as its de-facto references write it (the
// testmoapp/junitxml description and the Jenkins/Ant XSD): the elements,
// their attributes and their children. Surge writes a subset.
var junitShape = map[string]element{
	"testsuites": {attrs: map[string]bool{"name": false, "tests": false, "failures": false, "errors": false,
		"skipped": false, "assertions": false, "time": false, "timestamp": false}, children: []string{"testsuite"}},
	"testsuite": {attrs: map[string]bool{"name": true, "tests": true, "failures": false, "errors": false,
		"skipped": false, "assertions": false, "time": false, "timestamp": false, "hostname": false, "id": false,
		"package": false, "file": false}, children: []string{"properties", "testcase", "system-out", "system-err"}},
	"properties": {children: []string{"property"}},
	"property":   {attrs: map[string]bool{"name": true, "value": true}},
	"testcase": {attrs: map[string]bool{"name": true, "classname": true, "assertions": false, "time": false,
		"file": false, "line": false}, children: []string{"skipped", "error", "failure", "system-out", "system-err"}},
	"failure":    {attrs: map[string]bool{"message": false, "type": false}},
	"skipped":    {attrs: map[string]bool{"message": false}},
	"system-out": {},
}

var (
	decimal  = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)
	dateTime = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$`)
)

// checkShape walks the document element by element: each element is
// known, in its place and order, with known attributes and the required
// ones; numbers and times are written as the XSD types them; a test case
// has at most one result; the counts add up.
func checkShape(t *testing.T, n *node, path string) {
	t.Helper()
	shape, ok := junitShape[n.name]
	if !ok {
		t.Errorf("%s: element %q is not JUnit's", path, n.name)
		return
	}
	for a := range n.attrs {
		if _, ok := shape.attrs[a]; !ok {
			t.Errorf("%s: attribute %q is not JUnit's", path, a)
		}
	}
	for a, required := range shape.attrs {
		if _, ok := n.attrs[a]; required && !ok {
			t.Errorf("%s: required attribute %q missing", path, a)
		}
	}
	checkValues(t, n, path)
	checkOrder(t, n, shape.children, path)
	for i, c := range n.children {
		checkShape(t, c, fmt.Sprintf("%s/%s[%d]", path, c.name, i))
	}
	if n.name == "testcase" && resultCount(n) > 1 {
		t.Errorf("%s: %d results in one test case", path, resultCount(n))
	}
	if n.name == "testsuite" || n.name == "testsuites" {
		checkCounts(t, n, path)
	}
}

func checkValues(t *testing.T, n *node, path string) {
	t.Helper()
	for a, v := range n.attrs {
		switch a {
		case "tests", "failures", "errors", "skipped":
			if _, err := strconv.ParseUint(v, 10, 32); err != nil {
				t.Errorf("%s: %s=%q is not a count", path, a, v)
			}
		case "time":
			if !decimal.MatchString(v) {
				t.Errorf("%s: time=%q is not a decimal number of seconds", path, v)
			}
		case "timestamp":
			if !dateTime.MatchString(v) {
				t.Errorf("%s: timestamp=%q is not an ISO 8601 date and time without a zone", path, v)
			}
		}
	}
}

// checkOrder checks that the children are allowed and come in the
// schema's order.
func checkOrder(t *testing.T, n *node, order []string, path string) {
	t.Helper()
	pos := 0
	for _, c := range n.children {
		i := indexOf(order, c.name)
		if i < 0 {
			t.Errorf("%s: %q may not hold %q", path, n.name, c.name)
			continue
		}
		if i < pos {
			t.Errorf("%s: %q after elements that must follow it", path, c.name)
		}
		pos = i
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func resultCount(tc *node) int {
	n := 0
	for _, c := range tc.children {
		if c.name == "failure" || c.name == "error" || c.name == "skipped" {
			n++
		}
	}
	return n
}

// checkCounts checks tests, failures and skipped against the cases.
func checkCounts(t *testing.T, n *node, path string) {
	t.Helper()
	var tests, failures, skipped int
	var walk func(*node)
	walk = func(x *node) {
		if x.name == "testcase" {
			tests++
			for _, c := range x.children {
				failures += btoi(c.name == "failure")
				skipped += btoi(c.name == "skipped")
			}
			return
		}
		for _, c := range x.children {
			walk(c)
		}
	}
	walk(n)
	for a, want := range map[string]int{"tests": tests, "failures": failures, "skipped": skipped, "errors": 0} {
		if got, _ := strconv.Atoi(n.attrs[a]); got != want {
			t.Errorf("%s: %s=%s, but the cases make %d", path, a, n.attrs[a], want)
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// find returns the test cases by name.
func cases(root *node) map[string]*node {
	out := map[string]*node{}
	for _, s := range root.children {
		for _, c := range s.children {
			if c.name == "testcase" {
				out[c.attrs["name"]] = c
			}
		}
	}
	return out
}

// child returns the first child named name, or nil.
func (n *node) child(name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}
