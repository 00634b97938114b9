package xmlout

import (
	"strings"
	"time"
)

// fixtureNow is the request time of the synthetic fixtures.
var fixtureNow = time.Unix(1795303285, 500_000_000)

// ago is a birth time n seconds before fixtureNow.
func ago(n int64) time.Time { return fixtureNow.Add(-time.Duration(n) * time.Second) }

var stdExtras = []Extra{{"GROUP", "load"}, {"DESC", "One minute load average"}, {"TITLE", "One Minute Load Average"}}

func fixtureMetric(name, val string, tn int64) Metric {
	return Metric{Name: name, Val: val, Type: "float", Units: " ", Slope: "both",
		TMax: 70, T0: ago(tn), Extra: stdExtras}
}

// smallSnapshot is the grammar fixture: two clusters (one with spaces in
// names), one remote grid, an expired metric on h2.
func smallSnapshot() *Snapshot {
	sum := Summary{Up: 3, Down: 1, Metrics: []SummaryMetric{
		{Name: "m1", Sum: 1.25, Num: 3, Kind: Float, Precision: 2, Units: " ", Slope: "both"},
	}}
	return &Snapshot{
		Grid:    GridInfo{Name: "Test", Authority: "http://test/ganglia/"},
		Summary: sum,
		Sources: []Source{
			{Kind: Cluster, Name: "c1", LocalTime: 1795303280, Summary: sum, Hosts: []Host{
				{Name: "h1", IP: "10.0.0.1", Reported: 1795303280, T0: ago(5), TMax: 20, DMax: 86400,
					Metrics: []Metric{fixtureMetric("m1", "0.50", 5), fixtureMetric("m2", "1", 7)}},
				{Name: "h2", IP: "10.0.0.2", Reported: 1795303270, T0: ago(15), TMax: 20,
					Metrics: []Metric{fixtureMetric("m1", "0.75", 15),
						{Name: "m9", Val: "x", Type: "string", DMax: 10, T0: ago(11)}}},
			}},
			{Kind: Cluster, Name: "My Cluster", Owner: "Ops", LocalTime: 1795303281, Summary: sum, Hosts: []Host{
				{Name: "web 1", IP: "10.0.1.1", Reported: 1795303281, T0: ago(4), TMax: 20,
					Metrics: []Metric{fixtureMetric("m1", "0.00", 4)}},
			}},
			{Kind: Grid, Name: "g1", Authority: "http://remote/ganglia/", LocalTime: 1795303282, Summary: sum},
		},
	}
}

// hostile are names and values no sane source sends, but a network peer
// can: markup, quotes, entities, every control byte, DEL, Latin-1 and
// broken UTF-8, a CDATA end.
var hostile = []string{
	`a<b>c`, `"quoted" & 'apos'`, `&amp;&#1;&bogus;`, "tab\tlf\ncr\r", "nul\x00bel\x07esc\x1b",
	"del\x7f", "latin1 \xe9\xff", "utf8 \xc3\xa9 \xe2\x82\xac", "broken \xc3\x28 \xa0\xa1", "]]>", "</GRID>",
	string(allControls()), "",
}

func allControls() []byte {
	var b []byte
	for c := 0; c < 0x20; c++ {
		b = append(b, byte(c))
	}
	return b
}

// hostileSnapshot puts every hostile string into every attribute we print.
func hostileSnapshot() *Snapshot {
	s := &Snapshot{Grid: GridInfo{Name: strings.Join(hostile, "|"), Authority: hostile[0]}}
	for i, h := range hostile {
		ex := []Extra{{h, h}, {"GROUP", h}}
		sum := Summary{Up: i, Metrics: []SummaryMetric{{Name: h, Sum: float64(i), Num: 1, Kind: Float,
			Precision: i, Units: h, Slope: h, Extra: ex}}}
		s.Summary.Metrics = append(s.Summary.Metrics, sum.Metrics...)
		src := Source{Kind: SourceKind(i % 2), Name: h, Owner: h, LatLong: h, URL: h, Authority: h,
			LocalTime: int64(i), Summary: sum}
		if src.Kind == Cluster {
			src.Hosts = []Host{{Name: h, IP: h, Location: h, Tags: h, T0: ago(1), Metrics: []Metric{
				{Name: h, Val: h, Type: h, Units: h, Slope: h, Source: h, T0: ago(1), Extra: ex},
			}}}
		}
		s.Sources = append(s.Sources, src)
	}
	return s
}
