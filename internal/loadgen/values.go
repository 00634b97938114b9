package loadgen

import (
	"math"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// constStep stands for "any step" in the hash of slope-zero metrics.
const constStep = math.MinInt64

// ValueAt returns the value host sends for metric (an index into Metrics)
// in round step, as a receiver stores it: the wire float32, uint32 or double
// widened to float64, which is also the number the VAL text parses to. It
// is NaN for string metrics.
func (g *Generator) ValueAt(host, metric int, step int64) float64 {
	m := &g.metrics[metric]
	if m.ID == xdr.IDString {
		return math.NaN()
	}
	return g.number(host, metric, step)
}

// VAL returns the VAL text a stock gmond prints for the value host sends for
// metric in round step (xdr.RenderVAL with the metric's format).
func (g *Generator) VAL(host, metric int, step int64) string {
	v := g.wireValue(host, metric, step)
	return xdr.RenderVAL(g.metrics[metric].ID, &v)
}

// Heartbeat returns the heartbeat value every host sends: the generator's
// start time in Unix seconds, as gmond sends its own start time.
func (g *Generator) Heartbeat() uint32 { return g.started }

// number draws metric's value for (host, step) from its range, in whole
// quanta so that every representation of it agrees.
func (g *Generator) number(host, metric int, step int64) float64 {
	m := &g.metrics[metric]
	if m.Const {
		step = constStep
	}
	u := unit(g.cfg.Seed, host, metric, step)
	n := math.Floor(u * ((m.Hi-m.Lo)/m.Quantum + 1))
	return math.Min(m.Lo+n*m.Quantum, m.Hi)
}

// wireValue is the value message body host sends for metric in round step.
func (g *Generator) wireValue(host, metric int, step int64) xdr.Value {
	m := &g.metrics[metric]
	v := xdr.Value{Fmt: m.Fmt}
	switch m.ID {
	case xdr.IDString:
		v.Str = m.Str
	case xdr.IDFloat:
		v.F32 = float32(g.number(host, metric, step))
	case xdr.IDDouble:
		v.F64 = g.number(host, metric, step)
	default: // IDUInt, IDUShort
		v.U = uint32(g.number(host, metric, step))
	}
	return v
}

// unit hashes (seed, host, metric, step) to a uniform number in [0, 1):
// values need no state, so ValueAt answers for any step in O(1).
func unit(seed int64, host, metric int, step int64) float64 {
	h := splitmix(uint64(seed))
	h = splitmix(h ^ uint64(host))
	h = splitmix(h ^ uint64(metric))
	h = splitmix(h ^ uint64(step))
	return float64(h>>11) / (1 << 53)
}

// splitmix is SplitMix64's finaliser, a cheap well-mixing 64-bit hash.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
