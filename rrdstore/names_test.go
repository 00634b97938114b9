package rrdstore

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestValidateName(t *testing.T) {
	tests := []struct {
		kind, name string
		reason     string // "" when valid
	}{
		{NameKindCluster, "Test Cluster", ""}, // stock keeps spaces
		{NameKindCluster, "P550-DC1-R01", ""},
		{NameKindHost, "lpar-a.example.com", ""},
		{NameKindHost, "-rf", ""},          // never reaches a shell
		{NameKindHost, "\xff\xfe\xc3", ""}, // bytes, like stock
		{NameKindHost, "a..b", ""},
		{NameKindHost, ".hidden", ""},
		{NameKindHost, "10.0.0.1", ""},
		{NameKindMetric, "__SummaryInfo__", ""}, // only a directory name is reserved
		{NameKindCluster, strings.Repeat("c", 255), ""},
		{NameKindMetric, strings.Repeat("m", 251), ""},
		{NameKindCluster, "", NameReasonEmpty},
		{NameKindHost, ".", NameReasonDot},
		{NameKindMetric, "..", NameReasonDot},
		{NameKindHost, "../x", NameReasonSlash},
		{NameKindMetric, "a/b", NameReasonSlash},
		{NameKindHost, "/", NameReasonSlash},
		{NameKindHost, "a\x00b", NameReasonControl},
		{NameKindHost, "a\nb", NameReasonControl},
		{NameKindHost, "\t", NameReasonControl},
		{NameKindMetric, "a\x1fb", NameReasonControl},
		{NameKindMetric, "\x7f", NameReasonControl},
		{NameKindCluster, strings.Repeat("c", 256), NameReasonTooLong},
		{NameKindMetric, strings.Repeat("m", 252), NameReasonTooLong},
		{NameKindHost, strings.Repeat("/", 4096), NameReasonTooLong},
		{NameKindHost, "__SummaryInfo__", NameReasonReserved},
		{NameKindCluster, "__SummaryInfo__", NameReasonReserved},
	}
	for _, tc := range tests {
		err := ValidateName(tc.kind, tc.name, 0)
		if tc.reason == "" {
			if err != nil {
				t.Errorf("ValidateName(%s, %s) = %v, want nil", tc.kind, treeQuoteName(tc.name), err)
			}
			continue
		}
		var ne *NameError
		if !errors.As(err, &ne) || !errors.Is(err, ErrBadName) || ne.Kind != tc.kind || ne.Reason != tc.reason {
			t.Errorf("ValidateName(%s, %s) = %#v, want reason %q", tc.kind, treeQuoteName(tc.name), err, tc.reason)
		}
	}
}

func TestValidateNameMaxLen(t *testing.T) {
	if err := ValidateName(NameKindHost, "abcdef", 5); !errors.Is(err, ErrBadName) {
		t.Errorf("6 bytes with maxLen 5: %v", err)
	}
	if err := ValidateName(NameKindMetric, "a", 5); err != nil {
		t.Errorf("metric a.rrd in 5 bytes: %v", err)
	}
	if err := ValidateName(NameKindMetric, "ab", 5); !errors.Is(err, ErrBadName) {
		t.Errorf("metric ab.rrd in 5 bytes: %v", err)
	}
}

// Hostile names are quoted and truncated before they reach a log.
func TestNameErrorSafeForLogs(t *testing.T) {
	err := ValidateName(NameKindHost, "h\nFAKE"+strings.Repeat("x", 4096), 0)
	msg := err.Error()
	if strings.ContainsAny(msg, "\n\x00") || len(msg) > 200 || !strings.Contains(msg, `"h\nFAKE`) {
		t.Errorf("message %q (%d bytes)", msg, len(msg))
	}
	if !strings.Contains(msg, "(4102 bytes)") {
		t.Errorf("message %q does not give the length", msg)
	}
}

func TestTreeLowerASCII(t *testing.T) {
	for in, want := range map[string]string{
		"":                "",
		"web01":           "web01",
		"Web01.EXAMPLE":   "web01.example",
		"\xffABC":         "\xffabc",
		"ÄÖÜ-X":           "ÄÖÜ-x", // stock's tolower() in the C locale is ASCII only
		"__SummaryInfo__": "__summaryinfo__",
	} {
		if got := treeLowerASCII(in); got != want {
			t.Errorf("treeLowerASCII(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzValidateName checks that a name ValidateName accepts is one path
// component that stays under the root, for every kind, and that lower-
// casing keeps it valid.
func FuzzValidateName(f *testing.F) {
	for _, s := range []string{"lpar-a", "Test Cluster", "..", ".", "../x", "a/b", "a\x00b",
		"\xff", "__SummaryInfo__", "-", " ", "a\\b", "..."} {
		f.Add(s)
	}
	const root = "/var/lib/ganglia/rrds"
	f.Fuzz(func(t *testing.T, name string) {
		for _, kind := range []string{NameKindCluster, NameKindHost, NameKindMetric} {
			err := ValidateName(kind, name, 0)
			if err != nil {
				if !errors.Is(err, ErrBadName) {
					t.Fatalf("error %v is not ErrBadName", err)
				}
				continue
			}
			comp := name
			if kind == NameKindMetric {
				comp += ".rrd"
			}
			p := filepath.Join(root, comp)
			rel, err := filepath.Rel(root, p)
			if err != nil || rel != comp || filepath.Dir(p) != root || filepath.Base(p) != comp {
				t.Fatalf("%s name %q: joined %q, rel %q (%v)", kind, name, p, rel, err)
			}
			if err := ValidateName(kind, treeLowerASCII(name), 0); err != nil {
				t.Fatalf("lower-cased %q invalid: %v", name, err)
			}
		}
	})
}
