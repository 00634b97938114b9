package poller

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestLimits(t *testing.T) {
	long := strings.Repeat("x", 20)
	tests := []struct {
		name   string
		opts   ParseOptions
		doc    string
		reason Reason
		count  int
		check  func(t *testing.T, c *Cluster)
	}{
		{
			name:   "MaxHosts",
			opts:   ParseOptions{MaxHosts: 2},
			doc:    gmondDoc(host("a", "", metric("m", "1", "float")), host("b", ""), host("c", "", metric("m", "1", "float"))),
			reason: ReasonHostLimit, count: 1,
			check: func(t *testing.T, c *Cluster) {
				// Hosts past the limit are still counted, not summed.
				if len(c.Hosts) != 2 || c.Summary.Up != 3 || c.Summary.Metrics[0].Num != 1 {
					t.Errorf("%d hosts, summary %+v", len(c.Hosts), c.Summary)
				}
			},
		},
		{
			name:   "MaxMetricsPerHost",
			opts:   ParseOptions{MaxMetricsPerHost: 2},
			doc:    gmondDoc(host("a", "", metric("m1", "1", "float"), metric("m2", "1", "float"), metric("m3", "1", "float"))),
			reason: ReasonMetricLimit, count: 1,
			check: func(t *testing.T, c *Cluster) {
				if len(c.Hosts[0].Metrics) != 2 || len(c.Summary.Metrics) != 2 {
					t.Errorf("metrics %+v", c.Hosts[0].Metrics)
				}
			},
		},
		{
			name:   "MaxNameLen host",
			opts:   ParseOptions{MaxNameLen: 19},
			doc:    gmondDoc(host(long, "", metric("m", "1", "float")), host("b", "")),
			reason: ReasonNameTooLong, count: 1,
			check: func(t *testing.T, c *Cluster) {
				if len(c.Hosts) != 1 || c.Hosts[0].Name != "b" || len(c.Summary.Metrics) != 0 {
					t.Errorf("hosts %+v", c.Hosts)
				}
			},
		},
		{
			name:   "MaxNameLen metric and extra",
			opts:   ParseOptions{MaxNameLen: 19},
			doc:    gmondDoc(host("a", "", metric(long, "1", "float"), metric("m", "1", "float", long, "v", "G", "g"))),
			reason: ReasonNameTooLong, count: 2,
			check: func(t *testing.T, c *Cluster) {
				if len(c.Hosts[0].Metrics) != 1 || len(c.Hosts[0].Metrics[0].Extra) != 1 {
					t.Errorf("metrics %+v", c.Hosts[0].Metrics)
				}
			},
		},
		{
			name:   "MaxNameLen allows the limit",
			opts:   ParseOptions{MaxNameLen: 20},
			doc:    gmondDoc(host(long, "", metric(long, "1", "float"))),
			reason: ReasonNameTooLong, count: 0,
		},
		{
			name:   "MaxSummaryMetrics",
			opts:   ParseOptions{MaxSummaryMetrics: 1},
			doc:    gmondDoc(host("a", "", metric("m1", "1", "float"), metric("m2", "1", "float", "G", "g"))),
			reason: ReasonSummaryLimit, count: 1,
			check: func(t *testing.T, c *Cluster) {
				// The metric is kept; only the summary is bounded.
				if len(c.Hosts[0].Metrics) != 2 || len(c.Summary.Metrics) != 1 {
					t.Errorf("metrics %+v summary %+v", c.Hosts[0].Metrics, c.Summary)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, c := mustCluster(t, tc.doc, tc.opts)
			if rep.Skipped[tc.reason] != tc.count {
				t.Errorf("Skipped = %v, want %s %d", rep.Skipped, tc.reason, tc.count)
			}
			if tc.check != nil {
				tc.check(t, c)
			}
		})
	}
}

// endless is a gmond dump that never ends: hosts forever.
type endless struct {
	buf  []byte
	n    int64 // bytes served
	host int
}

func (e *endless) Read(p []byte) (int, error) {
	if len(e.buf) == 0 {
		if e.host == 0 {
			e.buf = []byte(strings.TrimSuffix(gmondDoc(), "</CLUSTER>\n</GANGLIA_XML>\n"))
		}
		e.host++
		e.buf = append(e.buf, host(fmt.Sprintf("h%d", e.host), "", metric("m", "1", "float", "G", "g"))...)
	}
	n := copy(p, e.buf)
	e.buf = e.buf[n:]
	e.n += int64(n)
	return n, nil
}

func TestMaxBytes(t *testing.T) {
	const limit = 256 << 10
	src := &endless{}
	rep, err := Parse(src, testNow, ParseOptions{MaxBytes: limit, MaxHosts: 100})
	if !errors.Is(err, ErrTooLarge) || rep.Complete {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if src.n > limit+64<<10 {
		t.Errorf("read %d bytes with a limit of %d", src.n, limit)
	}
	if len(rep.Cluster.Hosts) != 100 || rep.Skipped[ReasonHostLimit] == 0 {
		t.Errorf("%d hosts kept, Skipped %v", len(rep.Cluster.Hosts), rep.Skipped)
	}
}

func TestGzipBomb(t *testing.T) {
	// 4 MiB of spaces inflate from a few kB; the limit applies after gunzip.
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestSpeed)
	io.WriteString(zw, gmondDoc(host("a", "")))
	zw.Write(bytes.Repeat([]byte{' '}, 4<<20))
	zw.Close()
	rep, err := Parse(&gz, testNow, ParseOptions{MaxBytes: 256 << 10})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if rep.Cluster == nil || len(rep.Cluster.Hosts) != 1 {
		t.Errorf("report %+v", rep)
	}
}

func TestBadGzip(t *testing.T) {
	gz := gzipBytes(t, []byte(gmondDoc(host("a", ""))))
	for name, b := range map[string][]byte{
		"bad header": append([]byte{0x1f, 0x8b, 0xff}, gz[3:]...),
		"corrupt":    append(append([]byte{}, gz[:20]...), bytes.Repeat([]byte{0xff}, 50)...),
		"truncated":  gz[:len(gz)/2],
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse(bytes.NewReader(b), testNow, ParseOptions{})
			if !errors.Is(err, ErrGzip) {
				t.Errorf("err = %v, want ErrGzip", err)
			}
		})
	}
}

// failingReader serves a prefix, then fails.
type failingReader struct {
	r   io.Reader
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, f.err
	}
	return n, err
}

func TestReadError(t *testing.T) {
	boom := errors.New("connection reset")
	doc := gmondDoc(host("a", ""), host("b", ""))
	for name, r := range map[string]io.Reader{
		"plain":   &failingReader{r: strings.NewReader(doc[:len(doc)-40]), err: boom},
		"gzipped": &failingReader{r: bytes.NewReader(gzipBytes(t, []byte(doc))[:60]), err: boom},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse(r, testNow, ParseOptions{})
			if !errors.Is(err, ErrRead) || !errors.Is(err, boom) {
				t.Errorf("err = %v, want ErrRead wrapping %v", err, boom)
			}
		})
	}
}
