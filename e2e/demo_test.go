package e2e

// scripts/lpm-demo.sh, the scenario a person runs and watches: it parses,
// it starts gmetad and six gmonds, its first move shows in gmetad, and
// Ctrl-C stops every process it started and removes its files.

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
)

const demoScript = "../scripts/lpm-demo.sh"

func TestDemoScriptSyntax(t *testing.T) {
	t.Parallel()
	if out, err := exec.Command("bash", "-n", demoScript).CombinedOutput(); err != nil {
		t.Fatalf("bash -n %s: %v\n%s", demoScript, err, out)
	}
	out, err := exec.Command("bash", demoScript, "-h").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "usage: scripts/lpm-demo.sh") {
		t.Errorf("%s -h: %v\n%s", demoScript, err, out)
	}
}

// TestDemoScript runs the script with 35 s before the first move: the
// move is in gmetad's /api/moves; then SIGINT (Ctrl-C) ends it with status
// 130, no process it printed is left, and its directory is gone. About
// 50 s.
func TestDemoScript(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	base := freeRange(t, 7)
	cmd := exec.Command("bash", demoScript, "-p", strconv.Itoa(base), "-m", "35")
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	d := &demo{t: t, cmd: cmd, exited: make(chan struct{}), lines: make(chan string, 1000)}
	go d.read(bufio.NewScanner(stdout))
	t.Cleanup(d.kill)

	web := d.waitLine(`web interface: (http://\S+)/$`, 90*time.Second)
	var moves struct{ Moves []apiMove }
	stockganglia.Eventually(t, 70*time.Second, func() error {
		if err := getJSON(web+"/api/moves", &moves); err != nil {
			return err
		}
		if len(moves.Moves) == 0 {
			return errors.New("no move yet")
		}
		return nil
	})
	if m := moves.Moves[0]; m.Host != "lnxapp01" || m.From != "P9-DC1-R01" || m.To != "P10-DC1-R05" {
		t.Errorf("first move %+v, want lnxapp01 from P9-DC1-R01 to P10-DC1-R05", m)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-d.exited:
		var exit *exec.ExitError
		if !errors.As(d.waitErr, &exit) || exit.ExitCode() != 130 {
			t.Errorf("script after SIGINT: %v, want exit status 130", d.waitErr)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("script still running 30 s after SIGINT")
	}
	for _, pid := range d.pids {
		if running(pid) {
			t.Errorf("pid %d still running after the script stopped", pid)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "lpm-demo.*")); len(left) > 0 {
		t.Errorf("left behind: %q", left)
	}
}

// demo is the running script: its output lines and the PIDs it printed.
type demo struct {
	t       *testing.T
	cmd     *exec.Cmd
	exited  chan struct{} // closed once the script has been reaped
	waitErr error         // its exit, valid after exited
	lines   chan string
	pids    []int
	log     []string
}

func (d *demo) read(sc *bufio.Scanner) {
	for sc.Scan() {
		d.lines <- sc.Text()
	}
	close(d.lines)
	d.waitErr = d.cmd.Wait()
	close(d.exited)
}

var pidRE = regexp.MustCompile(` pid (\d+)`)

// waitLine reads output until a line matches re and returns its first
// group, noting the PIDs printed on the way.
func (d *demo) waitLine(re string, timeout time.Duration) string {
	d.t.Helper()
	want := regexp.MustCompile(re)
	deadline := time.After(timeout)
	for {
		select {
		case line, ok := <-d.lines:
			if !ok {
				d.t.Fatalf("script ended before printing %q:\n%s", re, strings.Join(d.log, "\n"))
			}
			d.log = append(d.log, line)
			if m := pidRE.FindStringSubmatch(line); m != nil {
				pid, _ := strconv.Atoi(m[1])
				d.pids = append(d.pids, pid)
			}
			if m := want.FindStringSubmatch(line); m != nil {
				return m[1]
			}
		case <-deadline:
			d.t.Fatalf("no line matching %q within %v:\n%s", re, timeout, strings.Join(d.log, "\n"))
		}
	}
}

// kill stops the script and whatever it printed as started, by PID, when
// the test ends early; after a clean stop there is nothing left to kill.
func (d *demo) kill() {
	select {
	case <-d.exited:
	default:
		_ = d.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-d.exited:
		case <-time.After(20 * time.Second):
			_ = d.cmd.Process.Kill()
			<-d.exited
		}
	}
	for _, pid := range d.pids {
		if running(pid) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
	if d.t.Failed() {
		d.t.Logf("script output:\n%s", strings.Join(d.log, "\n"))
	}
}

// running tells whether pid is a live process (not a zombie).
func running(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && i+2 < len(s) && s[i+2] != 'Z'
}

// freeRange returns the first of n consecutive ports free for TCP and UDP
// on every address (the script binds base..base+n-1).
func freeRange(t *testing.T, n int) int {
	t.Helper()
	for range 50 {
		base := stockganglia.FreePort(t)
		if base+n > 65535 {
			continue
		}
		ok := true
		for p := base; p < base+n && ok; p++ {
			ok = portFree(p)
		}
		if ok {
			return base
		}
	}
	t.Fatalf("no %d consecutive free ports", n)
	return 0
}

func portFree(port int) bool {
	l, err := net.Listen("tcp4", fmt.Sprintf("0.0.0.0:%d", port))
	if err != nil {
		return false
	}
	defer l.Close()
	u, err := net.ListenPacket("udp4", fmt.Sprintf("0.0.0.0:%d", port))
	if err != nil {
		return false
	}
	u.Close()
	return true
}
