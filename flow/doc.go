// Package flow turns a parsed script into a test the engine can run.
//
// It owns the meaning of a script at run time: which phases become which
// load model, how a request step becomes an HTTP request (target
// prefixing, default headers, bodies), which endpoint each request is
// recorded under, and how VUs map to connections (each VU its own
// connection as in Artillery, or one shared pool when config.http.pool is
// set).
package flow
