package templates

import _ "embed"

// Service files, installed by make install (README.md "Installing"). The
// paths inside them are the default PREFIX=/usr/local ones; the Makefile
// rewrites /usr/local/sbin/, /usr/local/bin/ and
// /usr/local/libexec/ganglia-lpm/ when installing with another PREFIX.
var (
	// GmondUnit is the systemd unit of the agent: gmond -f in the
	// foreground, Type=simple, as root (gmond becomes globals.user itself),
	// SIGHUP as reload.
	//
	//go:embed systemd/gmond.service
	GmondUnit string

	// GmetadUnit is the systemd unit of the server: gmetad -f, Type=simple,
	// as root (gmetad becomes setuid_username itself), SIGHUP re-reads the
	// mapping, and a stop timeout long enough for the final RRD flush.
	//
	//go:embed systemd/gmetad.service
	GmetadUnit string

	// CheckUnit is the oneshot service that runs ganglia-lpm check over
	// /var/lib/ganglia/rrds and leaves its JSON Lines report in
	// /var/lib/ganglia/lpm-check.json.
	//
	//go:embed systemd/ganglia-lpm-check.service
	CheckUnit string

	// CheckTimer starts CheckUnit every night at 03:15 plus up to 30
	// minutes.
	//
	//go:embed systemd/ganglia-lpm-check.timer
	CheckTimer string

	// CheckCron is the /etc/cron.d file that does CheckTimer's and
	// CheckUnit's job on servers without systemd.
	//
	//go:embed cron/ganglia-lpm-check
	CheckCron string

	// AIXRcGmond is the AIX /etc/rc.d/init.d/gmond script (start, stop,
	// status, restart, reload); it drives the SRC subsystem when one is
	// defined.
	//
	//go:embed aix/rc.gmond
	AIXRcGmond string

	// AIXMkssys defines gmond as the SRC subsystem gmond (group ganglia).
	//
	//go:embed aix/mkssys-gmond
	AIXMkssys string

	// AIXReadme says how the AIX files are installed.
	//
	//go:embed aix/README
	AIXReadme string

	// ExampleMapping is an /etc/ganglia/lpm.toml with the seed setup's three
	// managed systems, the default cluster and one host rule.
	//
	//go:embed examples/lpm.toml
	ExampleMapping string
)
