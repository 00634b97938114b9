package treecheck

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// ErrIncomplete is matched (errors.Is) when AdoptHostDir had to leave
// files in the old directory, which then stays a real directory.
var ErrIncomplete = errors.New("host directory not fully adopted")

// AdoptResult says what AdoptHostDir did.
type AdoptResult struct {
	Moved  int        // files moved into LPARS/<host> as they were
	Merged int        // files merged into a file LPARS/<host> already had
	Kept   []KeptFile // files left in the old directory
	Linked bool       // the old directory is now the link ../LPARS/<host>
}

// KeptFile is a file AdoptHostDir left where it was, and why.
type KeptFile struct{ Name, Reason string }

// String says what was done, for logs and findings.
func (r AdoptResult) String() string {
	s := r.counts()
	if r.Linked {
		s += "; replaced by the link"
	}
	for _, k := range r.Kept {
		s += fmt.Sprintf("; kept %s: %s", k.Name, k.Reason)
	}
	return s
}

// counts says how many files moved and merged.
func (r AdoptResult) counts() string {
	return fmt.Sprintf("RRD files: %d moved, %d merged", r.Moved, r.Merged)
}

// adoptAttempts bounds how often AdoptHostDir goes round when gmetad
// keeps putting files or the directory back while it works.
const adoptAttempts = 4

// AdoptHostDir turns the real directory <root>/<cluster>/<host>, as stock
// gmetad makes it, into the link ../<LPARDir>/<host'>, where host' is host
// as the tree names it (lower-cased when host names are not
// case-sensitive). Each RRD file moves into <LPARDir>/<host'>, or, when a
// file of that name is already there, is merged into it with
// rrdstore.Merge (known samples beat unknown, the newer history wins
// overlaps) and then removed.
//
// It is safe while gmetad runs and after any crash: a file moves by
// link(2) then unlink(2), so it always has at least one name; a merged
// file is removed only after Merge has renamed the result into place, and
// a repeated merge changes nothing; the directory is removed only once
// empty (rmdir refuses otherwise, so a file gmetad adds meanwhile is never
// lost) and only then is the link made. Every sample stays reachable in
// one of the two places at every step, and calling it again resumes.
//
// A file that is locked (gmetad is writing it), cannot be merged (another
// layout, unreadable) or is not an RRD stays where it is, the directory
// stays real, and the error wraps ErrIncomplete; the files moved so far
// stay moved.
func AdoptHostDir(root, cluster, host string, opts Options) (AdoptResult, error) {
	opts = opts.withDefaults()
	for _, n := range []struct{ kind, name string }{
		{rrdstore.NameKindCluster, opts.LPARDir}, {rrdstore.NameKindCluster, cluster}, {rrdstore.NameKindHost, host},
	} {
		if err := rrdstore.ValidateName(n.kind, n.name, opts.MaxNameLen); err != nil {
			return AdoptResult{}, err
		}
	}
	resolved, err := filepath.EvalSymlinks(root)
	if err != nil {
		return AdoptResult{}, err
	}
	r, err := os.OpenRoot(resolved)
	if err != nil {
		return AdoptResult{}, err
	}
	defer r.Close()
	u := opts.User
	if u == nil {
		if fi, err := r.Stat("."); err == nil {
			u = rootOwner(fi)
		}
	}
	return newAdopter(r, opts, u).adopt(cluster, host)
}

// adopter does the file system work of AdoptHostDir on an open root.
type adopter struct {
	fs   *os.Root
	root string
	opts Options
	user *User
}

func newAdopter(r *os.Root, opts Options, u *User) *adopter {
	return &adopter{fs: r, root: r.Name(), opts: opts, user: u}
}

func (a *adopter) abs(rel string) string { return filepath.Join(a.root, rel) }

