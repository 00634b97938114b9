package xmlout

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.golden (never testdata/stock)")

const stockDir = "testdata/stock"

// readTime reads a capture's .time file: "seconds.nanoseconds".
func readTime(t *testing.T, path string) time.Time {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sec, frac, _ := strings.Cut(strings.TrimSpace(string(b)), ".")
	s, err1 := strconv.ParseInt(sec, 10, 64)
	ns, err2 := strconv.ParseInt((frac + "000000000")[:9], 10, 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("%s: bad time %q", path, b)
	}
	return time.Unix(s, ns)
}

// TestGoldenInteractive answers the 17 captured interactive requests from
// the snapshot stock gmetad held (its xml_port dump plus the summaries of
// answer 02) at the captured request times, and compares with stock's
// bytes.
func TestGoldenInteractive(t *testing.T) {
	snap := loadDocs(t, filepath.Join(stockDir, "gmetad-full.xml"), filepath.Join(stockDir, "interactive/02.response"))
	dir := filepath.Join(stockDir, "interactive")
	reqs, _ := filepath.Glob(filepath.Join(dir, "*.request"))
	if len(reqs) != 17 {
		t.Fatalf("found %d captured requests, want 17", len(reqs))
	}
	raw := 0
	for _, rp := range reqs {
		base := strings.TrimSuffix(rp, ".request")
		t.Run(filepath.Base(base), func(t *testing.T) {
			line, _ := os.ReadFile(rp)
			want, _ := os.ReadFile(base + ".response")
			now := readTime(t, base+".time")
			var out bytes.Buffer
			res, err := Answer(&out, snap, string(line), now)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status {
				st := statusFromCapture(t, want)
				if err := WriteStatus(&out, &st, res.Callback); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(normalise(out.Bytes()), normalise(want)) {
				t.Fatalf("request %q differs from stock: %s", line, firstDiff(normalise(out.Bytes()), normalise(want)))
			}
			if bytes.Equal(out.Bytes(), want) {
				raw++
			}
			if len(want) > 0 && !res.Status {
				if _, err := parseXML(out.Bytes()); err != nil {
					t.Errorf("not well-formed: %v", err)
				}
			}
		})
	}
	t.Logf("%d of %d answers byte-identical to stock before normalisation", raw, len(reqs))
}

// statusFromCapture fills a Status with the values stock reported in
// capture 15; the local-metric groups are read from the JSON in order.
func statusFromCapture(t *testing.T, resp []byte) Status {
	t.Helper()
	body, _ := stripHTTP(resp)
	var top struct {
		Metrics json.RawMessage `json:"metrics"`
	}
	if err := json.Unmarshal(body, &top); err != nil {
		t.Fatal(err)
	}
	st := Status{
		GridName:  "TestGrid",
		Time:      time.UnixMilli(1795303285315),
		Started:   time.UnixMilli(1795303139231),
		Sent:      SentStats{RRDTool: TimedCounter{LastTime: time.UnixMilli(1795303281692)}},
		Summarize: SummarizeStats{LastTime: time.UnixMilli(1795303281692)},
		Polls:     PollStats{OK: TimedCounter{LastTime: time.UnixMilli(1795303272743)}},
	}
	d := json.NewDecoder(bytes.NewReader(top.Metrics))
	d.UseNumber()
	d.Token() // {
	for d.More() {
		key, _ := d.Token()
		if k := key.(string); k == "received" || k == "sent" || k == "summarize" || k == "requests" || k == "polls" {
			var skip json.RawMessage
			d.Decode(&skip)
			continue
		}
		g := StatusGroup{Name: key.(string)}
		d.Token() // {
		for d.More() {
			name, _ := d.Token()
			v, _ := d.Token()
			switch v := v.(type) {
			case json.Number:
				if strings.Contains(string(v), ".") {
					f, _ := v.Float64()
					g.Fields = append(g.Fields, FloatField(name.(string), f))
				} else {
					n, _ := v.Int64()
					g.Fields = append(g.Fields, IntField(name.(string), n))
				}
			case string:
				g.Fields = append(g.Fields, StringField(name.(string), v))
			}
		}
		d.Token() // }
		st.Groups = append(st.Groups, g)
	}
	return st
}

var badValRE = regexp.MustCompile(`VAL="[^"]*[<&][^"]*"`)

var gridTimeRE = regexp.MustCompile(`<GRID [^>]*LOCALTIME="(\d+)"`)

// TestGoldenCaptures round-trips the earlier run's captures: each document
// is loaded and asked the request that produced it, at its own GRID
// LOCALTIME. Three of them hold a string VAL stock did not escape; those
// lines (and only those) must differ by our escaping alone.
func TestGoldenCaptures(t *testing.T) {
	cases := []struct{ file, request string }{
		{"gmetad_xml_port.xml", ""},
		{"gmetad_interactive_root_summary.xml", "/?filter=summary"},
		{"gmetad_interactive_cluster.xml", "/Test Cluster"},
		{"gmetad_interactive_cluster_summary.xml", "/Test Cluster?filter=summary"},
		{"gmetad_interactive_host.xml", "/Test Cluster/localhost"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			path := filepath.Join(stockDir, "captures", c.file)
			want, _ := os.ReadFile(path)
			snap := loadDocs(t, path)
			now := time.Unix(num[int64](string(gridTimeRE.FindSubmatch(want)[1])), 0)
			var out bytes.Buffer
			if c.request == "" {
				if err := WriteFull(&out, snap, now); err != nil {
					t.Fatal(err)
				}
			} else if _, err := Answer(&out, snap, c.request, now); err != nil {
				t.Fatal(err)
			}
			if _, err := parseXML(out.Bytes()); err != nil {
				t.Fatalf("not well-formed: %v", err)
			}
			compareEscaped(t, out.Bytes(), want)
		})
	}
}

