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

// linkTarget is what a symlink leads to.
type linkTarget struct {
	text    string // as readlink(2) returns it
	lexical string // cleaned, relative to the root; "" when it leaves the root on its face
	escapes bool   // leaves the root, on its face or through other links
	exists  bool   // resolves to something
}

// readTarget reads and resolves the link at rel (relative to the root)
// without ever acting on what lies outside the root: the resolution only
// looks, to tell a dangling link from one that names data.
func (c *checker) readTarget(rel string) (linkTarget, error) {
	text, err := c.fs.Readlink(rel)
	if err != nil {
		return linkTarget{}, err
	}
	t := linkTarget{text: text, lexical: lexicalTarget(rel, text, c.root, c.given)}
	t.escapes = t.lexical == ""
	// A loop or an unreadable step counts as naming nothing, like a
	// missing target: the link is no use either way.
	if resolved, err := filepath.EvalSymlinks(filepath.Join(c.root, rel)); err == nil {
		t.exists = true
		t.escapes = !within(c.root, resolved)
	}
	return t, nil
}

// lexicalTarget is where the link at rel leads on its face, cleaned and
// relative to the root, or "" if it leaves the root. An absolute target
// may name the root as resolved or as configured (the seed's hand-made
// links are absolute).
func lexicalTarget(rel, text string, roots ...string) string {
	if !filepath.IsAbs(text) {
		return inside(filepath.Join(filepath.Dir(rel), text))
	}
	for _, root := range roots {
		if r, err := filepath.Rel(root, filepath.Clean(text)); err == nil {
			if in := inside(r); in != "" {
				return in
			}
		}
	}
	return ""
}

// inside cleans a relative path and returns "" if it climbs out.
func inside(p string) string {
	p = filepath.Clean(p)
	if p == ".." || strings.HasPrefix(p, "../") || filepath.IsAbs(p) {
		return ""
	}
	return p
}

func within(root, p string) bool {
	return p == root || strings.HasPrefix(p, root+string(filepath.Separator))
}

// dirLink reports a symlink where the tree needs a real directory: LPARS,
// a managed system, a host's directory under LPARS. rrdstore.Tree refuses
// to write through such a link; data sits behind it, so it is only
// reported.
func (c *checker) dirLink(rel, what string) {
	t, err := c.readTarget(rel)
	if err != nil {
		c.report(rel, RuleForeignLink, "a link where %s must be a real directory (unreadable: %v)", what, err)
		return
	}
	rule := RuleForeignLink
	if t.escapes {
		rule = RuleLinkEscapesRoot
	}
	c.report(rel, rule, "a link to %q where %s must be a real directory; gmetad will not write through it: move the data here by hand",
		t.text, what)
}

// hostLink checks the link <cluster>/<name>, which must read
// ../<LPARDir>/<host>.
func (c *checker) hostLink(cluster, name string) {
	rel := filepath.Join(cluster, name)
	hc := c.hostName(name)
	want := c.want(hc)
	t, err := c.readTarget(rel)
	if err != nil {
		c.report(rel, RuleDanglingLink, "cannot read the link: %v", err)
		return
	}
	fix := func() (string, error) { return c.fixHostLink(cluster, name, t) }
	switch {
	case t.escapes && t.exists:
		c.add(rel, RuleLinkEscapesRoot, fmt.Sprintf("points outside the root, to %q, instead of %q", t.text, want), fixLinks,
			func() (string, error) {
				return "", fmt.Errorf("its target exists outside the root and is left alone; move its data into %s by hand", filepath.Join(c.opts.LPARDir, hc))
			})
	case t.escapes:
		c.add(rel, RuleLinkEscapesRoot, fmt.Sprintf("points outside the root, to %q (which does not exist), instead of %q", t.text, want), fixLinks, fix)
	case !t.exists:
		c.add(rel, RuleDanglingLink, fmt.Sprintf("points to %q, which does not exist", t.text), fixLinks, fix)
	case t.text == want:
		return
	case t.lexical == filepath.Join(c.opts.LPARDir, hc):
		c.add(rel, RuleForeignLink, fmt.Sprintf("names the host's directory as %q instead of %q", t.text, want), fixLinks, fix)
	default:
		c.add(rel, RuleForeignLink, fmt.Sprintf("points to %q instead of %q", t.text, want), fixLinks, fix)
	}
}

// want is the one correct target of a host link.
func (c *checker) want(hc string) string { return "../" + c.opts.LPARDir + "/" + hc }

// fixHostLink points the link at ../LPARS/<host>. A link that led nowhere
// is removed instead when the host has no directory: it made nothing
// reachable, and gmetad makes the link again when the host reports. The
// old target, if it exists, is never touched.
func (c *checker) fixHostLink(cluster, name string, seen linkTarget) (string, error) {
	rel := filepath.Join(cluster, name)
	if text, err := c.fs.Readlink(rel); err != nil || text != seen.text {
		return "", errChanged
	}
	hc := c.hostName(name)
	host := filepath.Join(c.opts.LPARDir, hc)
	fi, err := c.fs.Lstat(host)
	switch {
	case err == nil && !fi.IsDir():
		return "", fmt.Errorf("%s is not a directory", host)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return "", err
	case err != nil && !seen.exists:
		if err := c.fs.Remove(rel); err != nil {
			return "", err
		}
		return fmt.Sprintf("removed: it led nowhere and %s does not exist", host), nil
	case err != nil:
		if err := newAdopter(c.fs, c.opts, c.user).ensureDirs(host); err != nil {
			return "", err
		}
	}
	if err := replaceLink(c.fs, c.user, cluster, name, c.want(hc)); err != nil {
		return "", err
	}
	return fmt.Sprintf("now links to %s (was %q)", c.want(hc), seen.text), nil
}

// replaceLink swaps <dir>/<name> for a link to want atomically: the new
// link is made under a temporary name in the same directory and renamed
// over the old entry, so readers see the old link or the new one, never
// nothing. A crash in between leaves a ".tmp-link-*" link, which the next
// check removes.
func replaceLink(r *os.Root, u *User, dir, name, want string) error {
	for range 4 {
		tmp := filepath.Join(dir, ".tmp-link-"+strconv.FormatUint(rand.Uint64(), 16))
		err := r.Symlink(want, tmp)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return err
		}
		giveAway(r, tmp, u)
		if err := r.Rename(tmp, filepath.Join(dir, name)); err != nil {
			_ = r.Remove(tmp)
			return err
		}
		return nil
	}
	return fmt.Errorf("no free temporary link name in %s", dir)
}

// removeTempLink removes a leftover temporary link, after making sure it
// still is one (a link holds no data).
func (c *checker) removeTempLink(rel string) (string, error) {
	fi, err := c.fs.Lstat(rel)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		return "", errChanged
	}
	if err := c.fs.Remove(rel); err != nil {
		return "", err
	}
	return "removed", nil
}
