package statefile

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/grid"
)

// Version is the format version Save writes and Load accepts.
const Version = 1

var (
	// ErrCorrupt: the file is not a gzipped JSON state file (truncated,
	// damaged, or something else altogether).
	ErrCorrupt = errors.New("statefile: damaged state file")
	// ErrVersion: the file was written by a version of gmetad whose
	// format this one does not read.
	ErrVersion = errors.New("statefile: unsupported state file version")
)

// file is the document inside the gzip stream.
type file struct {
	Version int           `json:"version"`
	Grid    grid.GridDump `json:"grid"`
}

// Save writes d to path atomically: into a temporary file in the same
// directory, synced, then renamed over path, and the directory synced, so
// a crash or a full disk leaves either the old file or the new one, never
// a torn one.
func Save(path string, d grid.GridDump) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("statefile: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = write(f, d); err != nil {
		return fmt.Errorf("statefile: writing %s: %w", tmp, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("statefile: %w", err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("statefile: %w", err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("statefile: %w", err)
	}
	syncDir(dir)
	return nil
}

func write(w io.Writer, d grid.GridDump) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	zw := gzip.NewWriter(bw)
	if err := json.NewEncoder(zw).Encode(file{Version: Version, Grid: d}); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

// syncDir makes the rename durable. It is best effort: some file systems
// refuse to sync a directory, and the rename itself already happened.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// Load reads the state file at path. A missing file gives an error
// matching fs.ErrNotExist; a damaged one ErrCorrupt, a newer format
// ErrVersion. Callers log the error and start empty.
func Load(path string) (grid.GridDump, error) {
	f, err := os.Open(path)
	if err != nil {
		return grid.GridDump{}, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 64<<10))
	if err != nil {
		return grid.GridDump{}, fmt.Errorf("%w %s: %v", ErrCorrupt, path, err)
	}
	var doc file
	if err := json.NewDecoder(zr).Decode(&doc); err != nil {
		return grid.GridDump{}, fmt.Errorf("%w %s: %v", ErrCorrupt, path, err)
	}
	// Reading to the end checks the gzip trailer (CRC and length): a file
	// cut after the JSON is damaged too.
	if _, err := io.Copy(io.Discard, zr); err != nil {
		return grid.GridDump{}, fmt.Errorf("%w %s: %v", ErrCorrupt, path, err)
	}
	if doc.Version != Version {
		return grid.GridDump{}, fmt.Errorf("%w %d in %s (this gmetad reads %d)", ErrVersion, doc.Version, path, Version)
	}
	return doc.Grid, nil
}
