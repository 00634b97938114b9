package fleetbench

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestParseStatCPU(t *testing.T) {
	// utime 1234 and stime 66 ticks; the name holds a space and a ')'.
	stat := "4242 (gm etad)) S 1 4242 4242 0 -1 4194560 5000 0 0 0 1234 66 0 0 20 0 9 0 100 0 0\n"
	got, err := parseStatCPU([]byte(stat))
	if err != nil || got != 13*time.Second {
		t.Errorf("parseStatCPU = %v, %v; want 13s", got, err)
	}
	if _, err := parseStatCPU([]byte("4242 (x) S 1 2")); err == nil {
		t.Error("a short stat line was accepted")
	}
}

func TestParseStatusKB(t *testing.T) {
	status := "Name:\tgmetad\nVmPeak:\t  900 kB\nVmHWM:\t  51200 kB\nVmRSS:\t   40960 kB\n"
	for _, tc := range []struct {
		key  string
		want uint64
		ok   bool
	}{
		{"VmHWM", 50 << 20, true},
		{"VmRSS", 40 << 20, true},
		{"VmSwap", 0, false},
	} {
		got, err := parseStatusKB([]byte(status), tc.key)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("%s = %d, %v; want %d (ok %v)", tc.key, got, err, tc.want, tc.ok)
		}
	}
}

func TestParseSocketDrops(t *testing.T) {
	udp6 := "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n" +
		"11359: 00000000000000000000000000000000:477D 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1604290 2 000000008e67b77d 51360\n" +
		"11360: 00000000000000000000000000000000:477E 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1604291 2 000000008e67b77e 7\n" +
		"11361: 00000000000000000000000000000000:0035 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1604292 2 000000008e67b77f 999\n"
	got, err := parseSocketDrops([]byte(udp6), map[int]bool{0x477D: true, 0x477E: true})
	if got != 51367 || err != nil {
		t.Errorf("parseSocketDrops = %d, %v; want 51367", got, err)
	}
}

func TestParseStatus(t *testing.T) {
	doc := "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" +
		`{"host":"vm","metrics":{"received":{"all":9},"rrd":{"steps":7,"files_created":4738,"updates":22402},` +
		`"lpm":{"clusters":3,"hosts":100},"udp":{"packets":18717,"decode_errors_port_1":0}}}` + "\r\n"
	st, err := parseStatus([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	m := st.Metrics
	if m.RRD.Steps != 7 || m.RRD.FilesCreated != 4738 || m.RRD.Updates != 22402 || m.LPM.Hosts != 100 || m.UDP.Packets != 18717 {
		t.Errorf("parseStatus = %+v", m)
	}
	if _, err := parseStatus([]byte(`{"metrics":{}}`)); err == nil {
		t.Error("an answer without an HTTP header was accepted")
	}
}

func TestCountGaps(t *testing.T) {
	n := math.NaN()
	rows := func(v ...float64) [][]float64 {
		r := make([][]float64, len(v))
		for i, x := range v {
			r[i] = []float64{x}
		}
		return r
	}
	for _, tc := range []struct {
		name string
		rows [][]float64
		want gapCount
	}{
		{"none", rows(1, 2, 3), gapCount{Rows: 3}},
		{"interior", rows(1, n, n, 2, n, 3), gapCount{Rows: 6, Interior: 3}},
		{"edges", rows(n, 1, 2, n, n), gapCount{Rows: 5, Leading: 1, Trailing: 2}},
		{"all unknown", rows(n, n), gapCount{Rows: 2, Leading: 2}},
		{"empty", nil, gapCount{}},
	} {
		if got := countGaps(tc.rows); got != tc.want {
			t.Errorf("%s: countGaps = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestHostCounterAcrossWrites(t *testing.T) {
	doc := `<GRID><HOST NAME="a"></HOST><HOST NAME="b"></HOST><HOSTS UP="2"/></GRID></GANGLIA_XML>` + "\n"
	for _, chunk := range []int{1, 3, 5, 7, len(doc)} {
		c := &hostCounter{}
		for s := doc; s != ""; {
			k := min(chunk, len(s))
			c.Write([]byte(s[:k]))
			s = s[k:]
		}
		if c.n != 2 || !strings.HasSuffix(string(c.tail), "</GANGLIA_XML>\n") {
			t.Errorf("chunks of %d: %d hosts, tail %q", chunk, c.n, c.tail)
		}
	}
}

func TestParseLoadgenTotals(t *testing.T) {
	log := "time=x level=INFO msg=stats packets=10 errors=0 skipped=0\n" +
		"time=y level=INFO msg=stopped packets=18717 bytes=1712104 rounds=2 errors=3 skipped=4 packets_per_s=341\n"
	p, e, s := parseLoadgenTotals(log)
	if p != 18717 || e != 3 || s != 4 {
		t.Errorf("parseLoadgenTotals = %d %d %d; want 18717 3 4", p, e, s)
	}
}

func TestLoadgenArgsSplitHosts(t *testing.T) {
	l := &layout{systemPorts: []int{8301, 8302, 8303}}
	got := strings.Join(l.loadgenArgs(Config{Hosts: 10, Metrics: 50, Interval: step}), " ")
	want := "-hosts 10 -metrics 50 -interval 15s -target 127.0.0.1:8301=0-2 -target 127.0.0.1:8302=3-5 -target 127.0.0.1:8303=6-9"
	if got != want {
		t.Errorf("loadgenArgs =\n%s\nwant\n%s", got, want)
	}
}

func TestFileBytes(t *testing.T) {
	// 488 rows of 8 bytes and the header (4,696 bytes written by gmetad)
	// take two 4 KB blocks.
	if got, err := fileBytes(ReducedRRAs); got != 8192 || err != nil {
		t.Errorf("fileBytes(ReducedRRAs) = %d, %v; want 8192", got, err)
	}
	if _, err := fileBytes([]string{"RRA:NOPE"}); err == nil {
		t.Error("a bad RRA was accepted")
	}
}

func TestNumericMetrics(t *testing.T) {
	// The stock set has four string metrics (machine_type, os_name,
	// os_release, gexec); gmetad writes no file for them.
	if got := numericMetrics(50); got != 46 {
		t.Errorf("numericMetrics(50) = %d, want 46", got)
	}
}

func TestParseLostAtClose(t *testing.T) {
	log := `time=a level=INFO msg="shutting down"` + "\n" +
		`time=b level=ERROR msg="rrd updates lost at close" updates=399633 err="rrdstore: 454317 files not flushed"` + "\n"
	if got := parseLostAtClose(log); got != 399633 {
		t.Errorf("parseLostAtClose = %d, want 399633", got)
	}
	if got := parseLostAtClose(`msg="gmetad stopped"`); got != 0 {
		t.Errorf("parseLostAtClose of a clean stop = %d", got)
	}
}
