package xmlout

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestParseRequestMalformed(t *testing.T) {
	cases := []struct {
		line string
		want error
	}{
		{"", ErrEmpty},
		{"\n", ErrEmpty},
		{"\r\n/c1", ErrEmpty}, // the line ends at the first terminator
		{"c1", ErrNoSlash},
		{"P770-DC1-R05", ErrNoSlash}, // capture 14
		{" /c1", ErrNoSlash},
		{"GET /c1", ErrNoSlash},              // under 12 bytes: not HTTP, so no '/'
		{"GET HTTP/1.0", ErrNoSlash},         // 12 bytes, empty path
		{"GET /c1 HTTP/2.0", ErrHTTPVersion}, // "GET " and 12+ bytes commit to HTTP
		{"GET /c1xxxxxxxxxxx", ErrHTTPVersion},
		{"GET /c1 http/1.0", ErrHTTPVersion},
		{"GET c1 HTTP/1.0", ErrNoSlash},
		{"/?filter", ErrFilter},
		{"/c1?summary", ErrFilter},
		{"/c1?", ErrFilter},
		{"/My%20Cluster", ErrForbidden}, // no URL decoding: '%' is refused
		{"/c1\x00", ErrNUL},
		{"/" + strings.Repeat("a", MaxRequestLen-1), ErrTooLong},
		{"/" + strings.Repeat("a", 5000), ErrTooLong},
		{"/status?callback=<script>", ErrCallback},
		{"/status?callback=a(b)", ErrCallback},
		{"GET /status?callback=x;alert(1) HTTP/1.0", ErrCallback},
	}
	for _, c := range strings.Split(forbidden, "") {
		cases = append(cases, struct {
			line string
			want error
		}{"/c1/h" + c + "1", ErrForbidden}, struct {
			line string
			want error
		}{"GET /c1" + c + " HTTP/1.0", ErrForbidden})
	}
	snap := smallSnapshot()
	for _, c := range cases {
		_, err := ParseRequest(c.line)
		if !errors.Is(err, c.want) || !errors.Is(err, ErrMalformed) {
			t.Errorf("ParseRequest(%q) = %v, want %v", c.line, err, c.want)
		}
		var out bytes.Buffer
		res, err := Answer(&out, snap, c.line, fixtureNow)
		if err != nil || !res.Malformed || !errors.Is(res.Reason, c.want) || out.Len() != 0 {
			t.Errorf("Answer(%q) = %+v, %v, wrote %d bytes; want Malformed, nothing written", c.line, res, err, out.Len())
		}
	}
}

func TestParseRequest(t *testing.T) {
	cases := []struct {
		line string
		want Request
	}{
		{"/", Request{Path: "/"}},
		{"/c1\n", Request{Path: "/c1"}},
		{"/c1\r\n/ignored<", Request{Path: "/c1"}},
		{"/c1\rtrailing", Request{Path: "/c1"}},
		{"/?filter=summary", Request{Path: "/", Filter: SummaryFilter}},
		{"/c1?foo=summary", Request{Path: "/c1", Filter: SummaryFilter}}, // stock reads only the value
		{"/c1?filter=bogus", Request{Path: "/c1", UnknownFilter: "filter=bogus"}},
		{"/c1?filter=", Request{Path: "/c1", UnknownFilter: "filter="}},
		{"/a?b?filter=summary", Request{Path: "/a", Filter: SummaryFilter}},
		{"GET /c1/h1 HTTP/1.0", Request{HTTP: true, Path: "/c1/h1"}},
		{"GET /My Cluster/web 1?filter=summary HTTP/1.1", Request{HTTP: true, Path: "/My Cluster/web 1", Filter: SummaryFilter}},
		{"/status", Request{Status: true, Path: "/status"}},
		{"/STATUS", Request{Status: true, Path: "/STATUS"}},
		{"/statusanything", Request{Status: true, Path: "/statusanything"}},
		{"/status?callback=cb", Request{Status: true, Path: "/status?callback=cb", Callback: "cb"}},
		{"/status?callback=jQuery_1.9$x&_=1", Request{Status: true, Path: "/status?callback=jQuery_1.9$x&_=1", Callback: "jQuery_1.9$x"}},
		{"/status?callback=", Request{Status: true, Path: "/status?callback="}},
		{"GET /status HTTP/1.1", Request{HTTP: true, Status: true, Path: "/status"}},
		{"/" + strings.Repeat("a", MaxRequestLen-2), Request{Path: "/" + strings.Repeat("a", MaxRequestLen-2)}},
		{"/tab\there", Request{Path: "/tab\there"}},
	}
	for _, c := range cases {
		got, err := ParseRequest(c.line)
		if err != nil || got != c.want {
			t.Errorf("ParseRequest(%q) = %+v, %v; want %+v", c.line, got, err, c.want)
		}
	}
}

