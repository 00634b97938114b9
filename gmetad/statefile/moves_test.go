package statefile

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/grid"
)

// TestMovesRoundTrip: the move history goes through the file whole and in
// order, and a gmetad restarted with a smaller move_history keeps the
// newest of it.
func TestMovesRoundTrip(t *testing.T) {
	var moves []grid.Move
	for i, to := range []string{"P770", "P550", "P880", "P770"} {
		from := "P550"
		if i > 0 {
			from = moves[i-1].To
		}
		moves = append(moves, grid.Move{Time: t0.Add(time.Duration(i) * time.Hour), Host: "lpar-a",
			Key: "10.0.0.5", From: from, To: to})
	}
	moves[2].OldKey = "10.0.0.9"
	g := grid.New(grid.DefaultOptions())
	g.SetMoveHistory(moves)
	path := filepath.Join(t.TempDir(), "gmetad-lpm.state")
	if err := Save(path, g.Export()); err != nil {
		t.Fatal(err)
	}
	d, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		history int
		want    []grid.Move
	}{{10, moves}, {4, moves}, {2, moves[2:]}, {0, nil}} {
		o := grid.DefaultOptions()
		o.MoveHistory = tt.history
		g2 := grid.New(o)
		g2.Import(d, t0)
		got := g2.Moves()
		if len(got) == 0 && len(tt.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("move_history %d: moves after Load = %+v, want %+v", tt.history, got, tt.want)
		}
	}
}
