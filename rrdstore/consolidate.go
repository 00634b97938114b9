package rrdstore

import "math"

// The step machinery of librrd 1.7.2 (RRD-FORMAT §2.4). Every line keeps
// librrd's order of operations, and every product that is then added to
// something is wrapped in float64(...), which forbids Go from fusing it
// into an FMA: librrd on x86-64 rounds the product first.

// advance finds the step boundaries crossed by an update at t.usec
// (librrd calculate_elapsed_steps) and either accumulates into the open
// step or closes the finished steps and consolidates them.
func (r *rrdFile) advance(t, usec int64, interval float64) {
	st, step := &r.st, r.hdr.step
	last, now := uint64(st.lastUp), uint64(t)
	bOld, bNew := last-last%step, now-now%step
	pre, post := interval, 0.0
	if bNew > bOld {
		pre = float64(int64(bNew)-st.lastUp) - float64(st.lastUsec)/1e6
		post = float64(now%step) + float64(usec)/1e6
	}
	n, first := (bNew-bOld)/step, bOld/step
	if n == 0 {
		r.accumulate(interval)
		return
	}
	if n > 1 {
		// The left-most step was partly filled before this update: 1.7.2
		// closes it on its own with its share of the new readings, so it
		// keeps its value even if the gap is longer than the heartbeat.
		if head := uint64(pre) % step; head > 0 {
			r.splitHead(float64(head), interval)
			r.closeSteps(float64(head), float64(head), 0, 1, r.w.part)
			r.consolidate(1, first)
			r.writeRows()
			interval -= float64(head)
			pre -= float64(head)
			n, first = n-1, first+1
		}
	}
	r.closeSteps(interval, pre, post, n, r.w.x)
	r.consolidate(n, first)
	r.writeRows()
}

// accumulate adds the readings to the open step (librrd simple_update).
func (r *rrdFile) accumulate(interval float64) {
	for i := range r.st.pdp {
		p, x := &r.st.pdp[i], r.w.x[i]
		switch {
		case math.IsNaN(x):
			p.unkn = uint64(float64(p.unkn) + math.Floor(interval))
		case math.IsNaN(p.val):
			p.val = x
		default:
			p.val += x
		}
	}
}

// splitHead moves each reading's share of the head seconds into r.w.part.
func (r *rrdFile) splitHead(head, interval float64) {
	for i, x := range r.w.x {
		if math.IsNaN(x) || !(interval > 0) {
			r.w.part[i] = dnan
			continue
		}
		part := float64(x*head) / interval
		r.w.part[i] = part
		r.w.x[i] = x - part
	}
}

// closeSteps finishes k steps (librrd process_all_pdp_st): r.w.pdp gets
// each DS's rate for them, and the step after the last boundary is opened
// with the post seconds.
func (r *rrdFile) closeSteps(interval, pre, post float64, k uint64, x []float64) {
	step := r.hdr.step
	span := k * step
	for i := range r.st.pdp {
		d, p, xi := &r.hdr.ds[i], &r.st.pdp[i], x[i]
		preUnknown := 0.0
		if math.IsNaN(xi) {
			preUnknown = pre
		} else {
			if math.IsNaN(p.val) {
				p.val = 0
			}
			p.val += float64(float64(xi/interval) * pre)
		}
		// Unknown if the update came after the heartbeat, or if more than
		// half the step was unknown before it (compared as a C int).
		if interval > float64(d.hb) || float64(step)/2.0 < float64(int32(p.unkn)) {
			r.w.pdp[i] = dnan
		} else {
			r.w.pdp[i] = p.val / (float64(span-p.unkn) - preUnknown)
		}
		if math.IsNaN(xi) {
			p.unkn, p.val = uint64(math.Floor(post)), dnan
		} else {
			p.unkn, p.val = 0, float64(xi/interval)*post
		}
	}
}