// The expected answers use skeleton's notation: C(cluster)[...],
// G(remote grid)[...], H(host)[...], M(metric), U = HOSTS, S(m) = METRICS.
const (
	c1Full   = "C(c1)[H(h1)[M(m1)M(m2)]H(h2)[M(m1)]]" // h2's m9 is past its DMAX
	myFull   = "C(My Cluster)[H(web 1)[M(m1)]]"
	g1       = "G(g1)[US(m1)]"
	rootFull = c1Full + myFull + g1
	rootSum  = "US(m1)C(c1)[US(m1)]C(My Cluster)[US(m1)]" + g1
)

func TestAnswerGrammar(t *testing.T) {
	cases := []struct {
		name, line, want string
	}{
		{"root", "/", rootFull},
		{"root summary", "/?filter=summary", rootSum},
		{"unknown filter ignored", "/?filter=bogus", rootFull},
		{"cluster", "/c1", c1Full},
		{"cluster summary", "/c1?filter=summary", "C(c1)[US(m1)]"},
		{"host", "/c1/h1", "C(c1)[H(h1)[M(m1)M(m2)]]"},
		{"host summary is empty", "/c1/h1?filter=summary", "C(c1)[H(h1)[]]"},
		{"metric", "/c1/h1/m2", "C(c1)[H(h1)[M(m2)]]"},
		{"metric summary", "/c1/h1/m2?filter=summary", "C(c1)[H(h1)[M(m2)]]"},
		{"below metric ignored", "/c1/h1/m2/x/y", "C(c1)[H(h1)[M(m2)]]"},
		{"expired metric", "/c1/h2/m9", "C(c1)[H(h2)[]]"},
		{"grid source", "/g1", g1},
		{"below grid ignored", "/g1/h1", g1},
		{"below grid ignored http", "GET /g1/nosuch HTTP/1.0", g1},
		{"spaces", "/My Cluster/web 1", "C(My Cluster)[H(web 1)[M(m1)]]"},
		{"spaces http", "GET /My Cluster/web 1/m1 HTTP/1.1", "C(My Cluster)[H(web 1)[M(m1)]]"},
		{"trailing slash cluster", "/c1/", c1Full},
		{"trailing slash host", "/c1/h1/", "C(c1)[H(h1)[M(m1)M(m2)]]"},
		{"plain miss root", "/nosuch", rootFull},
		{"plain miss empty element", "//", rootFull},
		{"plain miss host", "/c1/nosuch", c1Full},
		{"plain miss metric", "/c1/h1/nosuch", "C(c1)[H(h1)[M(m1)M(m2)]]"},
		{"plain miss keeps filter", "/c1/nosuch?filter=summary", "C(c1)[US(m1)]"},
		{"plain star is a miss", "/c1/*/m1", c1Full},
		{"case sensitive", "/C1", rootFull},
		{"http root", "GET / HTTP/1.0", rootFull},
		{"http miss root", "GET /nosuch HTTP/1.0", ""},
		{"http miss empty element", "GET // HTTP/1.0", ""},
		{"http miss host", "GET /c1/nosuch HTTP/1.0", "C(c1)[]"},
		{"http miss metric", "GET /c1/h1/nosuch HTTP/1.1", "C(c1)[H(h1)[]]"},
		{"http case sensitive", "GET /C1 HTTP/1.0", ""},
		{"http star sources", "GET /* HTTP/1.0", rootFull},
		{"http star then host", "GET /*/h1 HTTP/1.0", "C(c1)[H(h1)[M(m1)M(m2)]]C(My Cluster)[]" + g1},
		{"http star hosts", "GET /c1/* HTTP/1.0", c1Full},
		{"http star host level", "GET /c1/*/m1 HTTP/1.0", "C(c1)[H(h1)[M(m1)]H(h2)[M(m1)]]"},
		{"http star metric level", "GET /c1/h1/* HTTP/1.1", "C(c1)[H(h1)[M(m1)M(m2)]]"},
		{"http star summary", "GET /*?filter=summary HTTP/1.0", "C(c1)[US(m1)]C(My Cluster)[US(m1)]" + g1},
		{"longest request", "/" + strings.Repeat("a", MaxRequestLen-2), rootFull},
	}
	snap := smallSnapshot()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			res, err := Answer(&out, snap, c.line, fixtureNow)
			if err != nil || res.Malformed {
				t.Fatalf("Answer(%q) = %+v, %v", c.line, res, err)
			}
			body, hasHeader := stripHTTP(out.Bytes())
			if hasHeader != res.HTTP || res.HTTP != strings.HasPrefix(c.line, "GET ") {
				t.Errorf("HTTP header present = %v, Result.HTTP = %v", hasHeader, res.HTTP)
			}
			if hasHeader && !bytes.HasPrefix(out.Bytes(), []byte(httpXMLHeader)) {
				t.Errorf("header differs from stock's: %q", out.Bytes()[:len(out.Bytes())-len(body)])
			}
			if got := skeleton(t, out.Bytes()); got != c.want {
				t.Errorf("Answer(%q):\n got %s\nwant %s", c.line, got, c.want)
			}
		})
	}
}