// adopt empties <cluster>/<name> into LPARDir, removes it and links. It
// goes round when gmetad recreates the directory or adds a file before the
// link is in place; cur moves to the tree's spelling once the original
// directory is gone.
func (a *adopter) adopt(cluster, name string) (AdoptResult, error) {
	var res AdoptResult
	hc := canonicalHost(name, a.opts.CaseSensitiveHostnames)
	host := filepath.Join(a.opts.LPARDir, hc)
	want := "../" + a.opts.LPARDir + "/" + hc
	cur := name
	for range adoptAttempts {
		rel := filepath.Join(cluster, cur)
		fi, err := a.fs.Lstat(rel)
		switch {
		case errors.Is(err, fs.ErrNotExist) && cur != hc:
			cur = hc
		case errors.Is(err, fs.ErrNotExist):
			err := a.fs.Symlink(want, rel)
			if err == nil {
				giveAway(a.fs, rel, a.user)
				res.Linked = true
				return res, nil
			}
			if !errors.Is(err, fs.ErrExist) {
				return res, err
			}
		case err != nil:
			return res, err
		case fi.Mode()&fs.ModeSymlink != 0:
			target, _ := a.fs.Readlink(rel)
			if lexicalTarget(rel, target, a.root) != host {
				return res, fmt.Errorf("%s became a link to %q meanwhile; the host's files are in %s", rel, target, host)
			}
			res.Linked = true
			return res, nil
		case fi.IsDir():
			if err := a.empty(rel, host, &res); err != nil {
				return res, err
			}
			// rmdir(2) fails on a directory that is not empty: a file
			// gmetad wrote since the listing makes another round.
			if err := a.fs.Remove(rel); err == nil {
				cur = hc
			}
		default:
			return res, fmt.Errorf("%s is a %s, not a directory", rel, kindOf(fi.Mode().Type()))
		}
	}
	return res, fmt.Errorf("%s kept changing while being replaced by the link to %s; run again", filepath.Join(cluster, name), host)
}

// empty moves or merges every file of old into host.
func (a *adopter) empty(old, host string, res *AdoptResult) error {
	if err := a.ensureDirs(host); err != nil {
		return err
	}
	entries, err := readDir(a.fs, old)
	if err != nil {
		return err
	}
	res.Kept = res.Kept[:0]
	for _, e := range entries {
		if why := a.adoptFile(filepath.Join(old, e.Name()), filepath.Join(host, e.Name()), e, res); why != "" {
			res.Kept = append(res.Kept, KeptFile{Name: e.Name(), Reason: why})
		}
	}
	if len(res.Kept) > 0 {
		return fmt.Errorf("%w: %s", ErrIncomplete, res)
	}
	return nil
}

// ensureDirs makes LPARDir and rel (a host directory under it) real
// directories, given to the gmetad user.
func (a *adopter) ensureDirs(rel string) error {
	for _, d := range []string{a.opts.LPARDir, rel} {
		err := a.fs.Mkdir(d, a.opts.DirMode.Perm())
		if err == nil {
			giveAway(a.fs, d, a.user)
			continue
		}
		if !errors.Is(err, fs.ErrExist) {
			return err
		}
		fi, err := a.fs.Lstat(d)
		if err != nil || !fi.IsDir() || fi.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("%s is not a real directory", d)
		}
		// A root-owned directory here is one a run as root made and was
		// killed before handing it over: finish that now.
		if uid, _, ok := ownerOf(fi); ok && uid == 0 {
			giveAway(a.fs, d, a.user)
		}
	}
	return nil
}

