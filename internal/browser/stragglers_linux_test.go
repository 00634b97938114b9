package browser

import "testing"

func TestParseStat(t *testing.T) {
	for _, c := range []struct {
		in    string
		state byte
		pgrp  int
		ok    bool
	}{
		{"1234 (chromium) S 1 1230 1230 0 -1", 'S', 1230, true},
		{"99 (a (b) c) Z 1 77 77 0", 'Z', 77, true},
		{"5 (x) R", 0, 0, false},
		{"garbage", 0, 0, false},
	} {
		state, pgrp, ok := parseStat([]byte(c.in))
		if state != c.state || pgrp != c.pgrp || ok != c.ok {
			t.Errorf("parseStat(%q) = %c %d %v, want %c %d %v", c.in, state, pgrp, ok, c.state, c.pgrp, c.ok)
		}
	}
}
