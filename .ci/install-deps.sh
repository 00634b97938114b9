#!/usr/bin/env bash
# Installs the Debian packages the test suite runs against (stock Ganglia 3.7.2
# and rrdtool are the reference peers) when any is missing. Package scripts
# may start the services they ship; those new processes are stopped by PID,
# never by name, so nothing else on the machine is touched.
set -euo pipefail

packages=(ganglia-monitor gmetad rrdtool rrdcached librrd-dev netcat-openbsd chromium ganglia-webfrontend php-cli)
daemons='^(gmond|gmetad|rrdcached|apache2|htcacheclean)$' # ganglia-webfrontend pulls in apache2

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
	sudo="sudo"
fi

# PIDs of the daemons running before the install: these are left alone.
daemon_pids() {
	for d in /proc/[0-9]*; do
		comm=$(cat "$d/comm" 2>/dev/null) || continue
		if [[ $comm =~ $daemons ]]; then echo "${d#/proc/}"; fi
	done | sort
}
before=$(daemon_pids)

echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"

after=$(daemon_pids)
started=$(comm -13 <(echo "$before") <(echo "$after") | grep -v '^$' || true)
for pid in $started; do
	echo "install-deps: stopping $(cat "/proc/$pid/comm" 2>/dev/null) started by its package (pid $pid)"
	$sudo kill "$pid" 2>/dev/null || true
done
