package plan

// The loopback tests run the real emulators through package session,
// which reaches this package again through the report's story: they are
// therefore an external test package (plan_test) and borrow these.
var (
	Within        = within
	ConstantPhase = constantPhase
	ActivityTimes = activityTimes
)

const RaceEnabled = raceEnabled
