# ganglia-lpm — see README.md. `make run` and `make test` are the two
# commands a fresh Debian machine needs.

GO      ?= go
BIN     ?= bin
CROSS   := linux/amd64 linux/ppc64le linux/ppc64 aix/ppc64
FUZZTIME ?= 60s

.PHONY: all build run test deps fmt-check vet race cross bench bench-rrd bench-gmetad bench-gmond fuzz clean

all: build

build:
	$(GO) build -o $(BIN)/ ./cmd/...

# The main job on its embedded default: gmetad in the foreground, one
# cluster "unspecified" on UDP and TCP 8649, XML on 8651 and 8652.
run: build
	@echo "make run: starting gmetad on its embedded default (bin/gmetad -f --embedded): cluster \"unspecified\" listens on UDP and TCP 8649."
	@echo "make run: feed it from a gmond (udp_send_channel { host = 127.0.0.1  port = 8649 }) or run: $(BIN)/ganglia-loadgen -hosts 5 -target 127.0.0.1:8649"
	@echo "make run: XML of the grid on tcp 127.0.0.1:8651 (nc 127.0.0.1 8651), queries and /status on 8652; RRDs in ./gmetad-data/rrds (/var/lib/ganglia/rrds as root); Ctrl-C stops."
	$(BIN)/gmetad -f --embedded

# The whole suite: formatting, vet, unit + interop tests with the race
# detector (stock Ganglia and rrdtool are installed first), cross-builds.
test: deps fmt-check vet race cross

deps:
	.ci/install-deps.sh

fmt-check:
	@out=$$(gofmt -l $$(find . -name '*.go' -not -path './.git/*')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

race:
	$(GO) test -race -count=1 ./...

cross:
	@for t in $(CROSS); do \
		echo "cross: $$t"; \
		CGO_ENABLED=0 GOOS=$${t%/*} GOARCH=$${t#*/} $(GO) build ./... || exit 1; \
	done

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# rrdstore's Store against librrd's rrd_update_r, side by side: 1,000 gmetad
# host files, 100,000 updates (needs gcc and librrd-dev; ~2 GB in TMPDIR).
bench-rrd:
	$(GO) test -count=1 -tags librrdbench -run '^TestStoreVsLibrrd$$' -v -timeout 30m ./rrdstore

# gmetad under a simulated fleet of 50 metrics a host (internal/fleetbench):
# CPU-s per million stored values, peak RSS, full-dump time, RRD lag, gaps.
# FLEET_HOSTS=1000,10000 by default: 2 then 3 minutes measured, ~20 minutes
# and ~4 GB in TMPDIR in all.
bench-gmetad:
	$(GO) test -count=1 -tags fleetbench -run '^TestFleet$$' -v -timeout 90m ./internal/fleetbench -fleet.hosts=$${FLEET_HOSTS:-1000,10000}

# Our gmond against stock gmond 3.7.2 on this machine, same collection
# groups (Debian's gmond.conf): CPU seconds per hour and RSS.
# GMOND_FOR=10m by default.
bench-gmond:
	$(GO) test -count=1 -tags gmondbench -run '^TestFootprintVsStock$$' -v -timeout 2h ./cmd/gmond -footprint.for=$${GMOND_FOR:-10m}

# Every fuzz target in the tree, one after the other, FUZZTIME each.
fuzz:
	@grep -rn --include='*_test.go' '^func Fuzz' . | \
	sed -E 's|^\./(.*)/[^/]*:[0-9]+:func (Fuzz[A-Za-z0-9_]*).*|\1 \2|' | sort | \
	while read pkg fn; do \
		echo "fuzz: $$pkg $$fn"; \
		$(GO) test -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) ./$$pkg || exit 1; \
	done

clean:
	rm -rf $(BIN)
