package treecheck

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// makeSummary makes a missing summary directory. gmetad would make it at
// its next write too; making it here leaves a tree the next check finds
// clean, owned by the gmetad user.
func (c *checker) makeSummary(rel string) (string, error) {
	err := c.fs.Mkdir(rel, c.opts.DirMode.Perm())
	if errors.Is(err, fs.ErrExist) {
		return "", errChanged
	}
	if err != nil {
		return "", err
	}
	giveAway(c.fs, rel, c.user)
	return "made", nil
}

// fixSummaryLink replaces the link <parent>/__SummaryInfo__ by a real
// directory. The RRDs the link led to are copied (under rrdstore's locks)
// into a new directory under a temporary dot name, which is then renamed
// into place after the link is removed: a crash leaves either the link, or
// the complete copy beside it, and the originals are never touched, so the
// summaries' history is not lost. A target outside the root is not read.
func (c *checker) fixSummaryLink(parent, seen string) (string, error) {
	rel := filepath.Join(parent, summaryDir)
	t, err := c.readTarget(rel)
	if err != nil || t.text != seen {
		return "", errChanged
	}
	src := ""
	if t.exists {
		if t.escapes {
			return "", fmt.Errorf("its target %q is outside the root and is not read; copy its summaries in by hand", t.text)
		}
		src, err = filepath.EvalSymlinks(filepath.Join(c.root, rel))
		if err != nil {
			return "", err
		}
		if fi, err := os.Stat(src); err != nil || !fi.IsDir() {
			return "", fmt.Errorf("its target %q is not a directory", t.text)
		}
	}
	tmp := filepath.Join(parent, ".__SummaryInfo__.new-"+strconv.FormatUint(rand.Uint64(), 16))
	if err := c.fs.Mkdir(tmp, c.opts.DirMode.Perm()); err != nil {
		return "", err
	}
	giveAway(c.fs, tmp, c.user)
	n, err := c.copySummaries(src, tmp)
	if err != nil {
		_ = c.fs.RemoveAll(tmp) // only copies
		return "", err
	}
	if err := c.fs.Remove(rel); err != nil {
		_ = c.fs.RemoveAll(tmp)
		return "", err
	}
	if err := c.fs.Rename(tmp, rel); err != nil {
		return "", fmt.Errorf("link removed, but the new directory stays at %s: %v", tmp, err)
	}
	if src == "" {
		return "replaced by an empty real directory (the link led nowhere)", nil
	}
	return fmt.Sprintf("replaced by a real directory holding copies of the %d RRD files of %q (kept as they are)", n, t.text), nil
}

// copySummaries copies every RRD file of the directory src (absolute,
// inside the root; "" for none) into dst (relative).
func (c *checker) copySummaries(src, dst string) (int, error) {
	if src == "" {
		return 0, nil
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".rrd") {
			continue
		}
		to := filepath.Join(dst, e.Name())
		if err := copyRRD(filepath.Join(c.root, to), filepath.Join(src, e.Name())); err != nil {
			return n, fmt.Errorf("cannot copy %s: %w", e.Name(), err)
		}
		giveAway(c.fs, to, c.user)
		n++
	}
	return n, nil
}
