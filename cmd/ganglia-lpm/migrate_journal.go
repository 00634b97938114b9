package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// journalName is the record, in the root, of the host directories a
// migration is converting. AdoptHostDir removes a host directory before it
// makes the link in its place; a run killed between the two leaves
// LPARDir/<host> with nothing naming the managed system it came from, and
// the next run reads that from here. It is removed when the migration is
// complete.
const journalName = ".ganglia-lpm-migrate"

const journalHeader = "# ganglia-lpm migrate: host directories being moved into the LPARS layout.\n" +
	"# Removed when the migration is complete; run ganglia-lpm migrate again to finish it.\n"

// mergeTemp matches the temporary file rrdstore.Merge writes beside the
// file it replaces (".<metric>.rrd.merge-<digits>"). A kill during a merge
// leaves it behind; it never holds the only copy of anything, because the
// merged file's source is removed only after the rename.
var mergeTemp = regexp.MustCompile(`^\..+\.merge-[0-9]+$`)

func isMergeTemp(name string) bool { return mergeTemp.MatchString(name) }

// readJournal adds to the plan the links an interrupted run did not make:
// entries it recorded that are missing now while LPARDir has the host.
func (p *migrationPlan) readJournal(named map[string]bool) error {
	if !p.journal {
		return nil
	}
	b, err := os.ReadFile(filepath.Join(p.root, journalName))
	if err != nil {
		return fmt.Errorf("the record of an earlier run: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		system, name, ok := strings.Cut(line, "/")
		if !ok || strings.HasPrefix(line, "#") ||
			rrdstore.ValidateName(rrdstore.NameKindCluster, system, p.opts.MaxNameLen) != nil ||
			rrdstore.ValidateName(rrdstore.NameKindHost, name, p.opts.MaxNameLen) != nil {
			continue
		}
		e, hc := hostEntry{system, name}, p.canonical(name)
		if p.entryMissing(e) && p.entryMissing(hostEntry{system, hc}) && p.lparHas(hc) &&
			!containsEntry(p.relinks, e) {
			p.relinks = append(p.relinks, e)
			named[hc] = true
			p.host(hc).inDir = true
		}
	}
	return sc.Err()
}

func containsEntry(es []hostEntry, e hostEntry) bool {
	for _, x := range es {
		if x == e {
			return true
		}
	}
	return false
}

// writeJournal records every host directory and link of the plan before
// anything changes: written to a temporary file, synced and renamed, so
// that the record is whole or absent after a crash.
func (p *migrationPlan) writeJournal() error {
	var b strings.Builder
	b.WriteString(journalHeader)
	for _, d := range p.adoptions() {
		b.WriteString(d.rel() + "\n")
	}
	for _, e := range p.relinks {
		b.WriteString(e.rel() + "\n")
	}
	path := filepath.Join(p.root, journalName)
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(b.String())
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("recording the plan in %s: %w", path, err)
	}
	return syncDir(p.root)
}

// removeJournal drops the record once nothing is left to do.
func (p *migrationPlan) removeJournal() error {
	path := filepath.Join(p.root, journalName)
	_ = os.Remove(path + ".tmp") // a write a kill interrupted; the record itself is whole or absent
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// syncDir makes a rename in dir durable before the moves it protects.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}
