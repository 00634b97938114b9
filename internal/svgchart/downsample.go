package svgchart

// selectPoints splits the indices of one series into the runs a path draws:
// a run never spans an unknown point. xs are x coordinates in tenths of a
// pixel (non-decreasing), ys the y coordinates that decide min and max.
//
// Up to limit points every point is kept. Above it each pixel column keeps
// the minimum and the maximum of its points, in time order, so a one-sample
// spike stays visible, as rrdtool's MAX consolidation would show it. A column
// cut by gaps keeps min and max of its first and last runs, joined to their
// neighbours, and the extremes of the runs in between as lone points, so no
// line ever crosses an unknown value even below a pixel.
func selectPoints(xs, ys []int32, known []bool, limit int) [][]int {
	if len(xs) <= limit {
		return knownRuns(known, 0, len(known))
	}
	var segs [][]int
	var cur []int
	flush := func() {
		if len(cur) > 0 {
			segs = append(segs, cur)
			cur = nil
		}
	}
	broken := false // an unknown point lies between cur and what comes next
	for i := 0; i < len(xs); {
		j := i + 1
		for j < len(xs) && xs[j]/10 == xs[i]/10 {
			j++
		}
		runs := knownRuns(known, i, j)
		if len(runs) == 0 {
			broken, i = true, j
			continue
		}
		if broken || !known[i] {
			flush()
		}
		cur = append(cur, minMax(ys, runs[0])...)
		if len(runs) > 1 {
			flush()
			if len(runs) > 2 {
				var middle []int
				for _, r := range runs[1 : len(runs)-1] {
					middle = append(middle, r...)
				}
				for _, k := range minMax(ys, middle) {
					segs = append(segs, []int{k})
				}
			}
			cur = append(cur, minMax(ys, runs[len(runs)-1])...)
		}
		broken, i = !known[j-1], j
	}
	flush()
	return segs
}

// knownRuns returns the maximal runs of known indices in [from, to).
func knownRuns(known []bool, from, to int) [][]int {
	var runs [][]int
	for i := from; i < to; {
		if !known[i] {
			i++
			continue
		}
		j := i
		for j < to && known[j] {
			j++
		}
		run := make([]int, j-i)
		for k := range run {
			run[k] = i + k
		}
		runs = append(runs, run)
		i = j
	}
	return runs
}

// minMax returns the indices in idx of the smallest and the largest y, in
// time order, or one index when they coincide.
func minMax(ys []int32, idx []int) []int {
	lo, hi := idx[0], idx[0]
	for _, k := range idx[1:] {
		if ys[k] < ys[lo] {
			lo = k
		}
		if ys[k] > ys[hi] {
			hi = k
		}
	}
	switch {
	case lo == hi:
		return []int{lo}
	case lo < hi:
		return []int{lo, hi}
	}
	return []int{hi, lo}
}
