package templates_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/mapping"
	"github.com/ganglia-lpm/ganglia-lpm/templates"
)

// units are the systemd files make install puts into UNITDIR; enable says
// whether systemctl enable applies to them (the check service is started
// by its timer only).
var units = []struct {
	name, text string
	enable     bool
}{
	{"gmond.service", templates.GmondUnit, true},
	{"gmetad.service", templates.GmetadUnit, true},
	{"ganglia-lpm-check.service", templates.CheckUnit, false},
	{"ganglia-lpm-check.timer", templates.CheckTimer, true},
}

// TestUnits checks every unit with the Go checker, and then with
// systemd-analyze verify where it is installed, on units installed by
// make install with a PREFIX whose binaries exist (verify insists that
// every Exec*= command is there).
func TestUnits(t *testing.T) {
	for _, u := range units {
		for _, e := range checkUnit(u.name, u.text, u.enable) {
			t.Errorf("%s: %s", u.name, e)
		}
	}
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Logf("systemd-analyze not installed: %d units checked by the Go syntax check only", len(units))
		return
	}
	pfx := filepath.Join(t.TempDir(), "pfx")
	makeInstall(t, "PREFIX="+pfx, "DRMGRDIR="+pfx+"/etc/drmgr.d/pmig")
	var files []string
	for _, u := range units {
		files = append(files, filepath.Join(pfx, "lib/systemd/system", u.name))
	}
	out, err := exec.Command(analyze, append([]string{"verify"}, files...)...).CombinedOutput()
	// verify exits 0 on unknown keys and bad values (systemd ignores them
	// with a warning), so any line about our units is a failure.
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		for _, u := range units {
			if strings.Contains(l, u.name) {
				t.Errorf("systemd-analyze verify: %s", l)
				break
			}
		}
	}
	if err != nil {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	t.Logf("%d units checked by the Go syntax check and by %s verify", len(units), analyze)
}

// TestUnitsMatchDaemons pins what the units say about the binaries
// (cmd/gmond/doc.go, cmd/gmetad/doc.go): foreground, no readiness
// notification, root at start (both setuid themselves), SIGHUP reloads,
// and the pid file where the LPM hooks look for gmond.
func TestUnitsMatchDaemons(t *testing.T) {
	for _, d := range []struct{ name, text, execStart string }{
		{"gmond", templates.GmondUnit, "/usr/local/sbin/gmond -f -p " + hookPidFile(t, templates.DrmgrPmigHook)},
		{"gmetad", templates.GmetadUnit, "/usr/local/sbin/gmetad -f"},
	} {
		u, _ := parseUnit(d.text)
		want := map[[2]string]string{
			{"Service", "Type"}:       "simple",
			{"Service", "ExecStart"}:  d.execStart,
			{"Service", "ExecReload"}: "/bin/kill -HUP $MAINPID",
			{"Service", "Restart"}:    "on-failure",
			{"Unit", "After"}:         "network-online.target",
			{"Unit", "Wants"}:         "network-online.target",
			{"Install", "WantedBy"}:   "multi-user.target",
		}
		for k, v := range want {
			if got := u.get(k[0], k[1]); len(got) != 1 || got[0] != v {
				t.Errorf("%s: [%s] %s = %q, want %q", d.name, k[0], k[1], got, v)
			}
		}
		if got := u.get("Service", "User"); len(got) > 0 {
			t.Errorf("%s: User=%s, but the daemon must start as root to setuid itself", d.name, got)
		}
	}
	u, _ := parseUnit(templates.GmondUnit)
	pid := hookPidFile(t, templates.DrmgrPmigHook)
	if got := u.get("Service", "ExecStopPost"); len(got) != 1 || got[0] != "/bin/rm -f "+pid {
		t.Errorf("gmond: ExecStopPost = %q, want removal of %s", got, pid)
	}
	// On AIX the errnotify method reads the pid file that SRC's and the
	// rc.d script's gmond writes.
	aixPid := hookPidFile(t, templates.AIXPmigHook)
	if !strings.Contains(templates.AIXRcGmond, "\nPIDFILE="+aixPid+"\n") {
		t.Errorf("rc.gmond does not use the errnotify method's pid file %s", aixPid)
	}
	if !strings.Contains(templates.AIXMkssys, `-a "-f -p `+aixPid+`"`) {
		t.Errorf("mkssys-gmond does not run gmond -f -p %s", aixPid)
	}
	if !strings.Contains(templates.ErrnotifyPmig, "/usr/local/libexec/ganglia-lpm/aix-pmig-gmond") {
		t.Error("errnotify stanza no longer names LIBEXECDIR's aix-pmig-gmond, where make install puts it")
	}
}

// hookPidFile is the pid file a hook reads when GMOND_PIDFILE is unset.
func hookPidFile(t *testing.T, hook string) string {
	t.Helper()
	m := regexp.MustCompile(`PIDFILE=\$\{GMOND_PIDFILE:-([^}]+)\}`).FindStringSubmatch(hook)
	if m == nil {
		t.Fatal("hook has no PIDFILE=${GMOND_PIDFILE:-...} default")
	}
	return m[1]
}

