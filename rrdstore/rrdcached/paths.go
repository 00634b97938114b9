package rrdcached

import (
	"fmt"
	"path/filepath"
	"strings"
)

// pathMapper turns the caller's file names into the names sent to the
// daemon (RRD-FORMAT §5.2). rrdcached resolves a relative name against its
// -b directory and takes an absolute one as is (with -B, only under -b);
// its cache is keyed by the resulting string, so one file must always be
// sent under one name.
type pathMapper struct {
	unix bool
	// base is Options.BaseDir made absolute and clean.
	base string
	// real is base with symbolic links resolved, used over a unix
	// socket: rrdcached refuses to start with a -b that goes through a
	// link ("Base directory (-b) resolved via file system links!"), so
	// the daemon only knows this spelling of the directory.
	real string
}

func newPathMapper(unix bool, baseDir string) (pathMapper, error) {
	m := pathMapper{unix: unix}
	if baseDir == "" {
		return m, nil
	}
	abs, err := filepath.Abs(baseDir)
	if err != nil {
		return m, fmt.Errorf("rrdcached: base directory %q: %w", baseDir, err)
	}
	m.base, m.real = abs, abs
	if unix {
		if r, err := filepath.EvalSymlinks(abs); err == nil {
			m.real = r
		}
	}
	return m, nil
}

// remote returns the name to send for file.
//
// Over a unix socket the daemon runs on this host, so the name is made
// absolute as librrd does (it sends realpath() of relative names): relative
// names are taken relative to BaseDir, or to the working directory when
// there is no BaseDir.
//
// Over TCP the daemon's file system is not ours, so names are sent relative
// to its -b: an absolute name must lie under BaseDir, which is stripped.
// Without a BaseDir an absolute name is sent unchanged, which is what gmetad's
// rrdcached_address mode does and works when both sides use the same path.
func (m pathMapper) remote(file string) (string, error) {
	if file == "" {
		return "", fmt.Errorf("%w: empty file name", ErrBadField)
	}
	p := filepath.Clean(file)
	if filepath.IsAbs(p) {
		rel, ok := under(m.base, p)
		switch {
		case ok:
			p = rel
		case m.unix || m.base == "":
			return p, nil
		default:
			return "", fmt.Errorf("%w: %s is not under %s", ErrOutsideBaseDir, p, m.base)
		}
	}
	if m.unix && m.base == "" {
		return filepath.Abs(p)
	}
	// rrdcached -B refuses "../" in names; say so before sending.
	if p == ".." || strings.HasPrefix(p, "../") {
		return "", fmt.Errorf("%w: %s leaves the base directory", ErrOutsideBaseDir, file)
	}
	if m.unix {
		return filepath.Join(m.real, p), nil
	}
	return p, nil
}

// under returns p relative to base when p lies strictly inside base.
func under(base, p string) (string, bool) {
	if base == "" {
		return "", false
	}
	rel, err := filepath.Rel(base, p)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, "../") {
		return "", false
	}
	return rel, true
}
