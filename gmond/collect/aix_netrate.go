package collect

import (
	"slices"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
)

// aixDelta is one name's counter increase over an interval.
type aixDelta struct {
	rxBytes, txBytes, rxPkts, txPkts float64
	hasBytes                         bool
}

// aixDeltaOf returns cur-prev, or false when a counter went backwards or
// the source of the counters changed (netstat -v answered one time and not
// the other, so packets were counted by different layers).
func aixDeltaOf(prev, cur aixCounters) (aixDelta, bool) {
	if prev.hasBytes != cur.hasBytes || cur.rxPkts < prev.rxPkts || cur.txPkts < prev.txPkts {
		return aixDelta{}, false
	}
	d := aixDelta{rxPkts: float64(cur.rxPkts - prev.rxPkts), txPkts: float64(cur.txPkts - prev.txPkts)}
	if cur.hasBytes {
		if cur.rxBytes < prev.rxBytes || cur.txBytes < prev.txBytes {
			return aixDelta{}, false
		}
		d.rxBytes, d.txBytes, d.hasBytes = float64(cur.rxBytes-prev.rxBytes), float64(cur.txBytes-prev.txBytes), true
	}
	return d, true
}

// aixNetRates computes the readings of one interval of dt seconds: the
// host totals (bytes only when some interface in them counts bytes), then
// each interface's own rates, by name.
func aixNetRates(prev, cur map[string]aixCounters, names map[string]string, dt float64) []metric.Reading {
	order := make([]string, 0, len(cur))
	for n := range cur {
		order = append(order, n)
	}
	slices.Sort(order)
	var tot aixDelta
	totOK := true
	var per []metric.Reading
	for _, n := range order {
		p, seen := prev[n]
		if !seen {
			continue // counts from its second reading
		}
		k := cur[n]
		d, ok := aixDeltaOf(p, k)
		if k.inTotal {
			if !ok {
				totOK = false
			} else {
				tot.rxPkts += d.rxPkts
				tot.txPkts += d.txPkts
				if d.hasBytes {
					tot.rxBytes += d.rxBytes
					tot.txBytes += d.txBytes
					tot.hasBytes = true
				}
			}
		}
		if s, own := names[n]; own && ok {
			per = append(per, aixRateReadings(d, dt, "_"+s)...)
		}
	}
	var out []metric.Reading
	if totOK {
		out = aixRateReadings(tot, dt, "")
	}
	return append(out, per...)
}

// aixRateReadings turns a delta into per-second readings named with
// suffix: for the host totals in the order stock gmond sends them
// (bytes_out, bytes_in, pkts_in, pkts_out), per interface in the order of
// PerInterfaceDefs. Bytes are left out when not counted; a rate beyond
// what any link carries is a glitch and leaves out the whole set.
func aixRateReadings(d aixDelta, dt float64, suffix string) []metric.Reading {
	bi, bo, pi, po := d.rxBytes/dt, d.txBytes/dt, d.rxPkts/dt, d.txPkts/dt
	if bi > maxByteRate || bo > maxByteRate || pi > maxPktRate || po > maxPktRate {
		return nil
	}
	var out aixReadings
	if suffix == "" {
		if d.hasBytes {
			out.num("bytes_out", bo)
			out.num("bytes_in", bi)
		}
	} else if d.hasBytes {
		out.num("bytes_in"+suffix, bi)
		out.num("bytes_out"+suffix, bo)
	}
	out.num("pkts_in"+suffix, pi)
	out.num("pkts_out"+suffix, po)
	return out
}
