package daemon

import (
	"fmt"
	"io/fs"
	"log/slog"
	"os/user"
	"strconv"
	"syscall"
)

// Privileges is the user a daemon becomes after binding its ports
// (gmetad.conf setuid_username, gmond.conf globals.user).
type Privileges struct {
	User     string
	UID, GID int
	groups   []int
}

// LookupUser looks the setuid user up before anything is bound, so a
// missing user stops the daemon at once, as stock does. key names the
// configuration option in errors.
func LookupUser(key, name string) (*Privileges, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w (create the user, or turn setuid off)", key, name, err)
	}
	p := &Privileges{User: name}
	if p.UID, err = strconv.Atoi(u.Uid); err != nil {
		return nil, fmt.Errorf("%s %q: uid %q: %w", key, name, u.Uid, err)
	}
	if p.GID, err = strconv.Atoi(u.Gid); err != nil {
		return nil, fmt.Errorf("%s %q: gid %q: %w", key, name, u.Gid, err)
	}
	p.groups = []int{p.GID}
	if ids, err := u.GroupIds(); err == nil {
		for _, s := range ids {
			if g, err := strconv.Atoi(s); err == nil && g != p.GID {
				p.groups = append(p.groups, g)
			}
		}
	}
	return p, nil
}

// Drop becomes the user; nil keeps the current one. Go applies set*id to
// every thread of the process (since Go 1.16), so no goroutine keeps root.
func (p *Privileges) Drop(log *slog.Logger) error {
	if p == nil {
		return nil
	}
	if err := syscall.Setgroups(p.groups); err != nil {
		return fmt.Errorf("setuid %s: setgroups: %w", p.User, err)
	}
	if err := syscall.Setgid(p.GID); err != nil {
		return fmt.Errorf("setuid %s: setgid: %w", p.User, err)
	}
	if err := syscall.Setuid(p.UID); err != nil {
		return fmt.Errorf("setuid %s: setuid: %w", p.User, err)
	}
	log.Info("running as "+p.User, "uid", p.UID, "gid", p.GID)
	return nil
}

// FileOwner returns the owner's uid of a file, where the OS tells it.
func FileOwner(fi fs.FileInfo) (int, bool) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int(st.Uid), true
	}
	return 0, false
}

// CurrentUser names the user the process runs as, for messages.
func CurrentUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "uid " + strconv.Itoa(syscall.Getuid())
}
