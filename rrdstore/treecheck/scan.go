package treecheck

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// scan walks the root, LPARDir and every managed system once, recording
// the local findings and what the tree-wide rules need. An unreadable root
// is the only error: everything below it is a finding.
func (c *checker) scan() error {
	fi, err := c.fs.Lstat(".")
	if err != nil {
		return err
	}
	entries, err := readDir(c.fs, ".")
	if err != nil {
		return fmt.Errorf("%s: %w", c.root, err)
	}
	c.dirs++
	c.checkWritable(".", fi)
	var summary fs.DirEntry
	for _, e := range entries {
		if err := c.ctx.Err(); err != nil {
			return err
		}
		switch name := e.Name(); {
		case name == c.opts.LPARDir:
			c.scanLPARDir(e)
		case name == summaryDir:
			summary = e
		case strings.HasPrefix(name, "."):
			c.stray(name, e, "not part of the RRD tree")
		case rrdstore.ValidateName(rrdstore.NameKindCluster, name, c.opts.MaxNameLen) != nil:
			c.stray(name, e, "not a valid managed-system name")
		case e.Type()&fs.ModeSymlink != 0:
			c.links++
			c.dirLink(name, "a managed system's directory")
		case e.IsDir():
			c.scanCluster(name, e)
		default:
			c.stray(name, e, "not part of the RRD tree")
		}
	}
	if summary != nil || c.clusters > 0 {
		c.summary(".", summary)
	}
	return nil
}

// scanLPARDir lists the one real directory of each host.
func (c *checker) scanLPARDir(e fs.DirEntry) {
	name := e.Name()
	switch {
	case e.Type()&fs.ModeSymlink != 0:
		c.links++
		c.dirLink(name, "the hosts' directory")
		return
	case !e.IsDir():
		c.stray(name, e, "where the hosts' directory belongs")
		return
	}
	entries, ok := c.listDir(name, e)
	if !ok {
		return
	}
	for _, h := range entries {
		rel := filepath.Join(name, h.Name())
		switch {
		case strings.HasPrefix(h.Name(), ".") ||
			rrdstore.ValidateName(rrdstore.NameKindHost, h.Name(), c.opts.MaxNameLen) != nil:
			c.stray(rel, h, "not a valid host directory name")
		case h.Type()&fs.ModeSymlink != 0:
			c.links++
			c.dirLink(rel, "a host's directory")
		case h.IsDir():
			c.lpars = append(c.lpars, h.Name())
			c.scanRRDDir(rel, h)
		default:
			c.stray(rel, h, "not a host directory")
		}
	}
}

// scanCluster lists a managed system: host links, stock host directories
// and its summary directory.
func (c *checker) scanCluster(cluster string, e fs.DirEntry) {
	entries, ok := c.listDir(cluster, e)
	if !ok {
		return
	}
	c.clusters++
	var summary fs.DirEntry
	for _, h := range entries {
		name, rel := h.Name(), filepath.Join(cluster, h.Name())
		switch {
		case name == summaryDir:
			summary = h
		case strings.HasPrefix(name, ".tmp-link-") && h.Type()&fs.ModeSymlink != 0:
			c.links++
			c.add(rel, RuleStrayFile, "temporary link left by an interrupted link replacement", fixStray,
				func() (string, error) { return c.removeTempLink(rel) })
		case strings.HasPrefix(name, "."):
			c.stray(rel, h, "not a host (kept by an incomplete merge, or left by hand)")
		case rrdstore.ValidateName(rrdstore.NameKindHost, name, c.opts.MaxNameLen) != nil:
			c.stray(rel, h, "not a valid host name")
		case h.Type()&fs.ModeSymlink != 0:
			c.links++
			c.named[c.hostName(name)] = true
			c.hostLink(cluster, name)
		case h.IsDir():
			hc := c.hostName(name)
			c.named[hc] = true
			c.realDirs[hc] = append(c.realDirs[hc], hostDir{cluster, name})
			c.scanRRDDir(rel, h)
		default:
			c.stray(rel, h, "not a host link")
		}
	}
	c.summary(cluster, summary)
}

