#!/bin/sh
# build-control-plane.sh builds kube-apiserver and kube-controller-manager
# v1.37.2 from the Go module proxy for `make test-k8s`, once, into a cache
# that later runs reuse.
#
# `go install k8s.io/kubernetes/cmd/...@v1.37.2` is refused because the
# kubernetes module replaces its staging modules (k8s.io/api, ...) with
# directories its module zip does not contain. A throw-away main module that
# requires k8s.io/kubernetes and points each staging module at its published
# v0.37.2 release builds them instead. The go.mod is written here, at build
# time: the repository carries no third-party code.
#
# About 25 minutes of CPU on two cores, ~2.5 GB of RAM, ~6 GB of Go caches.
#
# Usage: build-control-plane.sh [BINDIR]   (default ~/.cache/surge-k8s/v1.37.2)
set -eu

K8S_VERSION=v1.37.2
STAGING_VERSION=v0.37.2
BINDIR=${1:-${SURGE_K8S_BIN:-$HOME/.cache/surge-k8s/$K8S_VERSION}}
WORK=${SURGE_K8S_BUILD:-$HOME/.cache/surge-k8s/build-$K8S_VERSION}
GO=${GO:-go}

if [ -x "$BINDIR/kube-apiserver" ] && [ -x "$BINDIR/kube-controller-manager" ]; then
	echo "control plane $K8S_VERSION already built in $BINDIR"
	exit 0
fi
mkdir -p "$BINDIR" "$WORK"
cd "$WORK"

cat >go.mod <<MOD
module surgek8sbuild

go 1.26.0

require k8s.io/kubernetes $K8S_VERSION
MOD
cat >tools.go <<'SRC'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
)
SRC

# The staging modules are the ones kubernetes' own go.mod replaces with
# ./staging/src/...; each is pinned at the matching published release.
GOFLAGS=-mod=mod "$GO" mod download k8s.io/kubernetes@$K8S_VERSION
modfile=$(GOFLAGS=-mod=mod "$GO" mod download -json k8s.io/kubernetes@$K8S_VERSION |
	sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')
staging=$(awk '$2 == "=>" && $3 ~ /^\.\/staging\/src\// { print $1 }' "$modfile")
[ -n "$staging" ] || { echo "no staging modules found in $modfile" >&2; exit 1; }
for m in $staging; do
	"$GO" mod edit -replace "$m=$m@$STAGING_VERSION"
done
"$GO" mod tidy

ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$K8S_VERSION"
for cmd in kube-apiserver kube-controller-manager; do
	start=$(date +%s)
	"$GO" build -trimpath -ldflags="$ldflags" -o "$BINDIR/$cmd.tmp" k8s.io/kubernetes/cmd/$cmd
	mv "$BINDIR/$cmd.tmp" "$BINDIR/$cmd"
	echo "built $cmd in $(($(date +%s) - start)) s"
done
