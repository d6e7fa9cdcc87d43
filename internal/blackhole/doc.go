// Package blackhole gives tests a loopback address whose connection
// attempts hang: neither accepted nor refused, the way a firewalled or
// overloaded host swallows a SYN. Tests of dial timeouts need one, and no
// external host may be used for it.
package blackhole
