package templates_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// A systemd unit checker for machines without systemd-analyze: the syntax
// of systemd.syntax(7) (sections, key=value, # and ; comments, backslash
// continuation) and, for the keys these units use, the values systemd
// accepts. systemd itself only warns about an unknown key or a bad value
// and starts the unit anyway, so a typo would silently drop a setting.

// assignment is one key=value line of a unit, continuation lines joined.
type assignment struct {
	line       int
	key, value string
}

// unitSections maps a section name to its assignments in file order.
type unitSections map[string][]assignment

// get returns the values of key in section, in file order.
func (u unitSections) get(section, key string) []string {
	var vs []string
	for _, a := range u[section] {
		if a.key == key {
			vs = append(vs, a.value)
		}
	}
	return vs
}

// parseUnit splits a unit file into sections the way systemd reads it: a
// trailing backslash joins the next line with a space in its place.
func parseUnit(text string) (unitSections, []string) {
	u := unitSections{}
	var errs []string
	section := ""
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		n, l := i+1, strings.TrimSpace(lines[i])
		for strings.HasSuffix(l, `\`) && i+1 < len(lines) {
			i++
			l = strings.TrimSuffix(l, `\`) + " " + strings.TrimSpace(lines[i])
		}
		switch {
		case l == "" || l[0] == '#' || l[0] == ';':
		case l[0] == '[':
			if !strings.HasSuffix(l, "]") {
				errs = append(errs, fmt.Sprintf("line %d: bad section header %q", n, l))
				continue
			}
			section = l[1 : len(l)-1]
			if _, ok := knownKeys[section]; !ok {
				errs = append(errs, fmt.Sprintf("line %d: unknown section [%s]", n, section))
			}
			if _, ok := u[section]; !ok {
				u[section] = nil // an empty section still counts as present
			}
		default:
			k, v, ok := strings.Cut(l, "=")
			if !ok || section == "" {
				errs = append(errs, fmt.Sprintf("line %d: not a key=value in a section: %q", n, l))
				continue
			}
			u[section] = append(u[section], assignment{n, strings.TrimSpace(k), strings.TrimSpace(v)})
		}
	}
	return u, errs
}

// valueCheck reports what is wrong with a value, "" when systemd takes it.
type valueCheck func(v string) string

func oneOf(allowed ...string) valueCheck {
	return func(v string) string {
		for _, a := range allowed {
			if v == a {
				return ""
			}
		}
		return fmt.Sprintf("%q is not one of %v", v, allowed)
	}
}

var (
	anyValue = func(string) string { return "" }
	boolean  = oneOf("yes", "no", "true", "false", "on", "off", "1", "0")
	unitList = matching(`^[A-Za-z0-9@_.:\\-]+\.(service|target|timer|socket|path|mount)( +[A-Za-z0-9@_.:\\-]+\.(service|target|timer|socket|path|mount))*$`)
	timespan = matching(`^([0-9]+ *(us|ms|s|sec|m|min|h|hr|d|day|w|week)? *)+$|^infinity$`)
	integer  = matching(`^-?[0-9]+$`)
	// calendar accepts the forms a nightly job uses: a keyword or
	// "DOW? Y-M-D H:M[:S]" with * or numbers.
	calendar = matching(`^(daily|weekly|monthly|((Mon|Tue|Wed|Thu|Fri|Sat|Sun)(,(Mon|Tue|Wed|Thu|Fri|Sat|Sun))* )?(\*|[0-9]{4})-(\*|[0-9]{1,2})-(\*|[0-9]{1,2}) [0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)$`)
)

func matching(re string) valueCheck {
	r := regexp.MustCompile(re)
	return func(v string) string {
		if !r.MatchString(v) {
			return fmt.Sprintf("%q does not match %s", v, re)
		}
		return ""
	}
}

// command checks an Exec*= line: optional prefixes (-@:+!), then an
// absolute path, as systemd requires.
func command(v string) string {
	c := strings.TrimLeft(v, "-@:+!")
	if !strings.HasPrefix(c, "/") {
		return fmt.Sprintf("command %q is not an absolute path", v)
	}
	if strings.Count(c, "'")%2 != 0 || strings.Count(c, `"`)%2 != 0 {
		return fmt.Sprintf("unbalanced quotes in %q", v)
	}
	return ""
}

func paths(v string) string {
	for _, p := range strings.Fields(v) {
		if !strings.HasPrefix(strings.TrimLeft(p, "-+"), "/") {
			return fmt.Sprintf("%q is not an absolute path", p)
		}
	}
	return ""
}

func nice(v string) string {
	n, err := strconv.Atoi(v)
	if err != nil || n < -20 || n > 19 {
		return fmt.Sprintf("nice %q is not in -20..19", v)
	}
	return ""
}

// repeatable keys may appear several times; any other key set twice is a
// mistake (systemd silently keeps the last one).
var repeatable = map[string]bool{
	"After": true, "Before": true, "Wants": true, "Requires": true, "Conflicts": true,
	"ExecStartPre": true, "ExecStopPost": true, "ReadWritePaths": true,
	"Environment": true, "WantedBy": true, "OnCalendar": true,
}

// knownKeys lists, per section, the keys these units may use and how their
// values are checked: those of systemd.unit(5), .service(5), .exec(5),
// .kill(5), .timer(5) that a daemon unit commonly needs.
var knownKeys = map[string]map[string]valueCheck{
	"Unit": {
		"Description": anyValue, "Documentation": anyValue,
		"After": unitList, "Before": unitList, "Wants": unitList, "Requires": unitList,
		"Conflicts": unitList, "OnFailure": unitList,
		"ConditionPathIsDirectory": paths, "ConditionPathExists": paths,
		"StartLimitIntervalSec": timespan, "StartLimitBurst": integer,
	},
	"Service": {
		"Type":      oneOf("simple", "exec", "forking", "oneshot", "dbus", "notify", "notify-reload", "idle"),
		"ExecStart": command, "ExecStartPre": command, "ExecReload": command,
		"ExecStop": command, "ExecStopPost": command,
		"Restart":    oneOf("no", "on-success", "on-failure", "on-abnormal", "on-watchdog", "on-abort", "always"),
		"RestartSec": timespan, "TimeoutStartSec": timespan, "TimeoutStopSec": timespan,
		"SuccessExitStatus": anyValue, "PIDFile": paths, "User": anyValue, "Group": anyValue,
		"Environment": anyValue, "EnvironmentFile": paths,
		"Nice": nice, "IOSchedulingClass": oneOf("realtime", "best-effort", "idle"),
		"LimitNOFILE":     matching(`^[0-9]+(:[0-9]+)?$|^infinity$`),
		"NoNewPrivileges": boolean, "PrivateTmp": boolean, "PrivateNetwork": boolean,
		"PrivateDevices": boolean, "ProtectKernelTunables": boolean,
		"ProtectKernelModules": boolean, "ProtectControlGroups": boolean,
		"ProtectSystem":         oneOf("yes", "no", "true", "false", "full", "strict"),
		"ProtectHome":           oneOf("yes", "no", "true", "false", "read-only", "tmpfs"),
		"ReadWritePaths":        paths,
		"CapabilityBoundingSet": matching(`^~?(CAP_[A-Z_]+ *)+$`),
	},
	"Timer": {
		"OnCalendar": calendar, "RandomizedDelaySec": timespan, "AccuracySec": timespan,
		"Persistent": boolean, "OnBootSec": timespan, "Unit": unitList,
	},
	"Install": {"WantedBy": unitList, "RequiredBy": unitList, "Alias": unitList},
}

// checkUnit returns every problem of unit file name (".service" or
// ".timer"); enable says whether it must carry an [Install] section.
func checkUnit(name, text string, enable bool) []string {
	u, errs := parseUnit(text)
	for section, as := range u {
		seen := map[string]int{}
		for _, a := range as {
			check, ok := knownKeys[section][a.key]
			if !ok {
				errs = append(errs, fmt.Sprintf("line %d: unknown key %s in [%s]", a.line, a.key, section))
				continue
			}
			if msg := check(a.value); msg != "" {
				errs = append(errs, fmt.Sprintf("line %d: %s: %s", a.line, a.key, msg))
			}
			if prev, dup := seen[a.key]; dup && !repeatable[a.key] {
				errs = append(errs, fmt.Sprintf("line %d: %s already set on line %d", a.line, a.key, prev))
			}
			seen[a.key] = a.line
		}
	}
	if len(u.get("Unit", "Description")) == 0 {
		errs = append(errs, "[Unit] has no Description")
	}
	switch {
	case strings.HasSuffix(name, ".service"):
		if len(u.get("Service", "ExecStart")) != 1 {
			errs = append(errs, "[Service] needs exactly one ExecStart")
		}
	case strings.HasSuffix(name, ".timer"):
		if len(u.get("Timer", "OnCalendar"))+len(u.get("Timer", "OnBootSec")) == 0 {
			errs = append(errs, "[Timer] has no OnCalendar or OnBootSec")
		}
	default:
		errs = append(errs, "unit name has no known suffix")
	}
	if enable && len(u.get("Install", "WantedBy")) == 0 {
		errs = append(errs, "[Install] has no WantedBy: systemctl enable would do nothing")
	}
	return errs
}

// TestUnitChecker makes sure the Go checker catches the mistakes it is
// there for; otherwise a clean result on the real units would mean little.
func TestUnitChecker(t *testing.T) {
	const good = "[Unit]\nDescription=x\n[Service]\nType=simple\nExecStart=/bin/true -f\n[Install]\nWantedBy=multi-user.target\n"
	if errs := checkUnit("x.service", good, true); len(errs) > 0 {
		t.Fatalf("good unit rejected: %v", errs)
	}
	bad := []struct{ name, text, want string }{
		{"x.service", strings.Replace(good, "Type=simple", "Type=simpel", 1), "Type"},
		{"x.service", strings.Replace(good, "Type=simple", "Tpye=simple", 1), "unknown key Tpye"},
		{"x.service", strings.Replace(good, "/bin/true", "true", 1), "absolute path"},
		{"x.service", strings.Replace(good, "ExecStart=/bin/true -f", "", 1), "ExecStart"},
		{"x.service", strings.Replace(good, "[Service]", "[Sevrice]", 1), "unknown section"},
		{"x.service", strings.Replace(good, "WantedBy=multi-user.target", "", 1), "WantedBy"},
		{"x.service", good + "[Service]\nType=oneshot\n", "already set"},
		{"x.service", "Description=x\n" + good, "not a key=value in a section"},
		{"x.service", strings.Replace(good, "-f", "'-f", 1), "quotes"},
		{"x.service", good + "[Service]\nRestartSec=5 parsecs\n", "RestartSec"},
		{"x.timer", "[Unit]\nDescription=x\n[Timer]\nOnCalendar=at three\n", "OnCalendar"},
		{"x.timer", "[Unit]\nDescription=x\n[Timer]\nPersistent=maybe\nOnCalendar=daily\n", "Persistent"},
	}
	for _, tc := range bad {
		errs := checkUnit(tc.name, tc.text, true)
		if !strings.Contains(strings.Join(errs, "\n"), tc.want) {
			t.Errorf("%q: errors %v do not mention %q", tc.text, errs, tc.want)
		}
	}
	u, _ := parseUnit("[Service]\nExecStart=/bin/sh -c 'a; \\\n    b'\n")
	if got := u.get("Service", "ExecStart"); len(got) != 1 || got[0] != "/bin/sh -c 'a;  b'" {
		t.Errorf("continuation lines joined to %q", got)
	}
}
