// Package wire is the protocol between a coordinator and its workers:
// the messages (hello, welcome, ready, clock exchanges, start, one
// second of results, stop, the final results, the verdict) and their
// framing on a stream connection.
//
// A frame is one byte of kind, four bytes of length (big-endian) and that
// many bytes of JSON. Each kind has a bound on its length, checked before
// the body is read, so that a peer cannot make the other side allocate
// more than the bound: 64 KiB for control messages, 16 MiB for a second,
// 1 GiB for a final results document. The receiver also names the kinds
// it expects next, so that a frame of another kind (a final document's
// size before the hello and its token) is refused from its header too. A
// frame over its bound, of an unknown or unexpected kind, or that does not
// decode ends the connection with an error.
package wire
