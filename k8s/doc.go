// Package k8s builds the Kubernetes objects that run one Surge test split
// across the pods of an Indexed Job: a ConfigMap holding the script and
// its payload files, a Secret holding the coordinator's token, a headless
// Service through which every pod reaches the pod of index 0 (the
// coordinator), and the Job itself, whose completion index is each pod's
// share of the test (surge run --segment K/N --coordinate-if-first) and
// which is complete once index 0, the coordinator, has succeeded.
//
// The objects are typed k8s.io/api values, so a misspelled field cannot
// compile; Build is pure (no clock, no API calls, no goroutine) and YAML
// prints them for kubectl apply. FromScript reads the script and the files
// it references, then calls Build. Surge never talks to a cluster: it
// prints manifests, and Kubernetes only starts N copies.
//
// Every command line the pods run is made in command.go. The token is
// made by the caller (NewToken): Build takes no randomness.
package k8s
