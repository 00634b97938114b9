package web

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/grid"
)

// movesView is the LPM timeline and /api/moves.
type movesView struct {
	From    *time.Time `json:"from"` // nil: from the oldest remembered move
	To      *time.Time `json:"to"`   // nil: up to now
	System  string     `json:"system,omitempty"`
	LPAR    string     `json:"lpar,omitempty"`
	Moves   []moveRow  `json:"moves"` // oldest first
	Total   int        `json:"remembered"`
	Systems []string   `json:"-"` // every system a move names, for the filter form
	// FromText and ToText refill the form.
	FromText, ToText string `json:"-"`
	CSV              string `json:"-"`
}

// timeLayouts are the forms a from/to parameter may take besides unix
// seconds: RFC 3339, what <input type="datetime-local"> sends, and a date.
// Times without a zone are UTC, like every time the pages print.
var timeLayouts = []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"}

var errBadTime = errors.New("time must be RFC 3339 (2006-01-02T15:04:05Z), 2006-01-02T15:04, a date or unix seconds")

// parseTime parses a from/to parameter. A bare date means the start of the
// day, or with end the end of it, so that from=D&to=D is that day.
func parseTime(s string, end bool) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		t := time.Unix(n, 0).UTC()
		return &t, nil
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			t = t.UTC()
			return &t, nil
		}
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		if end {
			t = t.Add(24*time.Hour - time.Second)
		}
		return &t, nil
	}
	return nil, errBadTime
}

// buildMoves filters the history by the query: from and to (inclusive),
// system (a move into or out of it) and lpar (the host name).
func buildMoves(moves []grid.Move, q url.Values) (*movesView, error) {
	v := &movesView{System: q.Get("system"), LPAR: q.Get("lpar"), FromText: q.Get("from"), ToText: q.Get("to"),
		Moves: []moveRow{}, Total: len(moves)}
	var err error
	if v.From, err = parseTime(v.FromText, false); err != nil {
		return nil, err
	}
	if v.To, err = parseTime(v.ToText, true); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, m := range moves {
		seen[m.From], seen[m.To] = true, true
		switch {
		case v.From != nil && m.Time.Before(*v.From), v.To != nil && m.Time.After(*v.To):
		case v.System != "" && m.From != v.System && m.To != v.System:
		case v.LPAR != "" && m.Host != v.LPAR:
		default:
			v.Moves = append(v.Moves, newMoveRow(m))
		}
	}
	delete(seen, "")
	v.Systems = sortedKeys(seen)
	cq := url.Values{}
	for k, vs := range q {
		cq[k] = vs
	}
	cq.Set("format", "csv")
	v.CSV = "/api/moves?" + cq.Encode()
	return v, nil
}
