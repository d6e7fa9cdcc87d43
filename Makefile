# Surge — the two commands a new machine needs are `make demo` and `make test`.
GO      ?= go
BIN     := bin/surge
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/surge-dev/surge/internal/cli.Version=$(VERSION)
# Chart assets are built from npm into internal/webui/dist and embedded
# with this tag; a binary built without them says so in its pages.
TAGS    := surge_webui
WEB_SRC := $(wildcard web/src/* web/package.json web/package-lock.json web/build.mjs)

.PHONY: all build cross demo test vet staticcheck unit web difftest golden bench clean test-k8s

all: build

# The binary is static (no cgo): it starts without the dynamic loader and
# libc's set-up (about 6 % of a one-request run's wall time, exec to
# exit), and it runs as it is in a scratch or distroless image. Name
# lookups use Go's own resolver, which reads /etc/hosts and
# /etc/resolv.conf as libc does.
build: web
	CGO_ENABLED=0 $(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/surge

# cross builds the binary for the other platforms Surge supports, with and
# without the web UI's tag, into a temporary directory it then removes: a
# check that they build, run in CI after make test (not part of it). The
# first build per platform compiles every dependency anew (about two
# minutes each on two cores, cold); the tagged build after it, seconds.
# None of these is tested at run time here (docs/architecture.md).
CROSS_PLATFORMS ?= linux/arm64 darwin/arm64 freebsd/amd64 windows/amd64 windows/arm64
cross: web
	@out=$$(mktemp -d) && trap 'rm -rf "$$out"' EXIT && \
	for p in $(CROSS_PLATFORMS); do \
		for tags in "" $(TAGS); do \
			echo "cross: $$p $${tags:-(default tags)}"; \
			CGO_ENABLED=0 GOOS=$${p%/*} GOARCH=$${p#*/} $(GO) build -tags "$$tags" \
				-o "$$out/surge-$${p%/*}-$${p#*/}" ./cmd/surge || exit 1; \
		done; \
	done

# web installs the pinned npm packages and builds the embedded assets.
web: internal/webui/dist/.built

internal/webui/dist/.built: $(WEB_SRC)
	@if [ -f web/package.json ]; then cd web && npm ci --no-audit --no-fund && npm run build; fi
	@mkdir -p internal/webui/dist && touch $@

demo: build
	./$(BIN) demo

test: web vet staticcheck unit

vet:
	$(GO) vet ./...
	$(GO) vet -tags $(TAGS) ./...

staticcheck:
	$(GO) tool staticcheck ./...
	$(GO) tool staticcheck -tags $(TAGS) ./...

# -p 3: three packages at a time. Most of the suite's time is spent
# waiting on timed tests (a run of 20 s, a stream killed at 10 s), so
# packages side by side divide it: the race pass's package times sum to
# about 15 min on two cores, and the whole of make test took 647 s with
# -p 2 and 503 s with -p 3 (internal/cli, the longest, 214 and 216 s).
# Every test already tolerates a CPU hog beside it, which the other
# packages are; with -p 3 the suite also passes beside one more (532 s).
# compare's calibration is single-goroutine arithmetic that -race slows
# twentyfold, and the examples' tests and session's generator-bound tests
# time services or the generator through code that -race slows several
# times over: they skip themselves there and run in the second line.
unit:
	$(GO) test -race -p 3 -tags $(TAGS) ./...
	$(GO) test -count=1 -p 1 -run 'Calibration|Recipe|ServerlessLab|StressLab|GeneratorBound' ./compare/ ./examples/ci/ ./examples/before-after/ ./examples/stress-lab/ ./session/

# The Artillery compatibility corpus lives outside the repository
# (../shared/corpus); this target runs Surge against all of it.
CORPUS ?= ../shared/corpus
difftest: build
	cd $(CORPUS) && DIFFTEST_STRICT=1 harness/run.sh artillery '$(CURDIR)/$(BIN) run -t {target} --output {report} {script}'

# Re-records difftest/testdata/golden from real Artillery 2.0.34 where it is
# installed (Node 22 and artillery; see docs/scripting.md).
golden:
	difftest/record.sh

# test-k8s (not part of make test) applies surge k8s's manifests to a real
# kube-apiserver and kube-controller-manager v1.37.2 on loopback, with a
# stand-in kubelet running the pods as local processes. Needs Debian's
# etcd-server (apt-get install etcd-server). The two binaries are built from
# the Go module proxy on first use (about 25 minutes on two cores, ~6 GB of
# Go caches) into $(K8S_BIN) and reused afterwards. See docs/distributed.md.
K8S_BIN ?= $(HOME)/.cache/surge-k8s/v1.37.2
test-k8s:
	@command -v etcd >/dev/null || { echo "test-k8s needs etcd: apt-get install etcd-server" >&2; exit 1; }
	GO=$(GO) test/k8s/build-control-plane.sh $(K8S_BIN)
	SURGE_K8S_BIN=$(K8S_BIN) $(GO) test -tags k8s_e2e -count=1 -v -timeout 20m ./test/k8s/

bench: build
	$(MAKE) -C bench

clean:
	rm -rf bin internal/webui/dist web/node_modules
