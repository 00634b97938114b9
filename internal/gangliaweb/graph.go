package gangliaweb

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
)

// Series is one data series of graph.php's JSON output (`&json=1`): what
// rrdtool xport gave for one line or area of the graph.
type Series struct {
	Name      string  `json:"ds_name"`
	Metric    string  `json:"metric_name"`
	GraphType string  `json:"graph_type"` // "line" or "stack"
	Color     string  `json:"color"`
	Points    []Point `json:"datapoints"`
}

// Point is one row of a Series. Value is NaN where the RRD holds no data.
type Point struct {
	Time  int64
	Value float64
}

// UnmarshalJSON reads graph.php's [value, time] pair. The value is a
// number, or a string such as "NaN" for an unknown step.
func (p *Point) UnmarshalJSON(b []byte) error {
	var pair []json.RawMessage
	if err := json.Unmarshal(b, &pair); err != nil {
		return err
	}
	if len(pair) != 2 {
		return fmt.Errorf("datapoint %s: want [value, time]", b)
	}
	if err := json.Unmarshal(pair[1], &p.Time); err != nil {
		return fmt.Errorf("datapoint %s: time: %w", b, err)
	}
	var v any
	if err := json.Unmarshal(pair[0], &v); err != nil {
		return fmt.Errorf("datapoint %s: value: %w", b, err)
	}
	switch v := v.(type) {
	case float64:
		p.Value = v
	case string:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			f = math.NaN()
		}
		p.Value = f
	default:
		p.Value = math.NaN()
	}
	return nil
}

// Known returns the points whose value is not NaN.
func (s Series) Known() []Point {
	var out []Point
	for _, p := range s.Points {
		if !math.IsNaN(p.Value) {
			out = append(out, p)
		}
	}
	return out
}

// GraphJSON returns the data graph.php draws for query, e.g.
// "c=cluster&h=host&m=load_one&r=hour" (json=1 is added). It fails tb unless
// the answer is status 200 and a JSON array of series.
func (w *Web) GraphJSON(tb testing.TB, query string) []Series {
	tb.Helper()
	path := "graph.php?" + strings.TrimPrefix(query, "?") + "&json=1"
	status, body := w.Fetch(tb, path)
	if status != 200 {
		tb.Fatalf("gangliaweb: GET %s: status %d\n%s", w.URL(path), status, body)
	}
	var series []Series
	if err := json.Unmarshal(body, &series); err != nil {
		tb.Fatalf("gangliaweb: GET %s: %v in\n%.2000s", w.URL(path), err, body)
	}
	return series
}
