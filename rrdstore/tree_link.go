package rrdstore

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

// abs returns the absolute path of a path relative to the root, for errors,
// logs and callers.
func (t *Tree) abs(rel string) string { return filepath.Join(t.root, rel) }

// pathErr turns an error of the os.Root methods into the package's *Error
// naming the absolute path (os reports it relative to the root); nil stays
// nil. The system error stays wrapped for errors.Is.
func (t *Tree) pathErr(rel string, err error) error {
	if err == nil {
		return nil
	}
	e := &Error{Path: t.abs(rel), Err: err}
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		e.Msg, e.Err = pe.Op, pe.Err
	case errors.As(err, &le):
		e.Msg, e.Err = le.Op+" to "+filepath.Join(t.root, le.New), le.Err
	}
	return e
}

// conflict builds an *Error of kind ErrTreeConflict naming the path.
func (t *Tree) conflict(rel, format string, args ...any) error {
	return &Error{Path: t.abs(rel), Kind: ErrTreeConflict,
		Msg: ErrTreeConflict.Error() + ": " + fmt.Sprintf(format, args...)}
}

// ensureDir makes rel a directory if it is missing and refuses it if it
// exists as anything but a real directory. Mkdir comes first because it is
// atomic and never follows a final symlink, so there is no window between
// a check and the creation; a symlink already there only makes it fail
// with ErrExist, and the Lstat then tells what is there.
func (t *Tree) ensureDir(rel string) error {
	err := t.fs.Mkdir(rel, t.opts.DirMode.Perm())
	if err == nil || !errors.Is(err, fs.ErrExist) {
		return t.pathErr(rel, err)
	}
	fi, err := t.fs.Lstat(rel)
	switch {
	case err != nil:
		return t.pathErr(rel, err)
	case fi.Mode()&fs.ModeSymlink != 0:
		target, _ := t.fs.Readlink(rel)
		return t.conflict(rel, "symlink to %q where a real directory is expected", target)
	case !fi.IsDir():
		return t.conflict(rel, "%v where a directory is expected", fi.Mode().Type())
	}
	return nil
}

// treeLinkAttempts bounds how often ensureHostLink looks again when the
// link's place changes under it (another process, or the merge emptying a
// stock directory); more than that is a conflict, not a loop.
const treeLinkAttempts = 4

// ensureHostLink makes <cluster>/<hc> the link ../<LPARDir>/<hc>.
//
// A missing link is made with one symlink(2) at its final name: that is
// atomic and, unlike a rename of a temporary link, cannot replace anything
// another process put there meanwhile. The temporary-name-and-rename dance
// is kept for the one case where a link is replaced (replaceLink).
func (t *Tree) ensureHostLink(cluster, hc string) error {
	rel := filepath.Join(cluster, hc)
	want := "../" + t.opts.LPARDir + "/" + hc
	for range treeLinkAttempts {
		fi, err := t.fs.Lstat(rel)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			err = t.fs.Symlink(want, rel)
			if !errors.Is(err, fs.ErrExist) {
				return t.pathErr(rel, err)
			}
		case err != nil:
			return t.pathErr(rel, err)
		case fi.Mode()&fs.ModeSymlink != 0:
			return t.checkHostLink(cluster, hc, want)
		case fi.IsDir():
			if err := t.mergeOld(cluster, hc); err != nil {
				return err
			}
		default:
			return t.conflict(rel, "%v where a link to %s is expected", fi.Mode().Type(), want)
		}
	}
	return t.conflict(rel, "kept changing while being linked to %s", want)
}

// checkHostLink accepts the link at <cluster>/<hc> if it is ours, rewrites
// it if it names the host's directory in another spelling (a hand-made
// absolute link of the seed setup, a trailing slash), and refuses anything
// else untouched.
func (t *Tree) checkHostLink(cluster, hc, want string) error {
	rel := filepath.Join(cluster, hc)
	target, err := t.fs.Readlink(rel)
	switch {
	case err != nil:
		return t.pathErr(rel, err)
	case target == want:
		return nil
	case t.sameTarget(target, hc, want):
		return t.replaceLink(cluster, rel, want)
	}
	return t.conflict(rel, "link to %q, expected %q", target, want)
}

// sameTarget says whether a link target names <root>/<LPARDir>/<hc>
// lexically, without following anything. A relative target may use one
// ".." only, the leading one: "../LPARS/x/../h" could mean another place
// if x were a link, so it is not recognised.
func (t *Tree) sameTarget(target, hc, want string) bool {
	clean := filepath.Clean(target)
	if filepath.IsAbs(target) {
		return clean == filepath.Join(t.root, t.opts.LPARDir, hc) ||
			clean == filepath.Join(t.given, t.opts.LPARDir, hc)
	}
	dots := 0
	for _, elem := range strings.Split(target, "/") {
		if elem == ".." {
			dots++
		}
	}
	return dots == 1 && clean == want
}

// replaceLink swaps the link at rel for one to want atomically: the new
// link is made under a temporary name in the same directory and renamed
// over rel, so readers see the old link or the new one, never nothing. A
// crash between the two steps leaves a stray ".tmp-link-*" link, which is
// harmless and removed by the nightly check.
func (t *Tree) replaceLink(cluster, rel, want string) error {
	for range treeLinkAttempts {
		tmp := filepath.Join(cluster, ".tmp-link-"+strconv.FormatUint(rand.Uint64(), 16))
		err := t.fs.Symlink(want, tmp)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return t.pathErr(tmp, err)
		}
		if err := t.fs.Rename(tmp, rel); err != nil {
			_ = t.fs.Remove(tmp)
			return t.pathErr(rel, err)
		}
		return nil
	}
	return t.conflict(cluster, "no free temporary link name")
}
