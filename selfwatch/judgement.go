package selfwatch

// Judgement is Judge one second at a time, for a live run: its state is
// a few seconds' worth whatever the run's length, where keeping every
// second to judge them all again each second would grow without bound
// over a long soak. Judge is a Judgement fed a slice.
type Judgement struct {
	l       Limits
	prev    Second
	seen    bool    // a second has been added
	at      float64 // when the next second starts: the first index plus the durations so far
	counted streaks
	late    streak // the late seconds in a row (lag past l.MaxLagMs), down to the last span's end
	lead    streak // the late run just before the strained run began
	strain  streak // the strained seconds in a row while no span is open
	why     string
	// healthyAt is when the healthy run began, healthyIndex its first
	// second's index and healthyTo the index an open span would end at
	// (the last strained second's plus one).
	healthyAt               float64
	healthyIndex, healthyTo int
	// lateSince is the late seconds since the healthy run began (-1: not
	// all of them late), and lateWorst their worst: the late run, cut at
	// a span that ends.
	lateSince int
	lateWorst Second
	cur       *Span
}

type streaks struct{ strained, healthy int }

// streak is seconds in a row: where the first began and the worst of them.
type streak struct {
	n     int
	at    float64
	index int
	worst Second
}

func (r *streak) add(s Second, at float64) {
	if r.n == 0 {
		r.at, r.index, r.worst = at, s.Index, s
	} else if s.Lag() > r.worst.Lag() {
		r.worst = s
	}
	r.n++
}

// NewJudgement starts a judgement with l (zero fields: the defaults).
func NewJudgement(l Limits) *Judgement {
	return &Judgement{l: l.WithDefaults(), lateSince: -1}
}

// Add judges the next second. It returns the span that ended before it,
// if one did (ok).
func (j *Judgement) Add(s Second) (ended Span, ok bool) {
	var prev *Second
	if j.seen {
		prev = &j.prev
	} else {
		j.at, j.seen = float64(s.Index), true
	}
	why := j.strained(prev, s)
	j.count(s, why)
	switch {
	case j.cur == nil && j.counted.strained == j.l.Enter:
		j.open()
	case j.cur != nil && j.counted.healthy == j.l.Leave:
		ended, ok = j.close(), true
	}
	if j.cur != nil && why != "" {
		j.cur.note(s)
	}
	j.track(s)
	j.prev, j.at = s, j.at+s.DurationS
	return ended, ok
}

// strained is why s counts as strained, "" when it does not.
func (j *Judgement) strained(prev *Second, s Second) string {
	why := Strained(prev, s, j.l)
	if why == "" && j.cur != nil && draining(s, j.l) {
		why = Backlog
	}
	return why
}

// count moves the strained and healthy runs on by s.
func (j *Judgement) count(s Second, why string) {
	if why == "" {
		j.counted.strained = 0
		j.counted.healthy++
		if j.counted.healthy == 1 {
			j.healthyAt, j.healthyIndex, j.healthyTo, j.lateSince = j.at, s.Index, j.prev.Index+1, 0
		}
		j.strain = streak{}
		return
	}
	j.counted.strained++
	j.counted.healthy = 0
	if j.cur == nil {
		if j.strain.n == 0 {
			j.lead, j.why = j.late, why
		}
		j.strain.add(s, j.at)
	}
}

// open starts a span at the strained run, reaching back over the late
// run before it.
func (j *Judgement) open() {
	from, worst := j.strain, j.strain.worst
	if j.lead.n > 0 {
		from = j.lead
		if j.lead.worst.Lag() >= worst.Lag() { // the earlier second on a tie, as note keeps it
			worst = j.lead.worst
		}
	}
	j.cur = &Span{From: from.index, FromS: round3(from.at), Worst: worst, Why: j.why}
}

// close ends the open span where the healthy run began; a late run
// before then is cut there, as no span reaches back past the one before.
func (j *Judgement) close() Span {
	s := *j.cur
	s.To, s.ToS = j.healthyTo, round3(j.healthyAt)
	j.cur = nil
	if j.late.n > 0 && j.late.at < j.healthyAt {
		j.late = streak{}
		if j.lateSince > 0 { // every second since the healthy run began was late
			j.late = streak{n: j.lateSince, at: j.healthyAt, index: j.healthyIndex, worst: j.lateWorst}
		}
	}
	return s
}

// track keeps the late run going with s, or ends it.
func (j *Judgement) track(s Second) {
	late := s.Lag() > j.l.MaxLagMs
	if !late {
		j.late, j.lateSince = streak{}, -1
		return
	}
	j.late.add(s, j.at)
	if j.lateSince >= 0 && j.counted.healthy > 0 {
		if j.lateSince == 0 || s.Lag() > j.lateWorst.Lag() {
			j.lateWorst = s
		}
		j.lateSince++
	}
}

// Open returns the span under way, if one is (ok): its end is not known
// yet, so To and ToS are zero.
func (j *Judgement) Open() (span Span, ok bool) {
	if j.cur == nil {
		return Span{}, false
	}
	return *j.cur, true
}

// finish ends an open span after the last second added.
func (j *Judgement) finish() (Span, bool) {
	if j.cur == nil {
		return Span{}, false
	}
	s := *j.cur
	s.To, s.ToS = j.prev.Index+1, round3(j.at)
	return s, true
}
