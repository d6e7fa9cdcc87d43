package cli

import (
	"fmt"

	"github.com/surge-dev/surge/scenario"
)

// fileReserve is what Surge keeps of the open-file limit for itself
// beyond the test's connections: the standard streams, the dashboard and
// the monitor, DNS lookups, the results spool.
const fileReserve = 64

// checkFileLimit fails when a test needs more connections than the
// process may open files. Past the limit every further dial fails with
// "too many open files", which would be counted as hundreds of thousands
// of errors instead of stopping the test before it starts.
func checkFileLimit(what string, conns int64, bound string) error {
	soft, hard, ok := openFileLimit()
	if !ok || conns+fileReserve <= int64(min(soft, 1<<62)) {
		return nil
	}
	need := uint64(conns + fileReserve)
	how := fmt.Sprintf("raise it before starting Surge (ulimit -n %d)", need)
	if need > hard {
		how = fmt.Sprintf("raise it before starting Surge: the hard limit is %d, so as root (ulimit -Hn %d), "+
			"with LimitNOFILE= in a systemd unit, or nofile in /etc/security/limits.conf", hard, need)
	}
	return fmt.Errorf("%s: %d connections at once, but this process may open only %d files "+
		"(RLIMIT_NOFILE, of which Surge keeps %d for itself): %s, or %s",
		what, conns, soft, fileReserve, how, bound)
}

// checkQuickFiles checks the connections surge quick may hold at once:
// the pool bound, or one per user without one. An open model without a
// bound opens what the target's latency demands, which is not known ahead.
func checkQuickFiles(o quickOptions) error {
	const bound = "bound the pool with a smaller --connections"
	switch {
	case o.connections > 0:
		return checkFileLimit(fmt.Sprintf("--connections %d", o.connections), int64(o.connections), bound)
	case o.users > 0:
		return checkFileLimit(fmt.Sprintf("--users %d (one connection per user)", o.users), o.users, bound)
	}
	return nil
}

// checkScriptFiles applies the open-file limit to a script: looping users
// hold one connection each, unless config.http.pool shares a pool.
func checkScriptFiles(s *scenario.Script) error {
	if pool := s.Config.HTTP.Pool; pool > 0 {
		if err := checkFileLimit(fmt.Sprintf("config.http.pool %d", pool), int64(pool), "set a smaller pool"); err != nil {
			return &scenario.Error{File: s.File, Msg: err.Error()}
		}
		return nil
	}
	var errs scenario.Errors
	for i, p := range s.Config.Phases {
		what := fmt.Sprintf("config.phases[%d].users %d (one connection per user)", i, p.Users)
		if err := checkFileLimit(what, p.Users, "share a pool with config.http.pool"); p.Users > 0 && err != nil {
			errs = append(errs, &scenario.Error{File: s.File, Pos: p.Pos, Msg: err.Error()})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}
