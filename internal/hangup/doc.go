// Package hangup gives tests an HTTP handler that hangs up on the second
// request of each connection after reading it: a server that handled a
// request and then lost the connection, as one whose keep-alive timeout
// strikes just as a request arrives. A client then sends an idempotent
// request again, and the server counts it twice.
package hangup
