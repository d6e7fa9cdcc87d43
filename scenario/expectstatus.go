package scenario

import (
	"fmt"

	yaml "go.yaml.in/yaml/v4"

	"github.com/surge-dev/surge/metrics"
)

// expectStatus reads config.http.expectStatus, a Surge extension: the
// response statuses that are not failures, as a list of codes, ranges and
// classes ([200, 201, "3xx", "400-404"]) or one string in the form
// --expect-status takes ("200-399,404"). Anything else is an error at the
// value's position: a failure definition must not silently fall back to
// the default.
func (d *decoder) expectStatus(n *yaml.Node, what string) *metrics.StatusSet {
	n = resolve(n)
	switch n.Kind {
	case yaml.ScalarNode:
		if !d.statusScalar(n, what) {
			return nil
		}
		s, err := metrics.ParseStatusSet(n.Value)
		if err != nil {
			d.errorf(n, "%s: %v", what, err)
			return nil
		}
		return &s
	case yaml.SequenceNode:
		return d.statusList(n, what)
	}
	d.errorf(n, "%s: expected a list of status codes, ranges and classes (e.g. [200, \"3xx\", \"400-404\"]), got %s",
		what, kindName(n))
	return nil
}

func (d *decoder) statusList(n *yaml.Node, what string) *metrics.StatusSet {
	if len(n.Content) == 0 {
		d.errorf(n, "%s: empty list: every response would be a failure", what)
		return nil
	}
	var s metrics.StatusSet
	ok := true
	d.sequence(n, what, func(i int, item *yaml.Node) {
		where := fmt.Sprintf("%s[%d]", what, i)
		if item.Kind != yaml.ScalarNode {
			d.errorf(item, "%s: expected a status code, range or class, got %s", where, kindName(item))
			ok = false
			return
		}
		if !d.statusScalar(item, where) {
			ok = false
			return
		}
		if err := s.Add(item.Value); err != nil {
			d.errorf(item, "%s: %v", where, err)
			ok = false
		}
	})
	if !ok {
		return nil
	}
	return &s
}

// statusScalar rejects scalars YAML reads as something other than an
// integer or a string (200.0, true, null), which would otherwise be read
// by their text.
func (d *decoder) statusScalar(n *yaml.Node, what string) bool {
	switch n.ShortTag() {
	case "!!int", "!!str":
		return true
	}
	d.errorf(n, "%s: expected a status code, range or class, got %q", what, n.Value)
	return false
}
