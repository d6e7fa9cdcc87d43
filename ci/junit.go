package ci

import (
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"time"

	"github.com/surge-dev/surge/results"
)

// Case is one check as a JUnit test case.
type Case struct {
	Name      string
	Classname string
	// Message carries the measured value and the limit; Type names what
	// failed (ThresholdFailed, AlertFailed, AbortedByAlert, …).
	Message, Type string
	// Detail is the longer text: the reasons, the alert's changes.
	Detail  string
	Failed  bool
	Skipped bool // not judged: no data, or an inconclusive comparison that does not fail
}

// Suite is a named group of cases.
type Suite struct {
	Name       string
	Cases      []Case
	Time       time.Duration
	Timestamp  time.Time
	Properties [][2]string // name, value
}

// Report is a whole JUnit document.
type Report struct {
	Name      string
	Time      time.Duration
	Timestamp time.Time
	Suites    []Suite
}

// Empty reports whether the report holds no test case: a run without
// checks, which some readers (Jenkins) take for a failed step.
func (r Report) Empty() bool {
	for _, s := range r.Suites {
		if len(s.Cases) > 0 {
			return false
		}
	}
	return true
}

type xmlSuites struct {
	XMLName   xml.Name   `xml:"testsuites"`
	Name      string     `xml:"name,attr"`
	Tests     int        `xml:"tests,attr"`
	Failures  int        `xml:"failures,attr"`
	Errors    int        `xml:"errors,attr"`
	Skipped   int        `xml:"skipped,attr"`
	Time      string     `xml:"time,attr"`
	Timestamp string     `xml:"timestamp,attr,omitempty"`
	Suites    []xmlSuite `xml:"testsuite"`
}

type xmlSuite struct {
	Name       string        `xml:"name,attr"`
	Tests      int           `xml:"tests,attr"`
	Failures   int           `xml:"failures,attr"`
	Errors     int           `xml:"errors,attr"`
	Skipped    int           `xml:"skipped,attr"`
	Time       string        `xml:"time,attr"`
	Timestamp  string        `xml:"timestamp,attr,omitempty"`
	Properties *xmlProps     `xml:"properties"`
	Cases      []xmlTestcase `xml:"testcase"`
}

type xmlProps struct {
	Props []xmlProp `xml:"property"`
}

type xmlProp struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type xmlTestcase struct {
	Name      string      `xml:"name,attr"`
	Classname string      `xml:"classname,attr"`
	Failure   *xmlFailure `xml:"failure"`
	Skipped   *xmlSkipped `xml:"skipped"`
	SystemOut string      `xml:"system-out,omitempty"`
}

type xmlFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type xmlSkipped struct {
	Message string `xml:"message,attr"`
}

// WriteJUnit writes the report as JUnit XML.
func WriteJUnit(w io.Writer, r Report) error {
	doc := xmlSuites{Name: r.Name, Time: seconds(r.Time), Timestamp: timestamp(r.Timestamp)}
	for _, s := range r.Suites {
		xs := suite(s)
		doc.Tests += xs.Tests
		doc.Failures += xs.Failures
		doc.Skipped += xs.Skipped
		doc.Suites = append(doc.Suites, xs)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// WriteJUnitFile writes the report to path atomically.
func WriteJUnitFile(path string, r Report) error {
	var b bytes.Buffer
	if err := WriteJUnit(&b, r); err != nil {
		return err
	}
	return results.WriteAtomic(path, b.Bytes())
}

func suite(s Suite) xmlSuite {
	xs := xmlSuite{Name: s.Name, Time: seconds(s.Time), Timestamp: timestamp(s.Timestamp)}
	if len(s.Properties) > 0 {
		xs.Properties = &xmlProps{}
		for _, p := range s.Properties {
			xs.Properties.Props = append(xs.Properties.Props, xmlProp{Name: p[0], Value: p[1]})
		}
	}
	for _, c := range s.Cases {
		xc := xmlTestcase{Name: c.Name, Classname: c.Classname}
		switch {
		case c.Failed:
			xc.Failure = &xmlFailure{Message: c.Message, Type: c.Type, Text: c.Detail}
			xs.Failures++
		case c.Skipped:
			xc.Skipped = &xmlSkipped{Message: c.Message}
			xc.SystemOut = c.Detail
			xs.Skipped++
		default:
			xc.SystemOut = joinLines(c.Message, c.Detail)
		}
		xs.Tests++
		xs.Cases = append(xs.Cases, xc)
	}
	return xs
}

func joinLines(a, b string) string {
	if b == "" {
		return a
	}
	return a + "\n" + b
}

// seconds writes a duration as JUnit's time: seconds, three decimals.
func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) }

// timestamp writes ISO 8601 without a zone, as the JUnit schema's
// xs:dateTime pattern asks; the time is UTC.
func timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05")
}
