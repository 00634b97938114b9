package rrdstore

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// mergeOld empties the real directory <cluster>/<hc> that stock gmetad made
// into <LPARDir>/<hc>, then removes it, or renames it to
// <cluster>/.<hc>.premerge-<unix time> if some file could not be moved.
// ensureHostLink then puts the link in its place.
//
// Crash safety: every file stays reachable at every step, so a crash at
// any point loses no sample, and the next HostDir resumes from the state
// left behind:
//
//  1. Moving a file is link(2) to the new name, then unlink(2) of the old
//     one: between the two the file has both names; the resumed merge sees
//     the same inode on both sides and only drops the old name. link(2),
//     unlike rename(2), fails rather than replace a file another writer
//     created meanwhile under the new name; that file is merged instead.
//  2. A file in both places is merged by MergeFile, then the old one is
//     removed; a crash in between merges it again, hence its idempotence.
//  3. The emptied directory is removed (or renamed away, with whatever
//     could not be moved still in it) only after the loop; until then
//     ganglia-web still sees it as a plain stock host directory.
//  4. With no directory and no link yet, the host's files are all under
//     LPARDir (and in the kept directory); the resumed call makes the link.
func (t *Tree) mergeOld(cluster, hc string) error {
	old := filepath.Join(cluster, hc)
	dst := filepath.Join(t.opts.LPARDir, hc)
	entries, err := t.readDir(old)
	if err != nil {
		return t.pathErr(old, err)
	}
	kept := 0
	for _, e := range entries {
		if !t.moveFile(filepath.Join(old, e.Name()), filepath.Join(dst, e.Name()), e) {
			kept++
		}
	}
	// rmdir(2) refuses a directory that is not empty, so a file that
	// arrived since ReadDir is never lost: it is kept like the others.
	if kept == 0 && t.fs.Remove(old) == nil {
		return nil
	}
	return t.keepOld(cluster, hc, kept)
}

func (t *Tree) readDir(rel string) ([]fs.DirEntry, error) {
	f, err := t.fs.Open(rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.ReadDir(-1)
}

// moveFile moves src into dst (both relative to the root) and reports
// whether src is gone. Only regular files, which is all stock gmetad puts
// in a host directory, are moved: a symlink or subdirectory is kept where
// it is rather than carried into the host's directory, where the persister
// would write through it.
func (t *Tree) moveFile(src, dst string, e fs.DirEntry) bool {
	if !e.Type().IsRegular() {
		return false
	}
	err := t.fs.Link(src, dst)
	if err == nil {
		return t.removeMerged(src)
	}
	if !errors.Is(err, fs.ErrExist) {
		// No hard links on this file system: rename once dst is known
		// to be free. Only a writer racing into that gap could be
		// overwritten, which link(2) would have prevented.
		if _, lerr := t.fs.Lstat(dst); errors.Is(lerr, fs.ErrNotExist) {
			if err = t.fs.Rename(src, dst); err == nil {
				return true
			}
			t.warn("cannot move RRD file", src, err)
			return false
		}
	}
	return t.mergeFile(src, dst)
}

// mergeFile combines src into dst, which both exist, and removes src.
func (t *Tree) mergeFile(src, dst string) bool {
	sfi, err := t.fs.Lstat(src)
	if err != nil {
		t.warn("cannot merge RRD file", src, err)
		return false
	}
	dfi, err := t.fs.Lstat(dst)
	if err != nil {
		t.warn("cannot merge RRD file", dst, err)
		return false
	}
	if os.SameFile(sfi, dfi) {
		return t.removeMerged(src) // a move interrupted after link(2)
	}
	if !dfi.Mode().IsRegular() || t.opts.MergeFile == nil {
		return false
	}
	if err := t.opts.MergeFile(t.abs(dst), t.abs(src)); err != nil {
		t.warn("cannot merge RRD file", src, err)
		return false
	}
	return t.removeMerged(src)
}

// removeMerged drops the old name of a file whose data is now in the host's
// directory. If that fails the file is kept, which costs space, not data.
func (t *Tree) removeMerged(src string) bool {
	if err := t.fs.Remove(src); err != nil {
		t.warn("cannot remove merged RRD file", src, err)
		return false
	}
	return true
}

// keepOld renames the old directory to <cluster>/.<hc>.premerge-<unix time>
// (a dot name: ganglia-web lists hosts from XML, and the nightly check
// reports such directories) so the link can take its place while nothing
// in it is lost.
func (t *Tree) keepOld(cluster, hc string, kept int) error {
	old := filepath.Join(cluster, hc)
	base := t.premergeName(hc)
	for i := range treeLinkAttempts {
		name := base
		if i > 0 {
			name += "-" + strconv.Itoa(i)
		}
		rel := filepath.Join(cluster, name)
		if _, err := t.fs.Lstat(rel); !errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err := t.fs.Rename(old, rel); err != nil {
			return t.pathErr(old, err)
		}
		t.opts.Logger.Warn("stock host directory not fully merged; kept beside the host link",
			"path", t.abs(rel), "host_dir", t.abs(filepath.Join(t.opts.LPARDir, hc)), "kept_files", kept)
		return nil
	}
	return t.conflict(old, "no free name to keep the old directory under")
}

// premergeName shortens the host part if needed, so the name of the kept
// directory fits MaxNameLen even for a host name at the limit.
func (t *Tree) premergeName(hc string) string {
	suffix := ".premerge-" + strconv.FormatInt(t.opts.Now().Unix(), 10)
	room := t.opts.MaxNameLen - len(suffix) - len(".") - len("-99")
	if len(hc) > room {
		hc = hc[:max(room, 0)]
	}
	return "." + hc + suffix
}

func (t *Tree) warn(msg, rel string, err error) {
	t.opts.Logger.Warn(msg, "path", t.abs(rel), "err", err)
}
