package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/persist"
	"github.com/ganglia-lpm/ganglia-lpm/gmetad/statefile"
	"github.com/ganglia-lpm/ganglia-lpm/internal/daemon"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore/rrdcached"
)

// rrdcachedDialTimeout bounds the first connection to rrdcached.
const rrdcachedDialTimeout = 10 * time.Second

// prepareRRDRoot makes sure rrd_rootdir exists (creating it if needed)
// and, when gmetad will become setuid_username, belongs to that user:
// stock gmetad exits when it does not ("Please make sure that %s is owned
// by %s"), and so does this one, saying how to fix it.
func (a *app) prepareRRDRoot(priv *daemon.Privileges) error {
	if !a.cfg.WriteRRDs {
		return nil
	}
	root := a.cfg.RRDRootDir
	fi, err := os.Stat(root)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(root, 0o755); err != nil {
			return fmt.Errorf("rrd_rootdir %s does not exist and cannot be created: %w", root, err)
		}
		a.log.Info("created rrd_rootdir", "rrd_rootdir", root)
		if priv != nil {
			if err := os.Chown(root, priv.UID, priv.GID); err != nil {
				return fmt.Errorf("rrd_rootdir %s: giving it to %s: %w", root, priv.User, err)
			}
		}
		return nil
	case err != nil:
		return fmt.Errorf("rrd_rootdir %s cannot be used: %w", root, err)
	case !fi.IsDir():
		return fmt.Errorf("rrd_rootdir %s is not a directory", root)
	}
	if priv != nil {
		if uid, ok := daemon.FileOwner(fi); ok && uid != priv.UID {
			return fmt.Errorf("rrd_rootdir %s is owned by uid %d, not by setuid_username %q (uid %d) that gmetad runs as: "+
				"run chown -R %s %s, or write \"setuid off\" in the configuration", root, uid, priv.User, priv.UID, priv.User, root)
		}
	}
	return nil
}

// checkWritable tries to create a file in dir.
func checkWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".gmetad-write-test-*")
	if err != nil {
		return err
	}
	f.Close()
	return os.Remove(f.Name())
}

// openPersister opens the RRD tree and writer, as the user gmetad now
// runs as, so every file it creates is that user's.
func (a *app) openPersister() error {
	if !a.cfg.WriteRRDs {
		a.log.Info("write_rrds off: no RRD files are written")
		return nil
	}
	root := a.cfg.RRDRootDir
	if err := checkWritable(root); err != nil {
		return fmt.Errorf("rrd_rootdir %s is not writable by %s: %w", root, daemon.CurrentUser(), err)
	}
	topts := rrdstore.DefaultTreeOptions()
	topts.LPARDir = lparDir(a.mapping)
	topts.CaseSensitiveHostnames = a.cfg.CaseSensitiveHostnames
	topts.Logger = a.log
	tree, err := rrdstore.OpenTree(root, topts)
	if err != nil {
		return fmt.Errorf("rrd_rootdir: %w", err)
	}
	a.tree = tree
	w, err := a.openWriter()
	if err != nil {
		return err
	}
	a.persister, err = persist.New(persist.Options{Tree: tree, Writer: w, Step: persist.DefaultStep,
		StepOf: a.stepOf, RRAs: a.s.rras, Unsummarized: a.cfg.UnsummarizedMetrics, Logger: a.log, Now: a.env.now})
	if err != nil {
		w.Close(context.Background())
		return fmt.Errorf("RRD persister: %w", err)
	}
	a.writer = w
	return nil
}

// openWriter is rrdcached when rrdcached_address or RRDCACHED_ADDRESS
// names one (as stock gmetad), else our own store writing the files.
func (a *app) openWriter() (persist.Writer, error) {
	addr := a.cfg.RRDCachedAddress
	if addr == "" {
		addr = a.env.getenv(rrdcached.EnvAddress)
	}
	if addr == "" {
		st, err := rrdstore.OpenStore(rrdstore.StoreOptions{FlushInterval: a.cfg.RRDFlushInterval,
			OverflowFlushInterval: a.cfg.RRDOverflowFlushInterval, MaxOpen: a.cfg.RRDMaxOpen, Logger: a.log})
		if err != nil {
			return nil, fmt.Errorf("RRD store: %w", err)
		}
		a.store = st
		return st, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), rrdcachedDialTimeout)
	defer cancel()
	st, err := rrdcached.OpenStore(ctx, addr, rrdcached.StoreOptions{BaseDir: a.cfg.RRDRootDir, Logger: a.log})
	if err != nil {
		return nil, fmt.Errorf("rrdcached at %s: %w", addr, err)
	}
	a.rrdcached = true
	a.log.Info("RRD updates go to rrdcached", "address", addr)
	return st, nil
}

// flushRRDs is the last RRD step at shutdown: the final snapshot, then
// every queued update written.
func (a *app) flushRRDs() {
	if a.persister == nil {
		return
	}
	now := a.env.now()
	a.persister.Persist(a.grid.Snapshot(now), now)
	ctx, cancel := context.WithTimeout(context.Background(), flushTimeout)
	defer cancel()
	if err := a.persister.Close(ctx); err != nil {
		a.log.Error("RRD flush at shutdown incomplete", "err", err)
	}
	st := a.persister.Stats()
	a.log.Info("RRDs flushed", "steps", st.Steps, "files_created", st.FilesCreated, "updates", st.Updates)
	a.tree.Close()
}

// loadState imports the state file, if any: a restarted gmetad shows its
// hosts with their metadata at once. A missing or damaged file is logged
// and gmetad starts empty.
func (a *app) loadState() {
	path := a.cfg.StateFile
	d, err := statefile.Load(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		a.log.Info("no state file yet: starting empty", "state_file", path)
	case err != nil:
		a.log.Warn("state file not loaded: starting empty", "state_file", path, "err", err)
	default:
		n := a.grid.Import(d, a.env.now())
		a.log.Info("state loaded", "state_file", path, "hosts", n, "moves", len(d.Moves))
	}
}

// saveState writes the state file.
func (a *app) saveState() {
	if err := statefile.Save(a.cfg.StateFile, a.grid.Export()); err != nil {
		a.throttle.Log(context.Background(), "state", "state file not saved", "state_file", a.cfg.StateFile, "err", err)
	}
}

// checkStateDir warns at start when the state file cannot be written,
// rather than once a minute later.
func (a *app) checkStateDir() {
	dir := filepath.Dir(a.cfg.StateFile)
	err := os.MkdirAll(dir, 0o755)
	if err == nil {
		err = checkWritable(dir)
	}
	if err != nil {
		a.log.Warn("the state file's directory is not writable: the state will not survive a restart "+
			"(set state_file in gmetad.conf)", "state_file", a.cfg.StateFile, "user", daemon.CurrentUser(), "err", err)
	}
}