// listDir lists a directory found by the walk and checks that gmetad can
// write it; ok is false when it cannot be listed.
func (c *checker) listDir(rel string, e fs.DirEntry) ([]fs.DirEntry, bool) {
	if fi, err := e.Info(); err == nil {
		c.checkWritable(rel, fi)
	}
	entries, err := readDir(c.fs, rel)
	if err != nil {
		c.report(rel, RuleUnreadableDir, "cannot list it: %v", err)
		return nil, false
	}
	c.dirs++
	return entries, true
}

// tmpRRD matches the temporary file of an RRD written by rename
// (rrdstore's Create and Merge: "<metric>.rrd" plus random digits).
var tmpRRD = regexp.MustCompile(`\.rrd[0-9]+$`)

// scanRRDDir lists a directory of RRD files (a host's or a summary) and
// queues its RRDs for inspection.
func (c *checker) scanRRDDir(rel string, e fs.DirEntry) {
	entries, ok := c.listDir(rel, e)
	if !ok {
		return
	}
	d := &rrdDir{rel: rel}
	for _, f := range entries {
		name, frel := f.Name(), filepath.Join(rel, f.Name())
		metric, isRRD := strings.CutSuffix(name, ".rrd")
		switch {
		case f.Type().IsRegular() && isRRD &&
			rrdstore.ValidateName(rrdstore.NameKindMetric, metric, c.opts.MaxNameLen) == nil:
			d.files = append(d.files, &rrdFile{name: name})
		case f.Type().IsRegular() && tmpRRD.MatchString(name):
			c.stray(frel, f, "temporary file of an interrupted RRD write (the RRD itself was kept whole)")
		case f.Type()&fs.ModeSymlink != 0:
			c.links++
			c.stray(frel, f, "a link where RRD files belong")
		case f.IsDir():
			c.stray(frel, f, "a directory where RRD files belong")
		default:
			c.stray(frel, f, "not an RRD file")
		}
	}
	c.rrdDirs = append(c.rrdDirs, d)
}

// stray reports something that is not part of the layout.
func (c *checker) stray(rel string, e fs.DirEntry, why string) {
	c.report(rel, RuleStrayFile, "%s %q: %s", kindOf(e.Type()), e.Name(), why)
}

// kindOf names a file type for messages.
func kindOf(t fs.FileMode) string {
	switch {
	case t&fs.ModeSymlink != 0:
		return "symlink"
	case t.IsDir():
		return "directory"
	case t.IsRegular():
		return "file"
	case t&fs.ModeNamedPipe != 0:
		return "named pipe"
	case t&fs.ModeSocket != 0:
		return "socket"
	case t&fs.ModeDevice != 0:
		return "device"
	}
	return "special file"
}

// checkWritable adds a not-writable finding for rel if the gmetad user
// cannot write it.
func (c *checker) checkWritable(rel string, fi fs.FileInfo) {
	if c.user == nil || c.user.canWrite(fi) {
		return
	}
	c.add(rel, RuleNotWritable, c.user.notWritable(fi), fixPerms, func() (string, error) { return c.fixOwner(rel) })
}

// summary checks a __SummaryInfo__ entry of parent ("." for the root); e
// is nil when there is none.
func (c *checker) summary(parent string, e fs.DirEntry) {
	rel := filepath.Join(parent, summaryDir)
	switch {
	case e == nil:
		c.add(rel, RuleSummaryMissing, "no summary directory (gmetad keeps one for the grid and one in every managed system)",
			fixSummary, func() (string, error) { return c.makeSummary(rel) })
	case e.Type()&fs.ModeSymlink != 0:
		c.links++
		target, _ := c.fs.Readlink(rel)
		c.add(rel, RuleSummaryIsLink, fmt.Sprintf("a link to %q: summaries must be a real directory of their own", target),
			fixSummary, func() (string, error) { return c.fixSummaryLink(parent, target) })
	case e.IsDir():
		c.scanRRDDir(rel, e)
	default:
		c.add(rel, RuleSummaryMissing, fmt.Sprintf("a %s where the summary directory belongs", kindOf(e.Type())),
			fixSummary, func() (string, error) { return "", fmt.Errorf("something else is in its place; move it away by hand") })
	}
}
