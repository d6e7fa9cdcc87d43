package filtrex

import (
	"fmt"
	"regexp"

	"github.com/surge-dev/surge/capture"
)

// Expr is a compiled expression. It is immutable and safe for concurrent
// use.
type Expr struct {
	src  string
	root node
}

// Source is the text the expression was compiled from.
func (e *Expr) Source() string { return e.src }

// Compile parses an expression.
func Compile(src string) (*Expr, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	root, err := p.ternary()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, fmt.Errorf("unexpected %s at offset %d", describe(t), t.pos)
	}
	return &Expr{src: src, root: root}, nil
}

type parser struct {
	toks []token
	i    int
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i++; return t }

func (p *parser) isOp(text string) bool {
	t := p.peek()
	return t.kind == tOp && t.text == text
}

func (p *parser) expect(text string) error {
	if !p.isOp(text) {
		t := p.peek()
		return fmt.Errorf("expected %q, got %s at offset %d", text, describe(t), t.pos)
	}
	p.i++
	return nil
}

func describe(t token) string {
	switch t.kind {
	case tEOF:
		return "end of expression"
	case tNumber:
		return "a number"
	case tString:
		return "a string"
	case tSymbol:
		return fmt.Sprintf("name %q", t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

// levels lists the binary operators from the loosest to the tightest
// binding, all left-associative, as filtrex declares them.
var levels = [][]string{
	{"or"},
	{"and"},
	{"in"}, // also "not in"
	{"==", "!=", "~="},
	{"<", "<=", ">", ">="},
	{"+", "-"},
	{"*", "/", "%"},
	{"^"},
}

// ternary parses "a ? b : c", the loosest construct; it groups to the
// left, so "a ? b : c ? d : e" is "(a ? b : c) ? d : e".
func (p *parser) ternary() (node, error) {
	cond, err := p.binary(0)
	for err == nil && p.isOp("?") {
		p.i++
		var then, els node
		if then, err = p.ternary(); err != nil {
			return nil, err
		}
		if err = p.expect(":"); err != nil {
			return nil, err
		}
		if els, err = p.binary(0); err != nil {
			return nil, err
		}
		cond = &condNode{cond, then, els}
	}
	return cond, err
}

func (p *parser) binary(level int) (node, error) {
	if level == len(levels) {
		return p.unary()
	}
	left, err := p.binary(level + 1)
	for err == nil {
		op, ok := p.binaryOp(level)
		if !ok {
			return left, nil
		}
		var right node
		if right, err = p.binary(level + 1); err != nil {
			return nil, err
		}
		left, err = newBinary(op, left, right)
	}
	return nil, err
}

// binaryOp consumes an operator of the level, if one comes next.
func (p *parser) binaryOp(level int) (string, bool) {
	t := p.peek()
	if t.kind != tOp {
		return "", false
	}
	if level == 2 && t.text == "not" && p.toks[p.i+1].kind == tOp && p.toks[p.i+1].text == "in" {
		p.i += 2
		return "not in", true
	}
	for _, op := range levels[level] {
		if t.text == op {
			p.i++
			return op, true
		}
	}
	return "", false
}

// newBinary builds an operator node; a regexp match against a literal
// compiles its pattern once here.
func newBinary(op string, l, r node) (node, error) {
	if op != "~=" {
		return &binNode{op: op, l: l, r: r}, nil
	}
	var re *regexp.Regexp
	if c, ok := r.(constNode); ok {
		if s, ok := c.v.(string); ok {
			compiled, err := capture.CompileRegexp(s, "")
			if err != nil {
				return nil, fmt.Errorf("regexp %q: %w", s, err)
			}
			re = compiled
		}
	}
	return &matchNode{l: l, r: r, re: re}, nil
}

// unary parses the prefix operators, which bind tighter than any binary
// one: "not a == b" is "(not a) == b".
func (p *parser) unary() (node, error) {
	switch {
	case p.isOp("not"):
		p.i++
		x, err := p.unary()
		return &notNode{x}, err
	case p.isOp("-"):
		p.i++
		x, err := p.unary()
		return &negNode{x}, err
	}
	return p.primary()
}

func (p *parser) primary() (node, error) {
	t := p.next()
	switch t.kind {
	case tNumber:
		return constNode{t.num}, nil
	case tString:
		return constNode{t.text}, nil
	case tSymbol:
		return p.symbol(t.text)
	case tOp:
		if t.text == "(" {
			return p.group()
		}
	}
	return nil, fmt.Errorf("unexpected %s at offset %d", describe(t), t.pos)
}

// symbol parses a name, a call "name(args)" or a lookup "name of obj".
func (p *parser) symbol(name string) (node, error) {
	switch {
	case p.isOp("("):
		p.i++
		args, err := p.list(")")
		if err != nil {
			return nil, err
		}
		return &callNode{name: name, fn: functions[name], args: args}, nil
	case p.isOp("of"):
		p.i++
		obj, err := p.unary()
		return &ofNode{name: name, obj: obj}, err
	}
	return varNode(name), nil
}

// group parses "(e)" or the list "(a, b, ...)".
func (p *parser) group() (node, error) {
	items, err := p.list(")")
	if err != nil {
		return nil, err
	}
	switch len(items) {
	case 0:
		return nil, fmt.Errorf("empty parentheses")
	case 1:
		return items[0], nil
	}
	return listNode(items), nil
}

// list parses comma-separated expressions up to the closing text.
func (p *parser) list(closing string) ([]node, error) {
	var items []node
	if p.isOp(closing) {
		p.i++
		return nil, nil
	}
	for {
		x, err := p.ternary()
		if err != nil {
			return nil, err
		}
		items = append(items, x)
		if p.isOp(",") {
			p.i++
			continue
		}
		return items, p.expect(closing)
	}
}
