package web

import (
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestAPIGolden pins every JSON and CSV answer on the fixture.
func TestAPIGolden(t *testing.T) {
	_, h, _ := newFixture(t)
	for _, c := range []struct{ name, target, ctype string }{
		{"api_grid.json", "/api/grid", "application/json"},
		{"api_system.json", "/api/system/" + sysB + "?sort=cpu_used", "application/json"},
		{"api_lpar.json", "/api/lpar/db01", "application/json"},
		{"api_lpar_odd.json", "/api/lpar/x%3Cb%3E%22&%27", "application/json"},
		{"api_moves.json", "/api/moves", "application/json"},
		{"api_moves_filtered.json", "/api/moves?system=" + sysC + "&from=2024-06-01T11:00", "application/json"},
		{"api_moves.csv", "/api/moves?format=csv", "text/csv; charset=utf-8"},
		{"api_series_hour.json", "/api/series/db01/load_one?range=hour", "application/json"},
		{"api_series_day.csv", "/api/series/db01/load_one?range=day&format=csv", "text/csv; charset=utf-8"},
		{"api_stack_hour.csv", "/api/stack/" + sysB + "?range=hour&format=csv", "text/csv; charset=utf-8"},
		{"api_health.json", "/api/health", "application/json"},
		{"metrics.txt", "/metrics", "text/plain; version=0.0.4; charset=utf-8"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := get(t, h, c.target)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s: %d %s", c.target, rec.Code, rec.Body)
			}
			if got := rec.Header().Get("Content-Type"); got != c.ctype {
				t.Errorf("Content-Type %q, want %q", got, c.ctype)
			}
			golden(t, c.name, rec.Body.Bytes())
		})
	}
}

// stackAnswer is /api/stack's JSON.
type stackAnswer struct {
	Step  int64   `json:"step"`
	Times []int64 `json:"times"`
	Hosts []struct {
		Host   string     `json:"host"`
		Values []*float64 `json:"values"`
		On     []struct {
			From, To *time.Time
		} `json:"on"`
	} `json:"hosts"`
	Moves []moveRow `json:"moves"`
}

// TestStackFollowsMoves checks the stacked data of the managed system
// both moves touch: db01 (moved in 2 h ago) counts only from its move on,
// app02 (moved out 30 min ago) only until it, db02 all along; hosts of
// other systems never.
func TestStackFollowsMoves(t *testing.T) {
	_, h, _ := newFixture(t)
	for _, rng := range []string{"hour", "day", "week"} {
		t.Run(rng, func(t *testing.T) {
			rec := get(t, h, "/api/stack/"+sysB+"?range="+rng)
			if rec.Code != http.StatusOK {
				t.Fatalf("%d %s", rec.Code, rec.Body)
			}
			var a stackAnswer
			if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, hs := range a.Hosts {
				names = append(names, hs.Host)
			}
			// oddHost and old01 have no RRD files; web01 was never on B.
			if got := strings.Join(names, ","); got != "app02,db01,db02" {
				t.Fatalf("hosts %s, want app02,db01,db02", got)
			}
			moveIn, moveOut := now.Add(-2*time.Hour).Unix(), now.Add(-30*time.Minute).Unix()
			dataFrom := now.Add(-rrdHistory).Unix() + a.Step // first step wholly inside the data
			seen := map[string]int{}
			for _, hs := range a.Hosts {
				want := fixturePhysc[hs.Host]
				for k, v := range hs.Values {
					ts := a.Times[k]
					on := true
					switch hs.Host {
					case "db01":
						on = ts >= moveIn
					case "app02":
						on = ts < moveOut
					}
					switch {
					case !on && v != nil:
						t.Errorf("%s at %d: %v while on another system", hs.Host, ts, *v)
					case on && ts > dataFrom && ts <= now.Unix()-a.Step && (v == nil || math.Abs(*v-want) > 1e-9):
						t.Errorf("%s at %d: %v, want %v", hs.Host, ts, v, want)
					case v != nil:
						seen[hs.Host]++
					}
				}
			}
			for _, host := range names {
				if seen[host] == 0 {
					t.Errorf("%s has no value at all", host)
				}
			}
			wantMoves := 2 // the hour sees only app02 leaving
			if rng == "hour" {
				wantMoves = 1
			}
			if len(a.Moves) != wantMoves {
				t.Errorf("moves %v, want %d", a.Moves, wantMoves)
			}
		})
	}
}

func TestSeriesErrors(t *testing.T) {
	_, h, _ := newFixture(t)
	for _, c := range []struct {
		target string
		code   int
	}{
		{"/api/series/db01/cpu_used?range=hour", 200},
		{"/api/series/db01/cpu_used?range=decade", 400},
		{"/api/series/db01/cpu_used?format=xml", 400},
		{"/api/series/db01/nosuch", 404},
		{"/api/series/nosuch/cpu_used", 404},
		{"/api/stack/nosuch", 404},
		{"/api/stack/" + sysB + "?range=x", 400},
		{"/api/moves?from=yesterday", 400},
		{"/api/moves?format=xml", 400},
		{"/api/system/" + sysB + "?sort=colour", 400},
		{"/api/system/" + sysB + "?order=up", 400},
		{"/api/nosuch", 404},
	} {
		rec := get(t, h, c.target)
		if rec.Code != c.code {
			t.Errorf("GET %s: %d, want %d", c.target, rec.Code, c.code)
			continue
		}
		if c.code != 200 {
			var e struct{ Error string }
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" {
				t.Errorf("GET %s: error body %q is not {\"error\": ...}", c.target, rec.Body)
			}
		}
	}
}
