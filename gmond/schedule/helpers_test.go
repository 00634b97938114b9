package schedule

import (
	"bufio"
	"context"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// t0 is the start time of most tests: the stock capture's start-up second.
var t0 = time.Unix(1795302993, 0)

// fake is a collector with scripted readings. vals holds the next reading
// of each metric; a name missing from vals is left out, as a rate collector
// leaves out its first call. err makes Collect fail.
type fake struct {
	name   string
	defs   []metric.Def
	vals   map[string]metric.Value
	err    error
	calls  int
	resets int
	out    []metric.Reading
}

func (f *fake) Name() string               { return f.name }
func (f *fake) Defs() []metric.Def         { return f.defs }
func (f *fake) ResetBaselines()            { f.resets++ }
func (f *fake) set(name string, v float64) { f.vals[name] = metric.Num(v) }

func (f *fake) Collect(time.Time) ([]metric.Reading, error) {
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	f.out = f.out[:0]
	for _, d := range f.defs { // defs order, so tests are deterministic
		if v, ok := f.vals[d.Name]; ok {
			f.out = append(f.out, metric.Reading{Name: d.Name, Value: v})
		}
	}
	return f.out, nil
}

// newFake returns a collector offering defs, each with value 0 (strings "").
func newFake(name string, defs ...metric.Def) *fake {
	f := &fake{name: name, defs: defs, vals: map[string]metric.Value{}}
	for _, d := range defs {
		f.vals[d.Name] = metric.Value{}
	}
	return f
}

// def is a metric definition with the fmt gmond's modules use for its type.
func def(name string, typ metric.Type) metric.Def {
	fmts := map[metric.Type]string{metric.String: "%s", metric.UInt16: "%hu", metric.Int16: "%hd",
		metric.UInt32: "%u", metric.Int32: "%d", metric.Float: "%.1f", metric.Double: "%.3f"}
	return metric.Def{Name: name, Type: typ, Units: "u", Slope: xdr.SlopeBoth, TMax: 60,
		Format: fmts[typ], Group: "test", Desc: name + " desc"}
}

// sent is one packet a Scheduler sent, decoded, with the Tick it came from.
type sent struct {
	at  time.Time
	raw []byte
	msg xdr.Message
}

func (p sent) String() string {
	return fmt.Sprintf("+%gs %s %s", p.at.Sub(t0).Seconds(), p.msg.ID, p.msg.Name)
}

// recorder is an Options.Send that decodes every packet.
type recorder struct {
	t   testing.TB
	at  time.Time
	got []sent
}

func (r *recorder) send(pkt []byte) {
	m, err := xdr.Decode(pkt)
	if err != nil {
		r.t.Fatalf("scheduler sent an undecodable packet %x: %v", pkt, err)
	}
	r.got = append(r.got, sent{at: r.at, raw: append([]byte(nil), pkt...), msg: m})
}

// take returns and forgets what was recorded.
func (r *recorder) take() []sent {
	out := r.got
	r.got = nil
	return out
}

// tick runs s at now, recording packets under that time.
func (r *recorder) tick(s *Scheduler, now time.Time) []sent {
	r.at = now
	s.Tick(now)
	return r.take()
}

// run ticks s whenever Next says, up to and including until, as the
// daemon's loop does, and returns what was sent.
func (r *recorder) run(s *Scheduler, until time.Time) []sent {
	var out []sent
	for at := s.Next(); !at.After(until); at = s.Next() {
		out = append(out, r.tick(s, at)...)
	}
	return out
}

// newSched builds a Scheduler on a recorder; opts.Send is filled in.
func newSched(t testing.TB, opts Options) (*Scheduler, *recorder) {
	t.Helper()
	r := &recorder{t: t}
	opts.Send = r.send
	if opts.Host == "" {
		opts.Host = "vm"
	}
	s, err := New(opts, t0)
	if err != nil {
		t.Fatal(err)
	}
	return s, r
}

// lines summarises packets as "+offset id name" for compact comparisons.
func lines(ps []sent) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// logSink is a slog.Handler that keeps every record.
type logSink struct {
	mu   sync.Mutex
	recs []slog.Record
}

func (h *logSink) Enabled(context.Context, slog.Level) bool { return true }
func (h *logSink) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	h.recs = append(h.recs, r.Clone())
	h.mu.Unlock()
	return nil
}
func (h *logSink) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *logSink) WithGroup(string) slog.Handler      { return h }

// count returns how many records at level have msg containing substr.
func (h *logSink) count(level slog.Level, substr string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, r := range h.recs {
		if r.Level == level && strings.Contains(r.Message, substr) {
			n++
		}
	}
	return n
}

// readCapture reads a "unix-time hex" file of datagrams.
func readCapture(t testing.TB, path string) (raw [][]byte, msgs []xdr.Message) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		_, hx, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		b, err := hex.DecodeString(hx)
		if err != nil {
			t.Fatal(err)
		}
		m, err := xdr.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		raw, msgs = append(raw, b), append(msgs, m)
	}
	return raw, msgs
}
