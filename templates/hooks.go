package templates

import _ "embed"

// The LPM hooks (DESIGN.md decision 6). gmond finds a move by itself at
// its next collection cycle; these make it immediate by sending SIGHUP.
// Both honour GMOND_PIDFILE and fall back to signalling processes named
// gmond, and both exit 0 whatever happens: a hook must never veto or delay
// a migration.
var (
	// DrmgrPmigHook is the Linux powerpc-utils drmgr hook, installed as
	// /etc/drmgr.d/pmig/ganglia-lpm-gmond; it acts in PHASE=post.
	//
	//go:embed hooks/drmgr-pmig-gmond
	DrmgrPmigHook string

	// AIXPmigHook is the method the AIX errnotify stanza runs after
	// CLIENT_PMIG_DONE, installed as /usr/local/libexec/ganglia-lpm/aix-pmig-gmond.
	//
	//go:embed hooks/aix-pmig-gmond
	AIXPmigHook string

	// ErrnotifyPmig is the ODM errnotify stanza (add with odmadd) that runs
	// AIXPmigHook when AIX logs CLIENT_PMIG_DONE (error id A5E6DB96).
	//
	//go:embed hooks/errnotify-pmig.add
	ErrnotifyPmig string
)
