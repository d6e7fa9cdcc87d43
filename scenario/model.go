package scenario

import "time"

// Pos is where a value stood in its file (1-based).
type Pos struct {
	Line, Col int
}

// Script is one parsed test script.
type Script struct {
	File      string
	Config    Config
	Scenarios []Scenario
}

// Config is the script's config section.
type Config struct {
	Target    string
	TargetPos Pos
	Phases    []Phase
	HTTP      HTTP
	Defaults  Defaults
}

// HTTP holds config.http settings.
type HTTP struct {
	Timeout  time.Duration // 0: the engine default (10 s)
	Pool     int           // >0: one shared pool of this many connections
	Protocol string        // auto | http1 | http2 (Surge extension)
	Insecure bool          // config.tls.rejectUnauthorized: false
}

// Defaults holds config.defaults (request defaults).
type Defaults struct {
	Headers []Header
}

// Header is one request header; order is kept as written.
type Header struct {
	Name, Value string
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

// Scenario is one entry of scenarios.
type Scenario struct {
	Pos    Pos
	Name   string
	Weight int
	Flow   []Step
}

// Step is one flow step; exactly one of its pointers is set.
type Step struct {
	Pos     Pos
	Request *Request
	Think   *Think
}

// Request is a get/post/put/patch/delete/head/options step.
type Request struct {
	Method  string // upper case
	URL     string
	Name    string
	Headers []Header
	JSON    any // decoded JSON body; nil unless HasJSON
	HasJSON bool
	Body    string
	HasBody bool
}

// Think pauses the VU.
type Think struct {
	Duration time.Duration
}

// Endpoint is the name requests of this step are recorded under: the
// request's name, or its method and URL template.
func (r *Request) Endpoint() string {
	if r.Name != "" {
		return r.Name
	}
	return r.Method + " " + r.URL
}
