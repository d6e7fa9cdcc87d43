// Package stresslab holds the test of the stress lab in this folder
// (README.md): run.sh serves the heavy target behind an emulated Fargate
// service that scales (surge target fleet) and runs scenario.yml against
// it, a warm-up, a ramp and a spike of light and heavy requests, then a
// quiet spell. The test runs the script as a user would, with the quick
// environment (17 s) on a loopback port, and checks what the lab teaches:
// the service scaled out under the load and back in after it, and the
// heavy path is slower than the light one because it costs its task more.
package stresslab
