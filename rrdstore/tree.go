package rrdstore

import (
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// ErrTreeConflict is matched (errors.Is) when something that is not ours
// sits where the tree expects a directory or a host link: a symlink instead
// of a real directory, a regular file, or a host link pointing elsewhere.
// The tree never touches it; the nightly check reports and repairs it.
var ErrTreeConflict = errors.New("RRD tree conflict")

// TreeOptions configures OpenTree. Start from DefaultTreeOptions: the zero
// value of CaseSensitiveHostnames is not the stock default.
type TreeOptions struct {
	// LPARDir is the directory under the root that holds the one real
	// directory of each host ("LPARS", the mapping's lpar_dir).
	LPARDir string
	// CaseSensitiveHostnames is gmetad.conf's case_sensitive_hostnames
	// (stock default true). When false the host path component is
	// lower-cased as stock gmetad does; cluster and metric names never are.
	CaseSensitiveHostnames bool
	// DirMode is the mode of directories the tree creates (0755, minus
	// umask, as stock gmetad's my_mkdir).
	DirMode os.FileMode
	// MaxNameLen is the longest path component in bytes (255).
	MaxNameLen int
	// MergeFile combines src, an RRD of a stock host directory being
	// replaced by a link, into dst, the host's RRD of the same name under
	// LPARDir. It must be idempotent: a crash after it returns and before
	// src is removed makes the tree call it again with the same files.
	// The persister may be writing dst meanwhile, so it must lock files as
	// librrd does. When nil, such files stay in the old directory, renamed
	// to <cluster>/.<host>.premerge-<unix time> and logged.
	MergeFile func(dst, src string) error
	// Logger receives warnings about kept directories; nil discards them.
	Logger *slog.Logger
	// Now dates kept directories; nil means time.Now.
	Now func() time.Time
}

// DefaultTreeOptions returns the options matching stock gmetad, with
// Merge as MergeFile so that a stock host directory's history joins the
// host's files sample by sample.
func DefaultTreeOptions() TreeOptions {
	return TreeOptions{
		LPARDir:                "LPARS",
		CaseSensitiveHostnames: true,
		DirMode:                0o755,
		MaxNameLen:             treeDefaultMaxNameLen,
		MergeFile:              Merge,
	}
}

// Tree is the LPARS tree under an rrd_rootdir: one real directory per host
// under LPARDir, a relative symlink to it from every cluster the host has
// been in, and the summary directories. It knows paths, never Ganglia state,
// and is safe for concurrent use.
//
// Every file system operation goes through an os.Root opened on the
// resolved root. os.Root (Go 1.24+) resolves each component with openat and
// refuses any step outside the root, whether by "..", an absolute symlink or
// a symlink swapped in between our check and our use; an Lstat walk alone
// cannot close that race. os.Root still follows symlinks that stay inside
// the root, so the tree also Lstats each component and refuses a symlink
// where it expects a real directory: only the host links it manages may be
// links. The paths it returns are then used with plain os calls by the
// persister; they were checked when first returned, and a symlink planted
// later (which takes write access to the tree) is the nightly check's job.
type Tree struct {
	root  string // absolute, symlinks resolved: the jail
	given string // absolute form of the root as configured
	fs    *os.Root
	opts  TreeOptions
	cache sync.Map // treeKey -> string, positive results only
	seed  maphash.Seed
	locks [64]sync.Mutex // by host component: a host's first call, merge included, is serialised
}

// treeKey names a cached directory; kind tells host, cluster summary and
// grid summary entries apart.
type treeKey struct {
	kind    uint8
	cluster string
	host    string
}

const (
	treeKeyHost uint8 = iota
	treeKeyClusterSummary
	treeKeyGridSummary
)

// OpenTree opens the tree under root, which must exist and be a directory.
// Symlinks in root itself are resolved once, here; zero fields of opts take
// their DefaultTreeOptions value, except CaseSensitiveHostnames.
func OpenTree(root string, opts TreeOptions) (*Tree, error) {
	opts = opts.withDefaults()
	if err := ValidateName(NameKindCluster, opts.LPARDir, opts.MaxNameLen); err != nil {
		return nil, fmt.Errorf("LPAR directory: %w", err)
	}
	given, err := filepath.Abs(root)
	if err != nil {
		return nil, &Error{Path: root, Msg: "RRD root", Err: err}
	}
	resolved, err := filepath.EvalSymlinks(given)
	if err != nil {
		return nil, &Error{Path: given, Msg: "RRD root", Err: err}
	}
	if fi, err := os.Stat(resolved); err != nil || !fi.IsDir() {
		return nil, &Error{Path: resolved, Msg: "RRD root is not a directory", Err: err}
	}
	r, err := os.OpenRoot(resolved)
	if err != nil {
		return nil, &Error{Path: resolved, Msg: "RRD root", Err: err}
	}
	return &Tree{root: resolved, given: given, fs: r, opts: opts, seed: maphash.MakeSeed()}, nil
}

func (o TreeOptions) withDefaults() TreeOptions {
	d := DefaultTreeOptions()
	if o.LPARDir == "" {
		o.LPARDir = d.LPARDir
	}
	if o.DirMode == 0 {
		o.DirMode = d.DirMode
	}
	if o.MaxNameLen <= 0 {
		o.MaxNameLen = d.MaxNameLen
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Close releases the directory handle of the root.
func (t *Tree) Close() error { return t.fs.Close() }

// Root returns the resolved root directory every path of the tree is under.
func (t *Tree) Root() string { return t.root }

// HostDir returns <root>/<LPARDir>/<host>, the one directory of the host's
// RRDs, after making sure it is a real directory and <root>/<cluster>/<host>
// is the relative symlink ../<LPARDir>/<host> to it. Results are cached:
// after the first call for a (cluster, host) pair it does no system call
// until Forget.
//
// A real directory at <root>/<cluster>/<host>, as stock gmetad makes, is
// merged into the host's directory and replaced by the link (see
// mergeOld for the order of steps and why a crash loses nothing). Anything else at that place that is not a link to the
// host's directory is an ErrTreeConflict and is left alone.
func (t *Tree) HostDir(cluster, host string) (string, error) {
	key := treeKey{kind: treeKeyHost, cluster: cluster, host: host}
	if p, ok := t.cache.Load(key); ok {
		return p.(string), nil
	}
	if err := t.validateCluster(cluster); err != nil {
		return "", err
	}
	if err := ValidateName(NameKindHost, host, t.opts.MaxNameLen); err != nil {
		return "", err
	}
	hc := host
	if !t.opts.CaseSensitiveHostnames {
		hc = treeLowerASCII(host)
	}
	mu := &t.locks[maphash.String(t.seed, hc)%uint64(len(t.locks))]
	mu.Lock()
	defer mu.Unlock()
	if err := t.setupHost(cluster, hc); err != nil {
		return "", err
	}
	p := filepath.Join(t.root, t.opts.LPARDir, hc)
	t.cache.Store(key, p)
	return p, nil
}

// setupHost makes the host's directory, the cluster directory and the link.
func (t *Tree) setupHost(cluster, hc string) error {
	for _, dir := range []string{t.opts.LPARDir, filepath.Join(t.opts.LPARDir, hc), cluster} {
		if err := t.ensureDir(dir); err != nil {
			return err
		}
	}
	return t.ensureHostLink(cluster, hc)
}

// Forget drops the cached result of HostDir(cluster, host), so the next
// call checks (and if needed repairs) the file system again.
func (t *Tree) Forget(cluster, host string) {
	t.cache.Delete(treeKey{kind: treeKeyHost, cluster: cluster, host: host})
}

// ForgetAll drops every cached result, e.g. after the tree was repaired.
func (t *Tree) ForgetAll() { t.cache.Clear() }

// ClusterSummaryDir returns <root>/<cluster>/__SummaryInfo__, made a real
// directory if missing. Cached like HostDir.
func (t *Tree) ClusterSummaryDir(cluster string) (string, error) {
	key := treeKey{kind: treeKeyClusterSummary, cluster: cluster}
	if p, ok := t.cache.Load(key); ok {
		return p.(string), nil
	}
	if err := t.validateCluster(cluster); err != nil {
		return "", err
	}
	return t.ensureCached(key, cluster, filepath.Join(cluster, treeSummaryDir))
}

// GridSummaryDir returns <root>/__SummaryInfo__, the root summary's
// directory, made a real directory if missing. Cached like HostDir.
func (t *Tree) GridSummaryDir() (string, error) {
	key := treeKey{kind: treeKeyGridSummary}
	if p, ok := t.cache.Load(key); ok {
		return p.(string), nil
	}
	return t.ensureCached(key, treeSummaryDir)
}

// ensureCached makes each relative directory in turn and caches the last.
func (t *Tree) ensureCached(key treeKey, dirs ...string) (string, error) {
	for _, dir := range dirs {
		if err := t.ensureDir(dir); err != nil {
			return "", err
		}
	}
	p := filepath.Join(t.root, dirs[len(dirs)-1])
	t.cache.Store(key, p)
	return p, nil
}

// MetricPath returns the RRD file of metric in dir, a directory returned by
// HostDir or a summary method: <dir>/<metric>.rrd, the name used verbatim
// as stock gmetad does once it is known to be a single safe component.
func (t *Tree) MetricPath(dir, metric string) (string, error) {
	if err := ValidateName(NameKindMetric, metric, t.opts.MaxNameLen); err != nil {
		return "", err
	}
	return filepath.Join(dir, metric+treeRRDSuffix), nil
}

// validateCluster adds the tree's own reserved name to ValidateName: a
// cluster named like LPARDir would put host links among the host dirs.
func (t *Tree) validateCluster(cluster string) error {
	if err := ValidateName(NameKindCluster, cluster, t.opts.MaxNameLen); err != nil {
		return err
	}
	if cluster == t.opts.LPARDir {
		return &NameError{Kind: NameKindCluster, Name: treeQuoteName(cluster), Reason: NameReasonReserved}
	}
	return nil
}
