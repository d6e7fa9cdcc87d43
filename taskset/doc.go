// Package taskset writes load-test users in Go, the way Locust users are
// written in Python: a user type has weighted tasks, a wait time between
// them (or a pacing), an optional setup (OnStart) and teardown (OnStop)
// run once per user and a Host; several user types share the load by
// weight. A task stops its user by returning ErrStopUser, and the whole
// test with Client.StopTest; the errors tasks return or panic with are
// counted each time, by task and message. Test turns them into an
// engine.Test that engine.Run runs like any script, in the open model
// (each arrival is a user that sets up and runs one task) or the closed
// model (users loop their tasks until their phase ends, as Locust users
// do). Package surge (the module's root) runs them with the whole command
// line of surge run: surge.Main(users...).
//
// Requests a task sends go through the Client, which records them under
// the task's name (OnStart's under "<user>.on_start"), so results are per
// task as Locust's name= makes them. A Response can be judged before it
// is counted, as Locust's catch_response allows: Failure counts it failed
// with a reason (kept in the results' counters and the dashboard's error
// list), Success counts it as not failed whatever its status.
package taskset
