package capture

import (
	"bytes"
	"fmt"
	"math"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"github.com/antchfx/xmlquery"
	"github.com/antchfx/xpath"
	"github.com/surge-dev/surge/templating"
)

// Selector and XPath captures read markup: HTML with a CSS selector, as
// Artillery's cheerio capture does, and XML with an XPath expression, as
// its artillery-xml-capture module does.

// checkIndex accepts what Artillery's index takes: a number (or numeric
// text), "last" or "random".
func checkIndex(index any) error {
	switch x := index.(type) {
	case nil:
		return nil
	case string:
		if x == "last" || x == "random" || !math.IsNaN(templating.StringToNumber(x)) {
			return nil
		}
	default:
		if _, ok := templating.Number(x); ok {
			return nil
		}
	}
	return fmt.Errorf("capture index: expected a number, last or random, got %v", index)
}

func compileSelector(src string) (cascadia.Selector, error) {
	sel, err := cascadia.Compile(src)
	if err != nil {
		return nil, fmt.Errorf("capture selector %q: %v", src, err)
	}
	return sel, nil
}

func compileXPath(src string) (*xpath.Expr, error) {
	e, err := xpath.Compile(src)
	if err != nil {
		return nil, fmt.Errorf("capture xpath %q: %v", src, err)
	}
	return e, nil
}

// extractSelector takes the match at the spec's index (the first unless
// said otherwise) and returns its attr; without attr, every attribute of
// that element as an object, as cheerio's attr() does. No match (or no
// such attribute) is undefined.
func (c *Capture) extractSelector(resp *Response, src string, sc templating.Scope) (any, error) {
	sel := c.sel
	if sel == nil {
		var err error
		if sel, err = compileSelector(src); err != nil {
			return nil, err
		}
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(resp.Body))
	if err != nil {
		return templating.Undefined, nil
	}
	found := doc.FindMatcher(sel)
	i := pickIndex(c.spec.Index, found.Length(), sc)
	if i < 0 || i >= found.Length() {
		return templating.Undefined, nil
	}
	el := found.Eq(i)
	if c.spec.Attr == "" {
		return attributes(el), nil
	}
	v, ok := el.Attr(c.spec.Attr)
	if !ok {
		return templating.Undefined, nil
	}
	return v, nil
}

// pickIndex reads index as Artillery's selector capture does.
func pickIndex(index any, n int, sc templating.Scope) int {
	switch x := index.(type) {
	case nil:
		return 0
	case string:
		switch x {
		case "last":
			return n - 1
		case "random":
			if n == 0 {
				return -1
			}
			return randIndex(sc, n)
		}
		index = templating.StringToNumber(x)
	}
	f, ok := templating.Number(index)
	if !ok || f != float64(int(f)) {
		return -1
	}
	return int(f)
}

func attributes(el *goquery.Selection) any {
	out := map[string]any{}
	for _, n := range el.Nodes {
		for _, a := range n.Attr {
			out[a.Key] = a.Val
		}
	}
	return out
}

// extractXPath evaluates the expression on the XML body: the text of the
// first node it selects (an element's text, an attribute's value), or a
// number, string or boolean result as it is. Nothing selected, or a body
// that is not XML, is undefined.
func (c *Capture) extractXPath(resp *Response, src string) (any, error) {
	e := c.xp
	if e == nil {
		var err error
		if e, err = compileXPath(src); err != nil {
			return nil, err
		}
	}
	doc, err := xmlquery.Parse(bytes.NewReader(resp.Body))
	if err != nil {
		return templating.Undefined, nil
	}
	switch v := e.Evaluate(xmlquery.CreateXPathNavigator(doc)).(type) {
	case *xpath.NodeIterator:
		if !v.MoveNext() {
			return templating.Undefined, nil
		}
		return v.Current().Value(), nil
	case float64, string, bool:
		return v, nil
	}
	return templating.Undefined, nil
}
