package starter

import _ "embed"

// Script is the starter Artillery-compatible script, load.yml.
//
//go:embed load.yml
var Script []byte

// GoUser is the starter Go load test, a main.go; it is also compiled and
// tested where it lives, in gouser/.
//
//go:embed gouser/main.go
var GoUser []byte
