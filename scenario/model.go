package scenario

import (
	"net/url"
	"strings"
	"time"

	"github.com/surge-dev/surge/internal/redact"
	"github.com/surge-dev/surge/metrics"
)

// Pos is where a value stood in its file (1-based).
type Pos struct {
	Line, Col int
}

// Script is one parsed test script, after environments, overrides and
// command-line variables were merged in and config templates rendered.
type Script struct {
	File        string // the script's path as given
	Dir         string // directory of the script: payload paths are relative to it
	ConfigDir   string // directory of the config file ($dirname)
	Environment string // the -e name, if any
	Config      Config
	Scenarios   []Scenario
	Before      *Scenario // run once by one VU before the load; its variables seed every VU
	After       *Scenario // run once by one VU after the load
	// Warnings are problems that do not stop the script: keys Artillery
	// accepts but Surge ignores, an unused processor, an unknown
	// environment name.
	Warnings Errors
}

// Config is the script's config section.
type Config struct {
	Target    string
	TargetPos Pos
	Phases    []Phase
	HTTP      HTTP
	Defaults  Defaults
	Variables []Variable
	Payloads  []Payload
	Plugins   Plugins
	// Ensure holds the checks run at the end; nil unless the ensure plugin
	// is enabled (config.plugins.ensure), as in Artillery.
	Ensure       *Ensure
	Processor    string // a JS processor path: only allowed while nothing uses it
	ProcessorPos Pos
	// Monitor is a Prometheus endpoint of the target to scrape every second
	// during the test (a Surge extension; --monitor overrides it).
	Monitor Monitor
	// Alerts are alarms on the run's metrics or the monitored series,
	// and Notifiers the places their notify actions post to (Surge
	// extensions; see docs/alerts.md).
	Alerts    []Alert
	Notifiers []Notifier
}

// Monitor is config.monitor: either a URL, or a URL with the series to keep.
type Monitor struct {
	URL    string
	Series []string
}

// HTTP holds config.http settings.
type HTTP struct {
	Timeout  time.Duration // 0: the engine default (10 s)
	Pool     int           // >0: one shared pool of this many connections
	Protocol string        // auto | http1 | http2 (Surge extension)
	Insecure bool          // config.tls.rejectUnauthorized: false
	// ExpectStatus is config.http.expectStatus (Surge extension): the
	// statuses that are not failures; nil for the default, 100 to 399.
	ExpectStatus *metrics.StatusSet
}

// Defaults holds config.defaults (or config.http.defaults): what every
// request gets unless the step says otherwise.
type Defaults struct {
	Headers       []Header
	HasHeaders    bool     // set headers replace Artillery's user-agent default
	Cookies       []Header // sent with every request; turns the jar on
	HasCookies    bool
	StrictCapture *bool  // nil: true
	ThinkJitter   string // "NN%" or milliseconds; empty: none
	HasThink      bool
}

// Header is one request header or cookie; order is kept as written.
type Header struct {
	Name, Value string
	// Null is a header written with no value (x-id: or x-id: null),
	// which Artillery's HTTP client refuses: every VU fails on it.
	Null bool
	Pos  Pos
}

// Variable is one entry of config.variables. A list value means each VU
// picks one element at random.
type Variable struct {
	Name  string
	Value any
}

// Payload is one config.payload entry (a CSV file).
type Payload struct {
	Pos            Pos
	Path           string // resolved against Script.Dir
	Fields         []string
	Order          string
	SkipHeader     bool
	Delimiter      string
	Cast           *bool
	SkipEmptyLines *bool
	LoadAll        bool
	Name           string
}

// Plugins are the config.plugins Surge implements.
type Plugins struct {
	Expect *ExpectPlugin // nil: expect checks are ignored
	Ensure bool          // checks in config.ensure run at the end
	// MetricsByEndpoint holds config.plugins.metrics-by-endpoint's
	// options; nil when the script does not configure the plugin (see
	// ByEndpoint).
	MetricsByEndpoint *MetricsByEndpoint
	Apdex             bool // count apdex.satisfied, tolerated and frustrated
	// ApdexThreshold is the apdex plugin's T: config.apdex.threshold,
	// else config.plugins.apdex.threshold, else 500 ms (milliseconds in
	// the script).
	ApdexThreshold time.Duration
}