// adoptFile moves or merges src into dst and returns "" once src is gone,
// else why it stays.
func (a *adopter) adoptFile(src, dst string, e fs.DirEntry, res *AdoptResult) string {
	metric, ok := strings.CutSuffix(e.Name(), ".rrd")
	if !e.Type().IsRegular() || !ok || rrdstore.ValidateName(rrdstore.NameKindMetric, metric, a.opts.MaxNameLen) != nil {
		return "not an RRD file"
	}
	// A writer holds the lock only while it writes; a file locked now is
	// left for the next run rather than moved or merged under it.
	_, rerr := rrdstore.ReadInfo(a.abs(src))
	if errors.Is(rerr, rrdstore.ErrLocked) {
		return "locked by another process (gmetad writing it?); try again later"
	}
	if _, err := a.fs.Lstat(dst); errors.Is(err, fs.ErrNotExist) {
		if why := a.move(src, dst); why != "-" {
			if why == "" {
				res.Moved++
			}
			return why
		}
	}
	if rerr != nil {
		return fmt.Sprintf("unreadable, so it cannot be merged into %s: %v", dst, rerr)
	}
	return a.merge(src, dst, res)
}

// move gives src the name dst, then drops the old name. It returns "" when
// done, "-" when dst appeared meanwhile (merge instead), else why not.
func (a *adopter) move(src, dst string) string {
	err := a.fs.Link(src, dst)
	switch {
	case errors.Is(err, fs.ErrExist):
		return "-"
	case err == nil:
		return a.dropOld(src)
	}
	// No hard links here (or LPARDir on another file system): rename,
	// which is atomic too but could replace a file gmetad created in the
	// gap since the Lstat; a copy under locks when even that fails.
	if err = a.fs.Rename(src, dst); err == nil {
		return ""
	}
	if err := copyRRD(a.abs(dst), a.abs(src)); err != nil {
		return fmt.Sprintf("cannot move it to %s: %v", dst, err)
	}
	giveAway(a.fs, dst, a.user)
	return a.dropOld(src)
}

// merge combines src into the existing dst and removes src.
func (a *adopter) merge(src, dst string, res *AdoptResult) string {
	sfi, err := a.fs.Lstat(src)
	if err != nil {
		return err.Error()
	}
	dfi, err := a.fs.Lstat(dst)
	if err != nil {
		return err.Error()
	}
	if os.SameFile(sfi, dfi) { // a move interrupted between link and unlink
		res.Moved++
		return a.dropOld(src)
	}
	if !dfi.Mode().IsRegular() {
		return fmt.Sprintf("%s is not a regular file", dst)
	}
	err = rrdstore.Merge(a.abs(dst), a.abs(src))
	switch {
	case errors.Is(err, rrdstore.ErrLocked):
		return "locked by another process (gmetad writing it?); try again later"
	case errors.Is(err, rrdstore.ErrMergeMismatch):
		return fmt.Sprintf("its layout differs from %s; merge by hand", dst)
	case err != nil:
		return fmt.Sprintf("cannot merge it into %s: %v", dst, err)
	}
	a.keepOwner(dst, dfi)
	res.Merged++
	return a.dropOld(src)
}

// keepOwner gives the merged file (a new inode, created by whoever runs
// the fix) to the gmetad user, or when that is unknown the owner the file
// had before, so gmetad can still write it. Going by the gmetad user also
// repairs a file a killed earlier run left to root: Merge had renamed it
// into place, the chown had not happened yet, and merging the same source
// again is a no-op that would otherwise keep root as its owner.
func (a *adopter) keepOwner(rel string, before fs.FileInfo) {
	uid, gid, ok := ownerOf(before)
	if a.user != nil {
		uid, gid, ok = a.user.UID, a.user.GID, true
	}
	fi, err := a.fs.Lstat(rel)
	if !ok || err != nil || !isRoot() {
		return
	}
	if nu, ng, _ := ownerOf(fi); nu != uid || ng != gid {
		_ = a.fs.Lchown(rel, uid, gid)
	}
}

// dropOld removes the old name of a file whose data is now in the host's
// directory; if that fails the data is in both places, which costs space.
func (a *adopter) dropOld(src string) string {
	if err := a.fs.Remove(src); err != nil {
		return fmt.Sprintf("its data is in the host's directory, but the old name stays: %v", err)
	}
	return ""
}
