# ganglia-lpm — see README.md. `make run` and `make test` are the two
# commands a fresh Debian machine needs.

GO      ?= go
BIN     ?= bin
CROSS   := linux/amd64 linux/ppc64le linux/ppc64 aix/ppc64
FUZZTIME ?= 60s

.PHONY: all build run test deps fmt-check vet race cross bench bench-rrd fuzz clean

all: build

build:
	$(GO) build -o $(BIN)/ ./cmd/...

# The main job on its embedded default. Until gmetad lands this is the live
# packet decoder on the standard gmond port.
run: build
	@echo "make run: gmetad and gmond are not built yet; running the live Ganglia packet decoder."
	@echo "make run: send packets to udp 127.0.0.1:8649 (gmond udp_send_channel, or: gmetric -c <conf>); Ctrl-C stops."
	$(BIN)/ganglia-lpm decode --listen 127.0.0.1:8649

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
	$(GO) test -count=1 -run '^TestStoreVsLibrrd$$' -v -timeout 30m ./rrdstore -rrd.vslibrrd

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
