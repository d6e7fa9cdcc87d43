// Package fileinput reads the files a test names — scripts, CSV payloads,
// request bodies, multipart uploads — with a bound on how much is read.
//
// A path can name anything: /dev/zero, a FIFO nobody writes, a 100 GB log.
// Reading it whole would take the generator's memory before a single
// request is sent. Here a regular file larger than the limit is refused
// from its size alone, a pipe is read until the limit and refused beyond
// it, and anything else (a device, a directory, a socket) is refused at
// once; every error names the path and the limit.
package fileinput
