package cluster

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// The JSON form of a HostDump. Names, units, extra data and VALs come from
// the network and need not be UTF-8 (the XML declares ISO-8859-1 and
// writes bytes from 0x80 up as they are), but encoding/json replaces
// invalid UTF-8 with U+FFFD: such strings are written as
// {"base64": "..."} instead, so a state file gives back the same bytes and
// the same RRD directory names. Numbers that JSON cannot hold (NaN, ±Inf,
// from a float packet) are written as the strings "NaN", "+Inf", "-Inf".
// Times are RFC 3339 with nanoseconds; a time never set is left out.

type hostJSON struct {
	Key          text         `json:"key"`
	Name         text         `json:"name"`
	LastHeard    time.Time    `json:"last_heard,omitzero"`
	Location     *text        `json:"location,omitempty"`
	LocationTime time.Time    `json:"location_time,omitzero"`
	GmondStarted int64        `json:"gmond_started,omitempty"`
	StartedTime  time.Time    `json:"started_time,omitzero"`
	Metrics      []metricJSON `json:"metrics,omitempty"`
}

type metricJSON struct {
	Name  text          `json:"name"`
	Meta  *metadataJSON `json:"metadata,omitempty"`
	Value *valueJSON    `json:"value,omitempty"`
}

type metadataJSON struct {
	Type  text        `json:"type"`
	Units text        `json:"units"`
	Slope xdr.Slope   `json:"slope"`
	TMax  uint32      `json:"tmax"`
	DMax  uint32      `json:"dmax"`
	Extra []extraJSON `json:"extra,omitempty"`
	Time  time.Time   `json:"time,omitzero"`
}

type extraJSON struct {
	Name text `json:"name"`
	Data text `json:"data"`
}

type valueJSON struct {
	ID      xdr.MsgID `json:"id"`
	VAL     text      `json:"val"`
	Number  number    `json:"number"`
	Numeric bool      `json:"numeric,omitempty"`
	Time    time.Time `json:"time,omitzero"`
}

// MarshalJSON writes d in the state file's form.
func (d HostDump) MarshalJSON() ([]byte, error) {
	j := hostJSON{Key: text(d.Key), Name: text(d.Name), LastHeard: d.LastHeard,
		GmondStarted: d.GmondStarted, StartedTime: d.StartedTime}
	if d.HasLocation {
		loc := text(d.Location)
		j.Location, j.LocationTime = &loc, d.LocationTime
	}
	j.Metrics = make([]metricJSON, len(d.Metrics))
	for i, m := range d.Metrics {
		mj := metricJSON{Name: text(m.Name)}
		if md := m.Meta; md != nil {
			mj.Meta = &metadataJSON{Type: text(md.Type), Units: text(md.Units), Slope: md.Slope,
				TMax: md.TMax, DMax: md.DMax, Time: md.Time}
			for _, e := range md.Extra {
				mj.Meta.Extra = append(mj.Meta.Extra, extraJSON{text(e.Name), text(e.Data)})
			}
		}
		if v := m.Value; v != nil {
			mj.Value = &valueJSON{ID: v.ID, VAL: text(v.VAL), Number: number(v.Number), Numeric: v.Numeric, Time: v.Time}
		}
		j.Metrics[i] = mj
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (d *HostDump) UnmarshalJSON(b []byte) error {
	var j hostJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*d = HostDump{Key: string(j.Key), Name: string(j.Name), LastHeard: j.LastHeard,
		GmondStarted: j.GmondStarted, StartedTime: j.StartedTime}
	if j.Location != nil {
		d.Location, d.HasLocation, d.LocationTime = string(*j.Location), true, j.LocationTime
	}
	if len(j.Metrics) > 0 {
		d.Metrics = make([]MetricDump, len(j.Metrics))
	}
	for i, mj := range j.Metrics {
		m := MetricDump{Name: string(mj.Name)}
		if md := mj.Meta; md != nil {
			m.Meta = &MetadataDump{Type: string(md.Type), Units: string(md.Units), Slope: md.Slope,
				TMax: md.TMax, DMax: md.DMax, Time: md.Time}
			for _, e := range md.Extra {
				m.Meta.Extra = append(m.Meta.Extra, xdr.Extra{Name: string(e.Name), Data: string(e.Data)})
			}
		}
		if v := mj.Value; v != nil {
			m.Value = &ValueDump{ID: v.ID, VAL: string(v.VAL), Number: float64(v.Number), Numeric: v.Numeric, Time: v.Time}
		}
		d.Metrics[i] = m
	}
	return nil
}

// text is a string that survives JSON byte for byte.
type text string

type base64Text struct {
	Base64 string `json:"base64"`
}

func (t text) MarshalJSON() ([]byte, error) {
	if utf8.ValidString(string(t)) {
		return json.Marshal(string(t))
	}
	return json.Marshal(base64Text{base64.StdEncoding.EncodeToString([]byte(t))})
}

func (t *text) UnmarshalJSON(b []byte) error {
	if b = bytes.TrimSpace(b); len(b) > 0 && b[0] == '{' {
		var o base64Text
		if err := json.Unmarshal(b, &o); err != nil {
			return err
		}
		raw, err := base64.StdEncoding.DecodeString(o.Base64)
		if err != nil {
			return err
		}
		*t = text(raw)
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*t = text(s)
	return nil
}

// number is a float64 that may be NaN or infinite.
type number float64

func (n number) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return json.Marshal(strconv.FormatFloat(f, 'g', -1, 64))
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

var errNumber = errors.New("cluster: not a number")

func (n *number) UnmarshalJSON(b []byte) error {
	var s string
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	} else {
		s = string(b)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return errors.Join(errNumber, err)
	}
	*n = number(f)
	return nil
}