// compareEscaped compares line by line; a line may differ only where
// stock left '<' or '&' raw in a VAL and ours is its escaped form.
func compareEscaped(t *testing.T, got, want []byte) {
	t.Helper()
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	if len(g) != len(w) {
		t.Fatalf("%d lines, stock has %d: %s", len(g), len(w), firstDiff(got, want))
	}
	escaped := 0
	for i := range g {
		if bytes.Equal(g[i], w[i]) {
			continue
		}
		if !badValRE.Match(w[i]) || unescaper.Replace(string(g[i])) != string(w[i]) {
			t.Fatalf("line %d:\n got: %q\nwant: %q", i+1, g[i], w[i])
		}
		escaped++
	}
	if bad := len(badValRE.FindAll(want, -1)); escaped != bad {
		t.Errorf("%d lines differ by escaping, stock has %d unescaped VALs", escaped, bad)
	}
}

// TestGoldenSynthetic pins our own answers for fixtures stock never saw:
// hostile names (escaping) and the HTTP wildcard over a remote grid.
func TestGoldenSynthetic(t *testing.T) {
	cases := []struct {
		name    string
		snap    *Snapshot
		request string
	}{
		{"hostile-full", hostileSnapshot(), "/"},
		{"hostile-summary", hostileSnapshot(), "/?filter=summary"},
		{"small-http-wildcard", smallSnapshot(), "GET /*/h1 HTTP/1.1"},
		{"small-summary", smallSnapshot(), "/?filter=summary"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			if res, err := Answer(&out, c.snap, c.request, fixtureNow); err != nil || res.Malformed {
				t.Fatalf("Answer: %+v, %v", res, err)
			}
			if _, err := parseXML(out.Bytes()); err != nil {
				t.Fatalf("not well-formed: %v", err)
			}
			path := filepath.Join("testdata/golden", c.name+".golden")
			if *update {
				os.MkdirAll(filepath.Dir(path), 0o755)
				if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create)", err)
			}
			if !bytes.Equal(out.Bytes(), want) {
				t.Fatalf("differs from %s: %s", path, firstDiff(out.Bytes(), want))
			}
		})
	}
}
