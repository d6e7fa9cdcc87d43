// Package ledger is a loopback HTTP/1.1 server for tests that writes down
// every request it receives and what it answered, so that a test can hold
// a load generator's counts against the server's own.
//
// Each request carries an id (the X-Request-Id header); the server numbers
// requests in the order they arrive, across connections, and answers
// through a Behaviour: plain responses, or the faults real services show
// (connections closed after N requests or when idle, unsolicited 408s,
// resets in the middle of a body, wrong lengths, bad chunking, interim
// 1xx responses, folded header lines, slow drips, hangs, redirect loops,
// compressed bodies). A behaviour decides from the arrival number or the
// request id alone, so that the outcome of N requests is known whatever
// client sent them, and two clients can be compared request for request.
//
// It is a test fixture: it serves 127.0.0.1 only.
package ledger
