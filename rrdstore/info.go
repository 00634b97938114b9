package rrdstore

import (
	"io"
	"strconv"
)

// Info is what `rrdtool info` shows about a file (librrd rrd_info_r), plus
// the microseconds of the last update and the CDP primary and secondary
// values that only `rrdtool dump` prints.
type Info struct {
	Filename       string
	Version        string // "0003"
	Step           uint64
	LastUpdate     int64
	LastUpdateUsec int64
	HeaderSize     int64
	DS             []DSInfo
	RRA            []RRAInfo
}

// DSInfo is one data source: its definition and its open step.
type DSInfo struct {
	DS
	LastDS     string  // raw text of the last reading
	Value      float64 // rate×seconds of the open step
	UnknownSec uint64
}

// RRAInfo is one archive with its open CDP per data source.
type RRAInfo struct {
	RRA
	CurRow uint64
	CDP    []CDPInfo
}

// CDPInfo is one cdp_prep entry of a plain (AVERAGE/MIN/MAX/LAST) RRA.
type CDPInfo struct {
	Value              float64
	UnknownDatapoints  uint64
	Primary, Secondary float64
}

// ReadInfo reads a file's definitions and live state under the fcntl read
// lock. Files with COMPUTE data sources or Holt-Winters archives are
// refused (their info lines are not implemented).
func ReadInfo(path string) (*Info, error) {
	r, err := openRRD(path, false)
	if err != nil {
		return nil, err
	}
	defer r.close()
	if err := r.lock(); err != nil {
		return nil, err
	}
	if err := r.load(); err != nil {
		return nil, err
	}
	return r.info()
}

func (r *rrdFile) info() (*Info, error) {
	h, st := r.hdr, &r.st
	inf := &Info{Filename: r.path, Version: cstr(r.static[4:9]), Step: h.step, LastUpdate: st.lastUp,
		LastUpdateUsec: st.lastUsec, HeaderSize: h.size}
	for i, d := range h.ds {
		if d.kind == dsCompute {
			return nil, newErr(r.path, ErrUnsupported, "info for COMPUTE data sources is not supported")
		}
		p := &st.pdp[i]
		inf.DS = append(inf.DS, DSInfo{DS: DS{Name: d.name, Type: d.typ, Heartbeat: d.hb, Min: d.min, Max: d.max},
			LastDS: cstr(p.lastDS[:]), Value: p.val, UnknownSec: p.unkn})
	}
	for j, a := range h.rra {
		if a.kind > cfLast {
			return nil, newErr(r.path, ErrUnsupported, "info for consolidation function %s is not supported", a.cf)
		}
		ra := RRAInfo{RRA: RRA{CF: a.cf, XFF: a.xff, Steps: a.pdps, Rows: a.rows}, CurRow: st.curRow[j]}
		for _, c := range st.cdp[j*len(h.ds) : (j+1)*len(h.ds)] {
			ra.CDP = append(ra.CDP, CDPInfo{Value: c.val, UnknownDatapoints: c.unkn, Primary: c.pri, Secondary: c.sec})
		}
		inf.RRA = append(inf.RRA, ra)
	}
	return inf, nil
}

// WriteTo writes the text of `rrdtool info` (rrd_info_print): keys in
// librrd's order, floats as %0.10e or NaN, counts unsigned, strings quoted.
func (inf *Info) WriteTo(w io.Writer) (int64, error) {
	b := make([]byte, 0, 4096)
	b = infoStr(b, "filename", inf.Filename)
	b = infoStr(b, "rrd_version", inf.Version)
	b = infoCnt(b, "step", inf.Step)
	b = infoCnt(b, "last_update", uint64(inf.LastUpdate))
	b = infoCnt(b, "header_size", uint64(inf.HeaderSize))
	for i, d := range inf.DS {
		k := "ds[" + d.Name + "]."
		b = infoCnt(b, k+"index", uint64(i))
		b = infoStr(b, k+"type", d.Type)
		b = infoCnt(b, k+"minimal_heartbeat", d.Heartbeat)
		b = infoVal(b, k+"min", d.Min)
		b = infoVal(b, k+"max", d.Max)
		b = infoStr(b, k+"last_ds", d.LastDS)
		b = infoVal(b, k+"value", d.Value)
		b = infoCnt(b, k+"unknown_sec", d.UnknownSec)
	}
	for j, a := range inf.RRA {
		k := "rra[" + strconv.Itoa(j) + "]."
		b = infoStr(b, k+"cf", a.CF)
		b = infoCnt(b, k+"rows", a.Rows)
		b = infoCnt(b, k+"cur_row", a.CurRow)
		b = infoCnt(b, k+"pdp_per_row", a.Steps)
		b = infoVal(b, k+"xff", a.XFF)
		for i, c := range a.CDP {
			kc := k + "cdp_prep[" + strconv.Itoa(i) + "]."
			b = infoVal(b, kc+"value", c.Value)
			b = infoCnt(b, kc+"unknown_datapoints", c.UnknownDatapoints)
		}
	}
	n, err := w.Write(b)
	return int64(n), err
}

func infoStr(b []byte, key, v string) []byte {
	return append(append(append(append(b, key...), " = \""...), v...), "\"\n"...)
}

func infoCnt(b []byte, key string, v uint64) []byte {
	return append(strconv.AppendUint(append(append(b, key...), " = "...), v, 10), '\n')
}

func infoVal(b []byte, key string, v float64) []byte {
	b = append(append(b, key...), " = "...)
	if v != v {
		return append(b, "NaN\n"...)
	}
	return append(appendE10(b, v), '\n')
}

// LastUpdate is `rrdtool lastupdate` (and, with last alone, `rrdtool
// last`): the time of the last update and the raw text of each data
// source's last reading.
func LastUpdate(path string) (last int64, lastUsec int64, lastDS []string, err error) {
	r, err := openRRD(path, false)
	if err != nil {
		return 0, 0, nil, err
	}
	defer r.close()
	if err := r.lock(); err != nil {
		return 0, 0, nil, err
	}
	if err := r.load(); err != nil {
		return 0, 0, nil, err
	}
	for i := range r.st.pdp {
		lastDS = append(lastDS, cstr(r.st.pdp[i].lastDS[:]))
	}
	return r.st.lastUp, r.st.lastUsec, lastDS, nil
}