func TestAnswerStatus(t *testing.T) {
	st := &Status{GridName: "grid \"x\" <\xe9>", Groups: []StatusGroup{{Name: "lpm", Fields: []StatusField{
		IntField("moves", 3), FloatField("nan", 0/zero()), StringField("last", "a\u2028b\x01"),
	}}}}
	for _, c := range []struct{ line, callback string }{
		{"/status", ""}, {"GET /status HTTP/1.0", ""}, {"/status?callback=cb", "cb"},
		{"GET /Status?callback=jQuery_1.2 HTTP/1.1", "jQuery_1.2"},
	} {
		var out bytes.Buffer
		res, err := Answer(&out, smallSnapshot(), c.line, fixtureNow)
		if err != nil || !res.Status || res.Callback != c.callback || out.Len() != 0 {
			t.Fatalf("Answer(%q) = %+v, %v, wrote %d bytes", c.line, res, err, out.Len())
		}
		if err := WriteStatus(&out, st, res.Callback); err != nil {
			t.Fatal(err)
		}
		checkJSON(t, out.Bytes(), c.callback)
		if !bytes.HasPrefix(out.Bytes(), []byte(httpJSONHeader)) {
			t.Errorf("header differs from stock's: %q", out.Bytes())
		}
	}
}

func zero() float64 { return 0 }

// A client that goes away mid-answer must stop the walk: the error is
// returned and nothing more is written.
func TestAnswerWriteError(t *testing.T) {
	w := &failWriter{after: 1}
	err := WriteFull(w, benchSnapshot(2, 200, 50), fixtureNow)
	if !errors.Is(err, errFail) || w.calls != 2 {
		t.Fatalf("WriteFull = %v after %d writes, want errFail after 2", err, w.calls)
	}
}

var errFail = errors.New("client gone")

type failWriter struct{ after, calls int }

func (w *failWriter) Write(p []byte) (int, error) {
	w.calls++
	if w.calls > w.after {
		return 0, errFail
	}
	return len(p), nil
}
