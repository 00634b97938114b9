package movelog

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// summaryDir is the directory of a system's summary RRDs (stock gmetad's
// name), never a host.
const summaryDir = "__SummaryInfo__"

// Link is one managed system's link to a host's directory.
type Link struct {
	System, Host string
	// Made is the link's own modification time (lstat), which is when
	// gmetad made it.
	Made time.Time
}

// Tree is what Scan read: the facts Rebuild works on. Tests build it by
// hand.
type Tree struct {
	// Links are every system's links to a host directory, in no order.
	Links []Link
	// HostLast is the newest update among a host's RRDs and SystemLast
	// among a system's summary RRDs, or, when Scan finds one, any update
	// at or after the newest link concerned, which settles every link;
	// a name missing means unknown. Scan fills them only for the hosts
	// linked from two systems or more, and their systems.
	HostLast, SystemLast map[string]time.Time
	// Errors are the directories and files that could not be read; what
	// they hold is left out.
	Errors []error
}

// ScanOptions configure Scan.
type ScanOptions struct {
	// LPARDir is the directory of the hosts' RRDs under the root (the
	// mapping's lpar_dir); "" means "LPARS".
	LPARDir string
	// ReadRRDs reads the RRD headers for HostLast and SystemLast. Leave it
	// off when the files lag behind their updates (rrdcached).
	ReadRRDs bool
}

// Scan reads the links of the tree under root: in every real directory of
// the root but LPARDir and __SummaryInfo__ (and hidden ones), each symlink
// <system>/<host> that leads to the directory <LPARDir>/<host>. It follows
// links only to compare them with the host's directory and writes nothing.
// Only an unreadable root is an error; anything else unreadable is
// listed in Tree.Errors and left out.
func Scan(root string, opts ScanOptions) (*Tree, error) {
	lpar := opts.LPARDir
	if lpar == "" {
		lpar = "LPARS"
	}
	ents, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	t := &Tree{HostLast: map[string]time.Time{}, SystemLast: map[string]time.Time{}}
	hosts := map[string]os.FileInfo{} // LPARDir/<host> by name; nil: not a directory
	for _, e := range ents {
		name := e.Name()
		if !e.IsDir() || name == lpar || name == summaryDir || strings.HasPrefix(name, ".") {
			continue
		}
		t.scanSystem(root, lpar, name, hosts)
	}
	if opts.ReadRRDs {
		t.readLast(root, lpar)
	}
	return t, nil
}

// scanSystem adds the host links of one system directory.
func (t *Tree) scanSystem(root, lpar, system string, hosts map[string]os.FileInfo) {
	dir := filepath.Join(root, system)
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Errors = append(t.Errors, err)
		return
	}
	for _, e := range ents {
		if e.Type()&fs.ModeSymlink == 0 {
			continue
		}
		host := e.Name()
		hfi, seen := hosts[host]
		if !seen {
			hfi, _ = os.Lstat(filepath.Join(root, lpar, host))
			if hfi != nil && !hfi.IsDir() {
				hfi = nil
			}
			hosts[host] = hfi
		}
		if hfi == nil {
			continue // a link to something else, or dangling: the check's business
		}
		path := filepath.Join(dir, host)
		li, err := e.Info() // lstat: the link itself
		if err != nil {
			t.Errors = append(t.Errors, err)
			continue
		}
		if fi, err := os.Stat(path); err != nil || !os.SameFile(fi, hfi) {
			continue
		}
		t.Links = append(t.Links, Link{System: system, Host: host, Made: li.ModTime()})
	}
}

// readLast fills HostLast and SystemLast for the hosts linked more than
// once, the only ones Rebuild looks at, and their systems.
func (t *Tree) readLast(root, lpar string) {
	count := map[string]int{}
	for _, l := range t.Links {
		count[l.Host]++
	}
	// The newest link of each host and into each system: a file updated
	// at or after it answers every question Rebuild asks.
	hosts, systems := map[string]time.Time{}, map[string]time.Time{}
	for _, l := range t.Links {
		if count[l.Host] >= 2 {
			hosts[l.Host] = later(hosts[l.Host], l.Made)
			systems[l.System] = later(systems[l.System], l.Made)
		}
	}
	for h, need := range hosts {
		if last, ok := t.newest(filepath.Join(root, lpar, h), need); ok {
			t.HostLast[h] = last
		}
	}
	for s, need := range systems {
		if last, ok := t.newest(filepath.Join(root, s, summaryDir), need); ok {
			t.SystemLast[s] = last
		}
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// newest returns the newest last update among the RRD files of dir, or
// the first one found at or after enough, which is all the caller needs
// to know; ok is false when no file could be read.
func (t *Tree) newest(dir string, enough time.Time) (last time.Time, ok bool) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errors = append(t.Errors, err)
		}
		return time.Time{}, false
	}
	for _, e := range ents {
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".rrd") {
			continue
		}
		sec, usec, _, err := rrdstore.LastUpdate(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Errors = append(t.Errors, err) // names the file
			continue
		}
		if tm := time.Unix(sec, usec*1000); !ok || tm.After(last) {
			last, ok = tm, true
		}
		if !last.Before(enough) {
			break
		}
	}
	return last, ok
}