// MetricsByEndpoint holds the options of Artillery's metrics-by-endpoint
// plugin that shape its metric names: <Namespace>.response_time.<key> and
// <Namespace>.<key>.codes.<code>, where the key is the request's URL as
// written (its query dropped with StripQueryString), followed by
// " (<name>)" for a named request, or only the name with
// UseOnlyRequestNames.
type MetricsByEndpoint struct {
	UseOnlyRequestNames   bool
	StripQueryString      bool
	IgnoreUnnamedRequests bool   // unnamed requests have no metrics
	Namespace             string // metricsNamespace
}

// DefaultMetricsNamespace is the metrics-by-endpoint plugin's prefix.
const DefaultMetricsNamespace = "plugins.metrics-by-endpoint"

// ByEndpoint is the metrics-by-endpoint options in effect: the script's,
// else those Artillery adds when the script does not configure the plugin
// (stripQueryString: true).
func (p Plugins) ByEndpoint() MetricsByEndpoint {
	if p.MetricsByEndpoint == nil {
		return MetricsByEndpoint{StripQueryString: true, Namespace: DefaultMetricsNamespace}
	}
	return *p.MetricsByEndpoint
}

// ExpectPlugin holds config.plugins.expect options.
type ExpectPlugin struct {
	Formatter              string
	ExpectDefault200       bool
	ReportFailuresAsErrors bool
	UseOnlyRequestNames    bool
}

// Ensure holds the end-of-test checks of config.ensure.
type Ensure struct {
	Pos        Pos
	Legacy     []LegacyCheck // p95, p99, median, max, min: response time below a limit
	Thresholds []Threshold   // metric below a limit
	Conditions []Condition   // free expressions over metrics
	// MaxErrorRate is the highest share of failed VUs, in percent.
	MaxErrorRate    float64
	HasMaxErrorRate bool
}

// LegacyCheck is "p95: 200" and the like.
type LegacyCheck struct {
	Key   string // min, max, median, p95 or p99
	Limit int64  // parsed as parseInt does
}

// Threshold is one "- metric: value" entry of ensure.thresholds.
type Threshold struct {
	Metric string
	Limit  string // as written: the check reads "metric < limit"
}

// Condition is one ensure.conditions entry.
type Condition struct {
	Pos        Pos
	Expression string
	Strict     bool // a failed non-strict check is reported but does not fail the run
}

// Phase is one entry of config.phases. Exactly one load shape is set:
// Pause; ArrivalCount; ArrivalRate (+RampTo); or Users (closed model,
// a Surge extension).
type Phase struct {
	Pos          Pos
	Name         string
	Duration     time.Duration
	Pause        time.Duration
	ArrivalRate  float64
	RampTo       float64
	HasRampTo    bool
	ArrivalCount int64
	HasCount     bool
	MaxVUsers    int64
	Users        int64
	SpawnRate    float64
}

// Scenario is one entry of scenarios, or the before/after section.
type Scenario struct {
	Pos    Pos
	Name   string
	Weight int
	// WeightTemplate is a weight given as text ("{{ $env.W }}"); it is
	// resolved once against the config variables when the test starts.
	WeightTemplate string
	Flow           []Step
}

// Step is one flow step; exactly one of its pointers is set.
type Step struct {
	Pos      Pos
	Request  *Request
	Think    *Think
	Log      *Log
	Loop     *Loop
	Parallel *Parallel
}

// Parallel runs its steps side by side, sharing the VU's variables
// (Limit at a time; 100 unless set).
type Parallel struct {
	Steps []Step
	Limit int
}

// Request is a get/post/put/patch/delete/head/options step. Values that
// may hold templates are kept as written; package flow compiles them.
type Request struct {
	Method   string // upper case
	URL      string
	Name     string
	Headers  []Header
	JSON     any // decoded JSON body, mappings as templating.Object in the order written; nil unless HasJSON
	HasJSON  bool
	Body     string
	HasBody  bool
	Form     []Field
	HasForm  bool
	FormData []Field
	QS       []Field
	HasQS    bool
	Cookies  []Header
	// Capture, Match and Expect are the lists as decoded; package flow
	// compiles them with the capture and expect packages.
	Capture, Match, Expect any
	IfTrue                 string
	HasIfTrue              bool
	Auth                   *Auth
	Probability            *float64
	// Gzip is the step's gzip option: nil when not written; false sends
	// no Accept-Encoding of Surge's own.
	Gzip *bool
	// FollowRedirect is the step's followRedirect: nil when not written
	// (redirects are followed); false makes a 3xx the response.
	FollowRedirect *bool
	// At is where each field of the step was written, for errors found
	// when the step is compiled.
	At map[string]Pos
}

