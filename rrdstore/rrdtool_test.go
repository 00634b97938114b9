package rrdstore

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// The reference: rrdtool 1.7.2 from Debian, installed by `make deps` on
// every machine that runs the suite. Tests fail (never skip) without it.
const rrdtoolPath = "/usr/bin/rrdtool"

func needRRDTool(tb testing.TB) string {
	tb.Helper()
	if _, err := os.Stat(rrdtoolPath); err != nil {
		tb.Fatalf("rrdtool (1.7.2, the reference engine) is not installed at %s: run `make deps` (%v)",
			rrdtoolPath, err)
	}
	return rrdtoolPath
}

// rrdtoolEnv keeps rrdtool's output stable and away from any rrdcached.
func rrdtoolEnv() []string {
	return []string{"TZ=UTC", "LC_ALL=C", "PATH=/usr/bin:/bin"}
}

// rrdtoolCmd runs one rrdtool process and returns stdout, or an error
// holding its stderr.
func rrdtoolCmd(tb testing.TB, args ...string) (string, error) {
	tb.Helper()
	cmd := exec.Command(needRRDTool(tb), args...)
	cmd.Env = rrdtoolEnv()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return string(out), errors.New(strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// rrdPipe is `rrdtool -`: one long-lived rrdtool reading commands from a
// pipe, so a differential run costs no process start per update call.
type rrdPipe struct {
	mu  sync.Mutex
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

func startRRDPipe(tb testing.TB) *rrdPipe {
	tb.Helper()
	cmd := exec.Command(needRRDTool(tb), "-")
	cmd.Env = rrdtoolEnv()
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatalf("starting rrdtool -: %v", err)
	}
	p := &rrdPipe{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<16)}
	tb.Cleanup(func() {
		p.in.Close()
		if err := p.cmd.Wait(); err != nil {
			tb.Errorf("rrdtool - exited: %v", err)
		}
	})
	return p
}

// run sends one command line and returns the lines printed before "OK",
// or the text after "ERROR: " as an error.
func (p *rrdPipe) run(tb testing.TB, args ...string) ([]string, error) {
	tb.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	var line strings.Builder
	for i, a := range args {
		if i > 0 {
			line.WriteByte(' ')
		}
		line.WriteString(pipeQuote(tb, a))
	}
	line.WriteByte('\n')
	if _, err := io.WriteString(p.in, line.String()); err != nil {
		tb.Fatalf("writing to rrdtool -: %v", err)
	}
	var out []string
	for {
		s, err := p.out.ReadString('\n')
		if err != nil {
			tb.Fatalf("reading from rrdtool -: %v (after %q)", err, out)
		}
		s = strings.TrimSuffix(s, "\n")
		switch {
		case strings.HasPrefix(s, "OK u:"):
			return out, nil
		case strings.HasPrefix(s, "ERROR: "):
			return out, errors.New(strings.TrimPrefix(s, "ERROR: "))
		}
		out = append(out, s)
	}
}

// pipeQuote quotes an argument for rrdtool's remote-mode tokenizer, which
// splits on spaces and knows '…' and "…" but no escapes.
func pipeQuote(tb testing.TB, a string) string {
	tb.Helper()
	if strings.ContainsAny(a, "\n\r") {
		tb.Fatalf("argument %q cannot be sent to rrdtool -", a)
	}
	switch {
	case a != "" && !strings.ContainsAny(a, " \"'"):
		return a
	case !strings.Contains(a, `"`):
		return `"` + a + `"`
	case !strings.Contains(a, "'"):
		return "'" + a + "'"
	}
	tb.Fatalf("argument %q has both quote characters", a)
	return ""
}
