package treecheck

import (
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"slices"
	"strconv"
)

// User is the account gmetad writes the tree as: stock gmetad's setuid
// user, or whoever runs ours.
type User struct {
	Name     string
	UID, GID int   // GID is the primary group, given to what a fix creates
	Groups   []int // every group the user is in, GID included
}

// LookupUser finds an account by name or numeric id in the system's user
// database (/etc/passwd and /etc/group without cgo).
func LookupUser(name string) (*User, error) {
	u, err := user.Lookup(name)
	if err != nil {
		if _, nerr := strconv.Atoi(name); nerr != nil {
			return nil, err
		}
		if u, err = user.LookupId(name); err != nil {
			return nil, err
		}
	}
	return fromOSUser(u)
}

func fromOSUser(u *user.User) (*User, error) {
	uid, err := strconv.Atoi(u.Uid)
	if err != nil {
		return nil, fmt.Errorf("user %s: uid %q: %w", u.Username, u.Uid, err)
	}
	gid, err := strconv.Atoi(u.Gid)
	if err != nil {
		return nil, fmt.Errorf("user %s: gid %q: %w", u.Username, u.Gid, err)
	}
	out := &User{Name: u.Username, UID: uid, GID: gid, Groups: []int{gid}}
	ids, _ := u.GroupIds() // without a group list the primary group still counts
	for _, s := range ids {
		if g, err := strconv.Atoi(s); err == nil && !slices.Contains(out.Groups, g) {
			out.Groups = append(out.Groups, g)
		}
	}
	return out, nil
}

// rootOwner is the default gmetad user: the owner of the root directory,
// which gmetad (or its package's postinst) created as that user.
func rootOwner(fi fs.FileInfo) *User {
	uid, gid, ok := ownerOf(fi)
	if !ok {
		return nil
	}
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil {
		if out, err := fromOSUser(u); err == nil {
			return out
		}
	}
	// An id without a passwd entry: its group is the directory's.
	return &User{Name: strconv.Itoa(uid), UID: uid, GID: gid, Groups: []int{gid}}
}

// label names the user for messages.
func (u *User) label() string {
	if u.Name == strconv.Itoa(u.UID) {
		return "uid " + u.Name
	}
	return fmt.Sprintf("%s (uid %d)", u.Name, u.UID)
}

// canWrite reports whether u may write fi: for a directory, create and
// remove entries (w and x), for a file read and write it (an RRD update
// reads the header first). Root may write anything, as the kernel lets it;
// ACLs are not looked at.
func (u *User) canWrite(fi fs.FileInfo) bool {
	uid, gid, ok := ownerOf(fi)
	if !ok || u.UID == 0 {
		return true
	}
	need := needBits(fi)
	perm := fi.Mode().Perm()
	switch {
	case uid == u.UID:
		perm >>= 6
	case slices.Contains(u.Groups, gid):
		perm >>= 3
	}
	return perm&need == need
}

// needBits are the bits of one rwx triple a writer needs.
func needBits(fi fs.FileInfo) fs.FileMode {
	if fi.IsDir() {
		return 0o3
	}
	return 0o6
}

// notWritable describes why u cannot write fi, for a finding.
func (u *User) notWritable(fi fs.FileInfo) string {
	uid, gid, _ := ownerOf(fi)
	what := "file"
	if fi.IsDir() {
		what = "directory"
	}
	if uid == u.UID {
		return fmt.Sprintf("the gmetad user %s owns this %s but its mode %04o does not let it write", u.label(), what, fi.Mode().Perm())
	}
	return fmt.Sprintf("the gmetad user %s cannot write this %s: owner uid %d, group %d, mode %04o", u.label(), what, uid, gid, fi.Mode().Perm())
}

// fixOwner makes rel writable by u: root gives it to u, then the owner's
// bits are completed. Anyone else can only chmod their own files.
func (c *checker) fixOwner(rel string) (string, error) {
	fi, err := c.fs.Lstat(rel)
	if err != nil {
		return "", err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return "", errChanged
	}
	if c.user.canWrite(fi) {
		return "already writable", nil
	}
	uid, _, _ := ownerOf(fi)
	done := ""
	if uid != c.user.UID {
		if !isRoot() {
			return "", fmt.Errorf("owned by uid %d, not the gmetad user; only root can change that", uid)
		}
		if err := c.fs.Lchown(rel, c.user.UID, -1); err != nil {
			return "", err
		}
		done = fmt.Sprintf("owner changed from uid %d to %s", uid, c.user.label())
	}
	// The owner gets everything a writer needs, and the read bit that
	// goes with it (gmetad lists nothing, but people and rrdtool do).
	mode := fi.Mode().Perm()
	if want := mode | (needBits(fi)|0o4)<<6; want != mode {
		if !isRoot() && os.Geteuid() != c.user.UID {
			return "", fmt.Errorf("mode %04o: only root or the owner can change it", mode)
		}
		if err := c.fs.Chmod(rel, want); err != nil {
			return "", err
		}
		done = join(done, fmt.Sprintf("mode %04o -> %04o", mode, want))
	}
	return done, nil
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + ", " + b
}

// giveAway hands what a fix created to the gmetad user when the fix runs
// as root, so that gmetad can write into it; otherwise the creator already
// is whoever runs the fix, and nothing can be done about it.
func giveAway(r *os.Root, rel string, u *User) {
	if u != nil && isRoot() && u.UID != 0 {
		_ = r.Lchown(rel, u.UID, u.GID)
	}
}
