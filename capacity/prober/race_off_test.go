//go:build !race

package prober

const raceOn = false