// checkScript is the shell command the check service runs, as systemd
// hands it to /bin/sh ($$ is systemd's escape for $).
func checkScript(t *testing.T) string {
	t.Helper()
	u, _ := parseUnit(templates.CheckUnit)
	cmd := u.get("Service", "ExecStart")
	const pre = "/bin/sh -c '"
	if len(cmd) != 1 || !strings.HasPrefix(cmd[0], pre) || !strings.HasSuffix(cmd[0], "'") {
		t.Fatalf("check service ExecStart = %q, want %s...'", cmd, pre)
	}
	s := strings.TrimSuffix(strings.TrimPrefix(cmd[0], pre), "'")
	if strings.Contains(s, "'") {
		t.Fatal("single quote inside the sh -c script")
	}
	return strings.ReplaceAll(s, "$$", "$")
}

// cronCommand is the command of the one job line in the cron.d file,
// after checking its schedule and user.
func cronCommand(t *testing.T) string {
	t.Helper()
	var jobs []string
	for _, l := range strings.Split(templates.CheckCron, "\n") {
		if l == "" || l[0] == '#' || regexp.MustCompile(`^[A-Z_]+=`).MatchString(l) {
			continue
		}
		jobs = append(jobs, l)
	}
	if len(jobs) != 1 {
		t.Fatalf("cron file has %d job lines, want 1: %q", len(jobs), jobs)
	}
	m := regexp.MustCompile(`^([0-9]+) ([0-9]+) \* \* \* (root) (.+)$`).FindStringSubmatch(jobs[0])
	if m == nil {
		t.Fatalf("cron line %q is not \"M H * * * root command\"", jobs[0])
	}
	if strings.Contains(m[4], "%") {
		t.Error("cron turns % into newlines: escape it")
	}
	return m[4]
}

// TestShellScriptsParse runs sh -n on every shell script that ships, and
// ksh -n as well on the AIX ones when a ksh is installed.
func TestShellScriptsParse(t *testing.T) {
	scripts := []struct {
		name, text string
		aix        bool
	}{
		{"hooks/drmgr-pmig-gmond", templates.DrmgrPmigHook, false},
		{"hooks/aix-pmig-gmond", templates.AIXPmigHook, true},
		{"aix/rc.gmond", templates.AIXRcGmond, true},
		{"aix/mkssys-gmond", templates.AIXMkssys, true},
		{"systemd/ganglia-lpm-check.service ExecStart", checkScript(t), false},
		{"cron/ganglia-lpm-check job", cronCommand(t), false},
	}
	shells := append([]string{"sh"}, kshell()...)
	for _, s := range scripts {
		for _, sh := range shells {
			if sh != "sh" && !s.aix {
				continue
			}
			if out, err := exec.Command(sh, "-n", "-c", s.text).CombinedOutput(); err != nil {
				t.Errorf("%s -n %s: %v\n%s", sh, s.name, err, out)
			}
		}
	}
	t.Logf("%d scripts parsed with %v", len(scripts), shells)
}

// TestExampleMapping loads the shipped example with the daemons' own
// parser: the seed setup's three managed systems, the default, one host
// rule.
func TestExampleMapping(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lpm.toml")
	if err := os.WriteFile(path, []byte(templates.ExampleMapping), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := mapping.Load(path)
	if err != nil {
		t.Fatalf("example mapping does not load:\n%v", err)
	}
	seed := []mapping.System{
		{Name: "P550-DC1-R01", ModelSerial: "8204-E8A_0000001", Port: 8301},
		{Name: "P770-DC1-R05", ModelSerial: "9117-MMB_0000002", Port: 8302},
		{Name: "P770-DC2-R35", ModelSerial: "9117-MMB_0004711", Port: 8303},
	}
	if len(m.Systems) != len(seed) {
		t.Fatalf("%d managed systems, want the seed's %d", len(m.Systems), len(seed))
	}
	for i, s := range seed {
		got := m.Systems[i]
		if got.Name != s.Name || got.ModelSerial != s.ModelSerial || got.Port != s.Port {
			t.Errorf("managed_system[%d] = %s %s %d, want %s %s %d", i, got.Name, got.ModelSerial, got.Port, s.Name, s.ModelSerial, s.Port)
		}
	}
	if m.Default.Cluster == "" || m.Default.Port == 0 || len(m.Hosts) != 1 {
		t.Errorf("default %+v and %d host rules, want a default and one rule", m.Default, len(m.Hosts))
	}
	key, err := mapping.ChassisKey("IBM,9117-MMB", "IBM,020004711") // uname -M, uname -u
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Resolve("lpar7", key); got.Cluster != "P770-DC2-R35" || got.Port != 8303 {
		t.Errorf("an LPAR on the DC2 frame resolves to %+v", got)
	}
	if got := m.Resolve(m.Hosts[0].Name, key); got.Source != mapping.SourceHostRule {
		t.Errorf("host rule %s does not apply: %+v", m.Hosts[0].Name, got)
	}
}
