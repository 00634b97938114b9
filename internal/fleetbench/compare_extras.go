package fleetbench

import (
	"errors"
	"strings"
)

// Extra is the verbatim table of one of the side benchmarks the comparison
// quotes: make bench-rrd (rrdstore against librrd) and make bench-gmond
// (our gmond against stock gmond).
type Extra struct {
	Title   string
	Command string
	Table   string
}

// librrdTable cuts TestStoreVsLibrrd's table out of `go test -v` output:
// from its "files × … rounds" line to its last row, with the indentation
// and file:line prefix of t.Log removed.
func librrdTable(out string) (string, error) {
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if !strings.Contains(l, " rounds = ") || !strings.Contains(l, "updates in time order") {
			continue
		}
		var b strings.Builder
		for _, row := range lines[i:] {
			row = strings.TrimPrefix(row, "        ") // go test -v's indent of a t.Log line
			if strings.TrimSpace(row) == "" || strings.HasPrefix(row, "---") || strings.HasPrefix(row, "===") {
				break
			}
			b.WriteString(row + "\n")
		}
		return b.String(), nil
	}
	return "", errors.New("no TestStoreVsLibrrd table in the output")
}

// footprintTable cuts TestFootprintVsStock's lines out of its output: from
// "gmond footprint over" to the "ratio ours/stock" line.
func footprintTable(out string) (string, error) {
	i := strings.Index(out, "gmond footprint over")
	if i < 0 {
		return "", errors.New("no TestFootprintVsStock table in the output")
	}
	rest := out[i:]
	j := strings.Index(rest, "ratio ours/stock")
	if j < 0 {
		return "", errors.New("TestFootprintVsStock printed no ratio line")
	}
	end := strings.IndexByte(rest[j:], '\n')
	if end < 0 {
		end = len(rest) - j
	}
	return rest[:j+end] + "\n", nil
}
