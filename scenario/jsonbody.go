package scenario

import (
	"strconv"

	"github.com/surge-dev/surge/templating"
	yaml "go.yaml.in/yaml/v4"
)

// jsonValue decodes a json body as value does, except that mappings, at
// any depth, become templating.Objects in the order written: Artillery
// sends JSON.stringify of the object js-yaml built, whose keys keep that
// order, and a Go map would sort them.
func (d *decoder) jsonValue(n *yaml.Node, what string) any {
	n = resolve(n)
	switch {
	case d.undefined[n] != "":
		return templating.Undefined
	case n.Kind == yaml.MappingNode:
		o := make(templating.Object, 0, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k, ok := d.jsonKey(resolve(n.Content[i]), what); ok {
				o = append(o, templating.Member{Key: k, Value: d.jsonValue(n.Content[i+1], what+"."+k)})
			}
		}
		return o
	case n.Kind == yaml.SequenceNode:
		l := make([]any, len(n.Content))
		for i, item := range n.Content {
			l[i] = d.jsonValue(item, what+"["+strconv.Itoa(i)+"]")
		}
		return l
	}
	return d.value(n, what)
}

// jsonKey is a key's text as a JavaScript object has it: js-yaml turns a
// key that is not a string into one (1 is "1", true "true", ~ "null").
func (d *decoder) jsonKey(k *yaml.Node, what string) (string, bool) {
	switch v := d.value(k, what).(type) {
	case string:
		return v, true
	case nil:
		return "null", true
	case bool:
		return strconv.FormatBool(v), true
	default:
		if f, ok := templating.Number(v); ok {
			return templating.FormatNumber(f), true
		}
	}
	d.errorf(k, "%s: a key must be a string, a number, true, false or null, got %s", what, kindName(k))
	return "", false
}
