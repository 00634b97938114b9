package templates

import (
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestHooksSignalGmond runs each hook the way drmgr or errdemon would, with
// a pid file naming this test process, and checks that SIGHUP arrives only
// in the phase that follows a completed move.
func TestHooksSignalGmond(t *testing.T) {
	hups := make(chan os.Signal, 4)
	signal.Notify(hups, syscall.SIGHUP)
	defer signal.Stop(hups)
	pidfile := filepath.Join(t.TempDir(), "gmond.pid")
	if err := os.WriteFile(pidfile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		script string
		shell  string
		env    []string
		args   []string
		signal bool
	}{
		{"drmgr post", DrmgrPmigHook, "sh", []string{"DRC_TYPE=pmig", "PHASE=post"}, nil, true},
		{"drmgr check", DrmgrPmigHook, "sh", []string{"DRC_TYPE=pmig", "PHASE=check"}, nil, false},
		{"drmgr pre", DrmgrPmigHook, "sh", []string{"DRC_TYPE=pmig", "PHASE=pre"}, nil, false},
		{"drmgr cpu", DrmgrPmigHook, "sh", []string{"DRC_TYPE=cpu", "PHASE=post"}, nil, false},
		{"errnotify done", AIXPmigHook, "sh", nil, []string{"4711", "CLIENT_PMIG_DONE"}, true},
		{"errnotify aborted", AIXPmigHook, "sh", nil, []string{"4712", "CLIENT_PMIG_ABORTED"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			script := filepath.Join(t.TempDir(), "hook")
			if err := os.WriteFile(script, []byte(tc.script), 0o755); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(tc.shell, append([]string{script}, tc.args...)...)
			cmd.Env = append([]string{"PATH=/usr/bin:/bin", "GMOND_PIDFILE=" + pidfile}, tc.env...)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("hook failed: %v\n%s", err, out)
			}
			// The script has exited, and kill(2) to our own pid is queued
			// before it returns; the signal is delivered to the channel
			// shortly after. When none is expected, nothing is pending.
			select {
			case <-hups:
				if !tc.signal {
					t.Error("hook sent SIGHUP outside the post-move phase")
				}
			case <-time.After(signalWait(tc.signal)):
				if tc.signal {
					t.Error("hook did not send SIGHUP")
				}
			}
		})
	}
}

// signalWait is how long to wait for a signal: generous when one is
// expected (it normally arrives in microseconds), short when not.
func signalWait(expected bool) time.Duration {
	if expected {
		return 10 * time.Second
	}
	return 200 * time.Millisecond
}

func TestErrnotifyStanza(t *testing.T) {
	for _, want := range []string{`en_label = "CLIENT_PMIG_DONE"`, "en_persistenceflg = 1", "$1 $9", "aix-pmig-gmond"} {
		if !strings.Contains(ErrnotifyPmig, want) {
			t.Errorf("errnotify stanza lacks %q", want)
		}
	}
	if strings.Contains(ErrnotifyPmig, "#") {
		t.Error("odmadd stanzas must not carry comments")
	}
}
