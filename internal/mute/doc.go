// Package mute gives tests a loopback listener that accepts connections
// and never answers: a receiver that hangs once connected (unlike package
// blackhole's address, whose connection attempts themselves hang). Tests
// of bounded waits need one, and no external host may be used for it.
package mute