// Field is one form, formData or qs entry. Value is a scalar, a list
// (repeated qs keys) or, in formData, a {fromFile, contentType} or
// {value} mapping.
type Field struct {
	Name  string
	Value any
}

// Auth is HTTP basic authentication.
type Auth struct {
	User, Pass string
}

// Think pauses the VU. Value is seconds (a number) or text: a duration
// such as "500ms", or a template.
type Think struct {
	Value  any
	Jitter string
}

// Log prints its templated text.
type Log struct {
	Text string
}

// Loop repeats its steps: Count times, or once per element of Over (a
// list, or the name of a list variable), or forever when neither is set.
type Loop struct {
	Steps      []Step
	Count      any // number or text ("3", "1-5", "{{ n }}")
	HasCount   bool
	Over       any // []any or a variable name
	HasOver    bool
	IndexVar   string // $loopCount unless renamed by loopValue
	ElementVar string // $loopElement unless renamed by loopElement
	CountPos   Pos
	OverPos    Pos
	// WhileTrue is an expression (as ifTrue) evaluated after each pass:
	// the loop goes on while it is true, whatever count and over say.
	// Artillery takes the name of a JavaScript function here.
	WhileTrue    string
	HasWhileTrue bool
	WhileTruePos Pos
}

// Endpoint is the name requests of this step are recorded under: the
// request's name, or its method and URL template with its credentials
// hidden (see RedactEndpointURL): the name goes to the summary, the
// results, the stream, the report, the dashboard and every Prometheus
// series' endpoint label.
func (r *Request) Endpoint() string {
	if r.Name != "" {
		return r.Name
	}
	return r.Method + " " + RedactEndpointURL(r.URL)
}

// RedactEndpointURL hides, in a URL template as written, what must not
// become an endpoint's name: the password of a "user:password@" part and
// the values of query parameters named as credentials are (token,
// access_token, api_key, apikey, key, secret, password, signature, sig,
// X-Amz-Signature, X-Amz-Credential, X-Amz-Security-Token, … and any name
// ending in token, secret, password, apikey, signature or credential),
// each written
// xxxxx. A value that is a template ({{ token }}) names no secret and is
// kept; so is everything else, as written.
func RedactEndpointURL(raw string) string {
	out := raw
	if scheme, rest, ok := strings.Cut(out, "://"); ok && !strings.ContainsAny(scheme, "/?#{") {
		end := strings.IndexAny(rest, "/?#")
		if end < 0 {
			end = len(rest)
		}
		authority := rest[:end]
		if at := strings.LastIndex(authority, "@"); at >= 0 {
			if user, password, ok := strings.Cut(authority[:at], ":"); ok && password != "" && !strings.Contains(password, "{{") {
				out = scheme + "://" + user + ":xxxxx" + rest[at:]
			}
		}
	}
	q := strings.Index(out, "?")
	if q < 0 {
		return out
	}
	query, fragment := out[q+1:], ""
	if h := strings.Index(query, "#"); h >= 0 {
		query, fragment = query[:h], query[h:]
	}
	query = redact.Query(query, func(name, value string) bool {
		return !strings.Contains(value, "{{") && credentialParam(name)
	})
	return out[:q+1] + query + fragment
}

// credentialParams are query parameter names (lower case, - and _
// dropped) that carry credentials.
var credentialParams = map[string]bool{
	"token": true, "accesstoken": true, "idtoken": true, "refreshtoken": true, "auth": true, "authorization": true,
	"apikey": true, "key": true, "secret": true, "clientsecret": true, "password": true, "passwd": true, "pwd": true,
	"signature": true, "sig": true, "xamzsignature": true, "xamzcredential": true, "xamzsecuritytoken": true,
	"xgoogsignature": true, "xgoogcredential": true, "sessionid": true, "session": true, "jwt": true,
}

func credentialParam(name string) bool {
	if u, err := url.QueryUnescape(name); err == nil {
		name = u
	}
	n := strings.NewReplacer("-", "", "_", "", ".", "").Replace(strings.ToLower(name))
	if credentialParams[n] {
		return true
	}
	for _, suffix := range []string{"token", "secret", "password", "apikey", "signature", "credential"} {
		if strings.HasSuffix(n, suffix) {
			return true
		}
	}
	return false
}
