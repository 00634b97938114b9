package config

import "testing"

// TestCheckReportDefault: check_report defaults to the shipped check
// service's report only with the default rrd_rootdir, whatever the order
// of the lines; a check_report line always wins.
func TestCheckReportDefault(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"", DefaultCheckReport},
		{"rrd_rootdir /var/lib/ganglia/rrds\n", DefaultCheckReport},
		{"rrd_rootdir /srv/rrds\n", ""},
		{"check_report /srv/check.json\nrrd_rootdir /srv/rrds\n", "/srv/check.json"},
		{"rrd_rootdir /srv/rrds\ncheck_report " + DefaultCheckReport + "\n", DefaultCheckReport},
		{"check_report off\n", ""},
		{"check_report off\ncheck_report /srv/check.json\n", "/srv/check.json"},
	} {
		c, _, err := Parser{}.Parse("t.conf", []byte(tt.text), DefaultFor("h"))
		if err != nil {
			t.Fatalf("%q: %v", tt.text, err)
		}
		if c.CheckReport != tt.want {
			t.Errorf("%q: check_report %q, want %q", tt.text, c.CheckReport, tt.want)
		}
		checkRoundTrip(t, c)
	}
	if got := DefaultCheckReportFor("/srv/rrds"); got != "" {
		t.Errorf("DefaultCheckReportFor(/srv/rrds) = %q, want none", got)
	}
}
