package story

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/surge-dev/surge/scaling/lambda"
)

// span is a run of seconds [lo, hi] (indexes into the run) where a series
// was above zero, with the total it held.
type span struct {
	lo, hi int
	total  float64
}

// biggestSpan returns the span of s above zero holding the most, where
// spans separated by a single quiet second count as one; ok is false
// when s is never above zero. rates are per second over dur.
func biggestSpan(s Series, dur []float64) (best span, ok bool) {
	cur, open := span{}, false
	quiet := 0
	for i, v := range s {
		if !(v > 0) {
			quiet++
			if open && quiet > 1 {
				best, ok = bigger(best, cur, ok), true
				open = false
			}
			continue
		}
		quiet = 0
		if !open {
			cur, open = span{lo: i}, true
		}
		cur.hi = i
		cur.total += v * dur[i]
	}
	if open {
		best, ok = bigger(best, cur, ok), true
	}
	return best, ok
}

func bigger(best, cur span, have bool) span {
	if !have || cur.total > best.total {
		return cur
	}
	return best
}

// window is the span's time: from the start of its first second to the
// end of its last.
func (sp span) window(rn *run) *Window {
	return &Window{From: rn.t[sp.lo], To: rn.t[sp.hi] + rn.dur[sp.hi]}
}

// sumOver is the count s holds over the span's seconds.
func sumOver(s Series, sp span, dur []float64) float64 {
	var t float64
	for i := sp.lo; i <= sp.hi && i < len(s); i++ {
		if !math.IsNaN(s[i]) {
			t += s[i] * dur[i]
		}
	}
	return t
}

// maxOver is the largest value of s over the span, NaN if none.
func maxOver(s Series, sp span) float64 {
	if len(s) == 0 {
		return math.NaN()
	}
	v, _ := s[sp.lo:min(sp.hi+1, len(s))].peak()
	return v
}

// clock formats seconds since the start as m:ss (h:mm:ss past an hour).
func clock(s float64) string {
	t := int(math.Round(s))
	if t >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", t/3600, t/60%60, t%60)
	}
	return fmt.Sprintf("%d:%02d", t/60, t%60)
}

// thousands formats a count with thousands separators: 12,345.
func thousands(v float64) string {
	s := strconv.FormatInt(int64(math.Round(v)), 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// scaleNote says how long a model-time period takes in the run's real
// time, when the target ran faster than real time.
func scaleNote(period float64, what string, scale float64) string {
	if !(scale > 1) {
		return ""
	}
	return fmt.Sprintf(" (%s every %s s of this run: time scale %s)", what,
		strconv.FormatFloat(period/scale, 'g', 3, 64), strconv.FormatFloat(scale, 'g', -1, 64))
}

// explainLambda writes the sentence about the biggest throttling window.
func explainLambda(st *Story, rn *run, causes map[lambda.Throttle]Series, s lambdaSetup, haveSetup bool, pred *lambdaPrediction) {
	all := make(Series, rn.len())
	for _, c := range causes {
		for i, v := range c {
			if !math.IsNaN(v) {
				all[i] += v
			}
		}
	}
	sp, ok := biggestSpan(all, rn.dur)
	if !ok {
		st.Sentence = lambdaUnthrottled(rn, pred)
		return
	}
	st.Gap = sp.window(rn)
	st.Events = append(st.Events, Event{st.Gap.From, "gap-start", "throttling starts"}, Event{st.Gap.To, "gap-end", "throttling ends"})
	cause, most := lambda.None, -1.0
	for _, c := range causeLines {
		if n := sumOver(causes[c], sp, rn.dur); n > most && n > 0 {
			cause, most = c, n
		}
	}
	offered := sumOver(rn.offered, sp, rn.dur)
	text := fmt.Sprintf("Throttled from %s to %s (%s requests, %s of those offered then): %s.",
		clock(st.Gap.From), clock(st.Gap.To), thousands(sp.total), share(sp.total, offered),
		lambdaReason(cause, rn, sp, s, haveSetup))
	if pred != nil {
		text += " " + predictedThrottles(pred, sp, sp.total, rn.dur)
	}
	st.Sentence = text
}

func share(part, whole float64) string {
	if !(whole > 0) {
		return "all"
	}
	return strconv.FormatFloat(math.Min(100, 100*part/whole), 'f', 0, 64) + " %"
}

// lambdaReason names the limit that was reached.
func lambdaReason(c lambda.Throttle, rn *run, sp span, s lambdaSetup, haveSetup bool) string {
	limit := maxOver(rn.gauge(lambdaLimit), sp)
	switch c {
	case lambda.ScalingRate:
		if !haveSetup {
			return "new environments could not be created fast enough (the scaling rate)"
		}
		if s.cfg.ScalingModel == lambda.Legacy {
			return fmt.Sprintf("the burst limit of %s was reached; +%d per minute after%s", thousands(float64(s.cfg.Burst)),
				lambda.LegacyScaleStep, scaleNote(lambda.LegacyScaleWindow.Seconds(), "a minute passes", s.scale))
		}
		return fmt.Sprintf("the scaling rate of %s new environments per %d s was reached%s", thousands(lambda.CurrentScaleStep),
			int(lambda.CurrentScaleWindow.Seconds()), scaleNote(lambda.CurrentScaleWindow.Seconds(), "10 s pass", s.scale))
	case lambda.AccountConcurrency:
		return "the account concurrency limit of " + thousands(limit) + " was reached"
	case lambda.ReservedConcurrency:
		return "the reserved concurrency of " + thousands(limit) + " was reached"
	case lambda.AccountRate, lambda.ReservedRate:
		return "the invocation rate limit (10 a second per environment of the " + thousands(limit) + " allowed) was reached"
	}
	return "the function refused invocations"
}

// predictedThrottles compares the model's throttles over the span with
// what happened.
func predictedThrottles(p *lambdaPrediction, sp span, seen float64, dur []float64) string {
	want := sumOver(p.throttled, sp, dur)
	if want == 0 {
		return "The model predicted no throttles then."
	}
	return fmt.Sprintf("The model predicted %s throttles then (%+.0f %%).", thousands(want), 100*(want-seen)/seen)
}

// lambdaUnthrottled is the sentence of a run nothing was throttled in.
func lambdaUnthrottled(rn *run, pred *lambdaPrediction) string {
	peak, at := rn.gauge(lambdaConcurrency).peak()
	if at < 0 {
		return "Nothing was throttled."
	}
	text := fmt.Sprintf("Nothing was throttled: concurrency peaked at %s at %s", thousands(peak), clock(rn.t[at]))
	if lim := rn.gauge(lambdaLimit)[at]; !math.IsNaN(lim) {
		text += ", under the limit of " + thousands(lim)
	}
	if pred != nil {
		pp, _ := pred.concurrency.peak()
		text += fmt.Sprintf("; the model predicted a peak of %s", thousands(pp))
		if n := pred.throttled.sum(); n > 0 {
			text += " and " + thousands(n) + " throttles"
		}
	}
	return text + "."
}
