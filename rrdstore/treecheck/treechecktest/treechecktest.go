// Package treechecktest builds broken RRD trees for the tests of treecheck
// and of the commands that use it, as httptest serves net/http's: real
// RRD files written by rrdstore, links and directories made by hand.
package treechecktest

import (
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore/treecheck"
)

// T0 is the time the generated histories start at (a whole hour); every
// history ends by T0+40min, inside the files' two hours of 15 s rows.
const (
	T0   = 1699999200
	Step = 15
	// End is the end of every history.
	End = T0 + 40*60
)

// Kept is an original RRD file copied aside before a fix, and the file
// that must hold its samples afterwards.
type Kept struct {
	Copy  string // the copy of the original
	Final string // where its samples are after --fix
}

// Tree is a generated tree.
type Tree struct {
	Root    string          // the RRD root
	Outside string          // a directory beside the root, for links that leave it
	User    *treecheck.User // the gmetad user the tree belongs to
	Kept    []Kept
	aside   string
	tb      testing.TB
}

// HostSpec is the layout of every host file: gmetad's DS with small
// archives (two hours of 15 s rows, eight hours of minutes).
func HostSpec() rrdstore.Spec {
	return rrdstore.Spec{Step: Step, DS: []rrdstore.DS{{Name: "sum", Type: "GAUGE", Heartbeat: 120, Min: nan(), Max: nan()}},
		RRA: []rrdstore.RRA{{CF: "AVERAGE", XFF: 0.5, Steps: 1, Rows: 480}, {CF: "AVERAGE", XFF: 0.5, Steps: 4, Rows: 480}}}
}

// SummarySpec is the layout of a summary file: sum and num.
func SummarySpec() rrdstore.Spec {
	s := HostSpec()
	s.DS = append(s.DS, rrdstore.DS{Name: "num", Type: "GAUGE", Heartbeat: 120, Min: nan(), Max: nan()})
	return s
}

func nan() float64 { v := 0.0; return v / v }

// New makes an empty root, a directory beside it, and picks the gmetad
// user: the test's own user, or nobody when the test runs as root (root
// can write anything, which would hide every mode problem). Call Own once
// the tree is built.
func New(tb testing.TB) *Tree {
	tb.Helper()
	base := tb.TempDir()
	t := &Tree{Root: filepath.Join(base, "rrds"), Outside: filepath.Join(base, "outside"), aside: filepath.Join(base, "aside"), tb: tb}
	for _, d := range []string{t.Root, t.Outside, t.aside} {
		t.mkdir(d)
	}
	// Trees with directories their owner cannot write would outlive the
	// test without this (TempDir's clean-up runs after it).
	tb.Cleanup(func() {
		_ = filepath.WalkDir(base, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				_ = os.Chmod(p, 0o755)
			}
			return nil
		})
	})
	name := "nobody"
	if os.Geteuid() != 0 {
		u, err := user.Current()
		if err != nil {
			tb.Fatal(err)
		}
		name = u.Username
	}
	u, err := treecheck.LookupUser(name)
	if err != nil {
		tb.Fatal(err)
	}
	t.User = u
	return t
}

// Path joins elements under the root.
func (t *Tree) Path(elem ...string) string {
	return filepath.Join(append([]string{t.Root}, elem...)...)
}

// Dir makes a directory under the root.
func (t *Tree) Dir(elem ...string) string {
	p := t.Path(elem...)
	t.mkdir(p)
	return p
}

func (t *Tree) mkdir(p string) {
	t.tb.Helper()
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.tb.Fatal(err)
	}
}

// Link makes the symlink at rel (under the root) with the given target.
func (t *Tree) Link(target string, elem ...string) {
	t.tb.Helper()
	if err := os.Symlink(target, t.Path(elem...)); err != nil {
		t.tb.Fatal(err)
	}
}

// File writes a plain file under the root.
func (t *Tree) File(data string, elem ...string) string {
	t.tb.Helper()
	p := t.Path(elem...)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.tb.Fatal(err)
	}
	return p
}

// RRD writes an RRD of spec under the root holding one reading per step
// from from to to (seconds after T0): base, base+1, ... for each DS in
// turn, so every file's samples are its own.
func (t *Tree) RRD(spec rrdstore.Spec, from, to int64, base int, elem ...string) string {
	t.tb.Helper()
	p := t.Path(elem...)
	WriteRRD(t.tb, p, spec, T0+from, T0+to, base)
	return p
}

// WriteRRD creates path with spec, starting one step before from, and
// updates it every step up to to with base+i (and base+500+i for a second
// data source).
func WriteRRD(tb testing.TB, path string, spec rrdstore.Spec, from, to int64, base int) {
	tb.Helper()
	spec.Start = from - Step
	if err := rrdstore.Create(path, spec, rrdstore.CreateOptions{}); err != nil {
		tb.Fatal(err)
	}
	var args []string
	for i, ts := 0, from; ts <= to; i, ts = i+1, ts+Step {
		a := strconv.FormatInt(ts, 10) + ":" + strconv.Itoa(base+i)
		if len(spec.DS) > 1 {
			a += ":" + strconv.Itoa(base+500+i)
		}
		args = append(args, a)
	}
	if len(args) > 0 {
		if err := rrdstore.Update(path, args...); err != nil {
			tb.Fatal(err)
		}
	}
}

// Keep copies the file at rel aside now and records that its samples must
// be found in final (relative to the root) after a fix.
func (t *Tree) Keep(rel, final string) {
	t.tb.Helper()
	data, err := os.ReadFile(t.Path(rel))
	if err != nil {
		t.tb.Fatal(err)
	}
	cp := filepath.Join(t.aside, strconv.Itoa(len(t.Kept))+".rrd")
	if err := os.WriteFile(cp, data, 0o644); err != nil {
		t.tb.Fatal(err)
	}
	t.Kept = append(t.Kept, Kept{Copy: cp, Final: t.Path(final)})
}

// Own gives the whole tree to the gmetad user when running as root, as
// gmetad would have left it.
func (t *Tree) Own() {
	t.tb.Helper()
	if os.Geteuid() == 0 {
		err := filepath.Walk(t.Root, func(p string, _ os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			return os.Lchown(p, t.User.UID, t.User.GID)
		})
		if err != nil {
			t.tb.Fatal(err)
		}
	}
}

// Options are the options to check the tree with: the defaults, and the
// tree's gmetad user.
func (t *Tree) Options() treecheck.Options {
	opts := treecheck.DefaultOptions()
	opts.User = t.User
	return opts
}

// Chmod changes the mode of a file or directory under the root.
func (t *Tree) Chmod(mode os.FileMode, elem ...string) {
	t.tb.Helper()
	if err := os.Chmod(t.Path(elem...), mode); err != nil {
		t.tb.Fatal(err)
	}
}
