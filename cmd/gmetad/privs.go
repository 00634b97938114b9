package main

import (
	"fmt"
	"io/fs"
	"log/slog"
	"os/user"
	"strconv"
	"syscall"
)

// privileges is the user gmetad becomes after binding its ports
// (gmetad.conf setuid, setuid_username).
type privileges struct {
	user     string
	uid, gid int
	groups   []int
}

// planPrivileges looks the setuid user up before anything is bound, so a
// missing user stops gmetad at once, as stock does. nil: keep the current
// user (setuid off, or not root: the configuration warned about it).
func (a *app) planPrivileges() (*privileges, error) {
	if !a.cfg.Setuid || !a.env.root {
		return nil, nil
	}
	name := a.cfg.SetuidUsername
	u, err := user.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("setuid_username %q: %w (create the user, or write \"setuid off\")", name, err)
	}
	p := &privileges{user: name}
	if p.uid, err = strconv.Atoi(u.Uid); err != nil {
		return nil, fmt.Errorf("setuid_username %q: uid %q: %w", name, u.Uid, err)
	}
	if p.gid, err = strconv.Atoi(u.Gid); err != nil {
		return nil, fmt.Errorf("setuid_username %q: gid %q: %w", name, u.Gid, err)
	}
	p.groups = []int{p.gid}
	if ids, err := u.GroupIds(); err == nil {
		for _, s := range ids {
			if g, err := strconv.Atoi(s); err == nil && g != p.gid {
				p.groups = append(p.groups, g)
			}
		}
	}
	return p, nil
}

// drop becomes the user. Go applies set*id to every thread of the
// process (since Go 1.16), so no goroutine keeps root.
func (p *privileges) drop(log *slog.Logger) error {
	if p == nil {
		return nil
	}
	if err := syscall.Setgroups(p.groups); err != nil {
		return fmt.Errorf("setuid %s: setgroups: %w", p.user, err)
	}
	if err := syscall.Setgid(p.gid); err != nil {
		return fmt.Errorf("setuid %s: setgid: %w", p.user, err)
	}
	if err := syscall.Setuid(p.uid); err != nil {
		return fmt.Errorf("setuid %s: setuid: %w", p.user, err)
	}
	log.Info("running as "+p.user, "uid", p.uid, "gid", p.gid)
	return nil
}

// fileOwner returns the owner's uid of a file, where the OS tells it.
func fileOwner(fi fs.FileInfo) (int, bool) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int(st.Uid), true
	}
	return 0, false
}

// currentUser names the user gmetad runs as, for messages.
func currentUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "uid " + strconv.Itoa(syscall.Getuid())
}