// consolidate feeds k finished PDPs into every RRA (librrd
// update_all_cdp_prep, update_cdp and, for one-step RRAs,
// update_aberrant_cdps/reset_cdp) and sets how many rows each RRA writes.
func (r *rrdFile) consolidate(k, first uint64) {
	nd := len(r.hdr.ds)
	for j := range r.hdr.rra {
		a := &r.hdr.rra[j]
		p := a.pdps
		need := p - first%p // PDPs the open CDP still lacks
		nrows := uint64(0)
		if need <= k {
			nrows = min((k-need)/p+1, a.rows)
		}
		r.w.nrows[j] = nrows
		cdps := r.st.cdp[j*nd : (j+1)*nd]
		for i := range cdps {
			c, v := &cdps[i], r.w.pdp[i]
			switch {
			case p == 1:
				c.pri = v
				if k >= 2 {
					c.sec = v
				}
			case nrows > 0:
				finishCDP(c, a, v, k, need)
			default:
				growCDP(c, a.kind, v, k)
			}
		}
	}
}

// finishCDP closes the open CDP with v (the rate of the need PDPs that
// complete it) and starts the next one with what is left of the k PDPs.
func finishCDP(c *cdpState, a *rraDef, v float64, k, need uint64) {
	p := a.pdps
	if math.IsNaN(v) {
		c.unkn += need
		c.sec = dnan
	} else {
		c.sec = v // every further row of this update holds the same rate
	}
	if float64(c.unkn) > float64(float64(p)*a.xff) {
		c.pri = dnan
	} else {
		c.pri = primary(c, a, v, need)
	}
	rest := (k - need) % p // PDPs that already belong to the next CDP
	switch {
	case rest == 0 || math.IsNaN(v):
		c.val = resetValue(a.kind)
	case a.kind == cfAverage:
		c.val = v * float64(rest)
	default:
		c.val = v
	}
	c.unkn = 0
	if math.IsNaN(v) {
		c.unkn = rest
	}
}

// primary is the value of a finished CDP (librrd initialize_cdp_val).
func primary(c *cdpState, a *rraDef, v float64, need uint64) float64 {
	switch a.kind {
	case cfAverage:
		cum, cur := ifNaN(c.val, 0), ifNaN(v, 0)
		return (cum + float64(cur*float64(need))) / float64(a.pdps-c.unkn)
	case cfMax:
		cum, cur := ifNaN(c.val, math.Inf(-1)), ifNaN(v, math.Inf(-1))
		if cur > cum {
			return cur
		}
		return cum
	case cfMin:
		cum, cur := ifNaN(c.val, math.Inf(1)), ifNaN(v, math.Inf(1))
		if cur < cum {
			return cur
		}
		return cum
	}
	return v // LAST
}

// resetValue is what an empty CDP starts from (librrd
// initialize_carry_over): MIN and MAX carry ±Inf, LAST unknown.
func resetValue(kind cfKind) float64 {
	switch kind {
	case cfMax:
		return math.Inf(-1)
	case cfMin:
		return math.Inf(1)
	case cfAverage:
		return 0
	}
	return dnan
}

// growCDP adds k PDPs of rate v to a CDP that stays open (librrd
// calculate_cdp_val).
func growCDP(c *cdpState, kind cfKind, v float64, k uint64) {
	switch {
	case math.IsNaN(v):
		c.unkn += k
	case math.IsNaN(c.val):
		c.val = v
		if kind == cfAverage {
			c.val = v * float64(k)
		}
	case kind == cfAverage:
		c.val += float64(v * float64(k))
	case kind == cfMin:
		if v < c.val {
			c.val = v
		}
	case kind == cfMax:
		if v > c.val {
			c.val = v
		}
	default:
		c.val = v
	}
}

func ifNaN(v, alt float64) float64 {
	if math.IsNaN(v) {
		return alt
	}
	return v
}

// writeRows advances each RRA's cur_row by its row count and records the
// rows: the first holds the primary values, the others the secondary
// (librrd write_to_rras).
func (r *rrdFile) writeRows() {
	nd := len(r.hdr.ds)
	for j := range r.hdr.rra {
		a := &r.hdr.rra[j]
		cdps := r.st.cdp[j*nd : (j+1)*nd]
		for row := uint64(0); row < r.w.nrows[j]; row++ {
			cur := r.st.curRow[j] + 1
			if cur >= a.rows {
				cur = 0
			}
			r.st.curRow[j] = cur
			r.rows.startRow(a.data + int64(cur)*int64(nd)*8)
			for i := range cdps {
				v := cdps[i].sec
				if row == 0 {
					v = cdps[i].pri
				}
				r.rows.addValue(v)
			}
		}
	}
}
