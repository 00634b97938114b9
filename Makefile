# ganglia-lpm — see README.md. `make run` and `make test` are the two
# commands a fresh Debian machine needs.

GO      ?= go
BIN     ?= bin
CROSS   := linux/amd64 linux/ppc64le linux/ppc64 aix/ppc64
FUZZTIME ?= 60s

.PHONY: all build run test deps fmt-check vet race e2e cross bench bench-rrd bench-gmetad bench-gmond fuzz clean

all: build

# Static binaries, as they ship to LPARs: no cgo (no libc to match on AIX
# or old Linux), and a smaller resident set for the agent.
build:
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN)/ ./cmd/...

# The main job on its embedded default: gmetad in the foreground, one
# cluster "unspecified" on UDP and TCP 8649, XML on 8651 and 8652, the web
# interface on 8650.
run: build
	@echo "make run: starting gmetad on its embedded default (bin/gmetad -f --embedded): cluster \"unspecified\" listens on UDP and TCP 8649."
	@echo "make run: feed it from a gmond (udp_send_channel { host = 127.0.0.1  port = 8649 }) or run: $(BIN)/ganglia-loadgen -hosts 5 -target 127.0.0.1:8649"
	@echo "make run: XML of the grid on tcp 127.0.0.1:8651 (nc 127.0.0.1 8651), queries and /status on 8652; web interface on http://127.0.0.1:8650/; RRDs in ./gmetad-data/rrds (/var/lib/ganglia/rrds as root); Ctrl-C stops."
	$(BIN)/gmetad -f --embedded

# The whole suite: formatting, vet, unit + interop tests with the race
# detector (stock Ganglia and rrdtool are installed first), cross-builds.
test: deps fmt-check vet race e2e cross

deps:
	.ci/install-deps.sh

fmt-check:
	@out=$$(gofmt -l $$(find . -name '*.go' -not -path './.git/*')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

# ./e2e is left out here: make e2e runs it, once.
race:
	@all=$$($(GO) list ./...) || exit 1; \
	pkgs=$$(echo "$$all" | grep -v -e '/e2e$$' -e '/e2e/'); \
	echo "$(GO) test -race -count=1 (every package but ./e2e)"; \
	$(GO) test -race -count=1 $$pkgs

# The LPM story end to end (internal/lpmscenario): six gmond LPARs on three
# managed systems, moved live, checked in headless Chromium on our web
# interface and on ganglia-web against ours and stock gmetad. About 3
# minutes (RRD steps are 15 s). Screenshots go to GANGLIA_LPM_ARTIFACTS,
# by default $TMPDIR/ganglia-lpm-e2e.
E2E_TIMEOUT ?= 15m
e2e: deps
	GANGLIA_LPM_ARTIFACTS="$${GANGLIA_LPM_ARTIFACTS:-$${TMPDIR:-/tmp}/ganglia-lpm-e2e}" \
		$(GO) test -count=1 -v -timeout $(E2E_TIMEOUT) ./e2e/...

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

# Side by side with stock Ganglia (internal/fleetbench, TestCompare): for each
# size of FLEET_SIZES (1000,5000,10000 by default), our gmetad, Debian's collector
# gmonds + gmetad, and the same with rrdcached, under one simulated fleet, each
# measured over FLEET_WINDOW (2m); then bench-rrd's and bench-gmond's tests
# (GMOND_FOR=3m). Prints the table, writes docs/BENCHMARKS.md and
# docs/bench-cpu-per-million.png; fails unless every run completed. About 1.5 h
# on 2 cores, up to ~4.5 GB in TMPDIR at a time.
.PHONY: bench-compare
bench-compare:
	$(GO) test -count=1 -tags fleetbench -run '^TestCompare$$' ./internal/fleetbench -v -timeout 4h

# Every fuzz target in the tree, one after the other, FUZZTIME each.
fuzz:
	@grep -rn --include='*_test.go' '^func Fuzz' . | \
	sed -E 's|^\./(.*)/[^/]*:[0-9]+:func (Fuzz[A-Za-z0-9_]*).*|\1 \2|' | sort | \
	while read pkg fn; do \
		echo "fuzz: $$pkg $$fn"; \
		$(GO) test -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) ./$$pkg || exit 1; \
	done

# Binaries, service files, LPM hooks and examples (README.md "Installing").
# Nothing is enabled or started, and nothing in /etc/ganglia is written.
# The paths in the units, the cron line, the AIX files and the errnotify
# stanza are rewritten from /usr/local to PREFIX's directories.
PREFIX     ?= /usr/local
SBINDIR    ?= $(PREFIX)/sbin
BINDIR     ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec/ganglia-lpm
DATADIR    ?= $(PREFIX)/share/ganglia-lpm
DOCDIR     ?= $(PREFIX)/share/doc/ganglia-lpm
UNITDIR    ?= $(PREFIX)/lib/systemd/system
DRMGRDIR   ?= /etc/drmgr.d/pmig
SUBST = sed -e 's|/usr/local/sbin/|$(SBINDIR)/|g' -e 's|/usr/local/bin/|$(BINDIR)/|g' \
	-e 's|/usr/local/libexec/ganglia-lpm/|$(LIBEXECDIR)/|g'

.PHONY: install
install: build
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(DRMGRDIR) $(DESTDIR)$(DATADIR)/aix \
		$(DESTDIR)$(DATADIR)/cron $(DESTDIR)$(DOCDIR)
	install -m 0755 $(BIN)/gmond $(BIN)/gmetad $(DESTDIR)$(SBINDIR)/
	install -m 0755 $(BIN)/ganglia-lpm $(DESTDIR)$(BINDIR)/
	@set -e; inst() { $(SUBST) "templates/$$1" > "$(DESTDIR)$$2"; chmod "$$3" "$(DESTDIR)$$2"; echo "install $$1 -> $(DESTDIR)$$2"; }; \
	for u in gmond.service gmetad.service ganglia-lpm-check.service ganglia-lpm-check.timer; do \
		inst systemd/$$u $(UNITDIR)/$$u 0644; \
	done; \
	inst hooks/drmgr-pmig-gmond $(DRMGRDIR)/ganglia-lpm-gmond 0755; \
	inst hooks/aix-pmig-gmond $(LIBEXECDIR)/aix-pmig-gmond 0755; \
	inst hooks/errnotify-pmig.add $(DATADIR)/aix/errnotify-pmig.add 0644; \
	inst aix/rc.gmond $(DATADIR)/aix/rc.gmond 0755; \
	inst aix/mkssys-gmond $(DATADIR)/aix/mkssys-gmond 0755; \
	inst aix/README $(DATADIR)/aix/README 0644; \
	inst cron/ganglia-lpm-check $(DATADIR)/cron/ganglia-lpm-check 0644; \
	inst examples/lpm.toml $(DOCDIR)/lpm.toml.example 0644
	@echo "make install: done. Next: systemctl daemon-reload; systemctl enable --now gmond (LPARs) or gmetad + ganglia-lpm-check.timer (server); mapping example in $(DOCDIR)/lpm.toml.example"

clean:
	rm -rf $(BIN)
