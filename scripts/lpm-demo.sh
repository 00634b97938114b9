#!/usr/bin/env bash
# lpm-demo.sh: watch Live Partition Mobility in gmetad's web interface.
#
# Builds gmetad and gmond and runs them on this machine, on loopback only:
# gmetad with three managed systems (one UDP port each) and its web
# interface, and six simulated LPARs, each our gmond reading a fixture tree
# (--sysroot) in place of a Linux LPAR's /proc: the lparcfg of a shared
# LPAR, cpuinfo, the device tree and the files of the standard metrics. Each
# LPAR sends from its own 127.0.0.x address; a loop here advances the
# fixtures' counters every 5 seconds. After a while one LPAR is "moved":
# its lparcfg and device tree now name another managed system, and its
# gmond re-targets by itself. Later it moves again. Ctrl-C stops everything
# and removes the files. internal/lpmscenario runs the same story in tests.
#
# usage: scripts/lpm-demo.sh [-p BASE_PORT] [-m SECONDS] [-d DIR] [-k]
#   -p BASE  first of seven ports: BASE the default cluster, BASE+1..3 the
#            managed systems (UDP), BASE+4 the web interface, BASE+5 the
#            XML port, BASE+6 the interactive port (default 18600)
#   -m SECS  seconds of data before each move, 35 at least (default 120)
#   -d DIR   directory for binaries, configs, fixtures, RRDs and logs
#            (default: a new temporary directory)
#   -k       keep that directory when stopping
#
# It needs Go (to build) and a Linux kernel (any 127.0.0.x is local).
set -euo pipefail

base=18600
move_after=120
dir=""
keep=no
while getopts "p:m:d:kh" opt; do
	case $opt in
	p) base=$OPTARG ;;
	m) move_after=$OPTARG ;;
	d) dir=$OPTARG ;;
	k) keep=yes ;;
	h)
		sed -n '15,22s/^# \{0,1\}//p' "$0"
		exit 0
		;;
	*)
		sed -n '15,22s/^# \{0,1\}//p' "$0" >&2
		exit 2
		;;
	esac
done
case "$base$move_after" in
*[!0-9]*) echo "lpm-demo: -p and -m take numbers" >&2; exit 2 ;;
esac
move_after=$(( (move_after + 4) / 5 * 5 )) # the loop ticks every 5 s
# gmetad takes a second move of one LPAR within lpm_conflict_window (30 s
# here, 60 s by default) of the first as a conflict until the old port has
# been silent that long.
if [ "$move_after" -lt 35 ]; then
	echo "lpm-demo: -m must be 35 or more (gmetad's lpm_conflict_window is 30 s here)" >&2
	exit 2
fi

repo=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "$dir" ]; then
	dir=$(mktemp -d "${TMPDIR:-/tmp}/lpm-demo.XXXXXX")
else
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
fi

say() { printf 'lpm-demo: %s\n' "$*"; }

# The managed systems: name, machine type-model, serial (last 7 characters
# of the system id), cores in the shared pool.
sys_name=(P9-DC1-R01 P10-DC1-R05 P10-DC2-R35)
sys_type=(9009-42A 9105-42A 9105-22A)
sys_serial=(21ABCDE 78FEDCB 7804711)
sys_pool=(20 32 16)

# The LPARs: name, address, home system, entitlement in hundredths of a
# core, virtual processors, mean physc in thousandths of a core, memory GB.
lpar_name=(lnxdb01 lnxapp01 lnxapp02 lnxweb01 lnxweb02 lnxdb02)
lpar_ip=(127.0.0.61 127.0.0.62 127.0.0.63 127.0.0.64 127.0.0.65 127.0.0.66)
lpar_home=(0 0 1 1 2 2)
lpar_ent=(200 100 150 50 50 300)
lpar_vps=(4 2 3 2 2 4)
lpar_physc=(1400 800 1100 300 350 2200)
lpar_mem=(64 16 32 8 8 128)
mover=1 # lnxapp01: to system 1, then to system 2

web=$((base + 4))
xml=$((base + 5))
interactive=$((base + 6))
url="http://127.0.0.1:$web"

# ---- processes and clean-up ------------------------------------------------

pids=()
sleeper=""

# alive is true while the process runs (a zombie does not count).
alive() {
	local state
	state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
	[ -n "$state" ] && [ "$state" != Z ]
}

# cleanup stops every process this script started, by PID (SIGTERM, then
# SIGKILL after 10 s), and removes the directory unless -k.
cleanup() {
	trap - INT TERM EXIT
	local pid i
	if [ -n "$sleeper" ]; then kill "$sleeper" 2>/dev/null || true; fi
	for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do
		for ((i = 0; i < 50; i++)); do
			alive "$pid" || break
			sleep 0.2
		done
		if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
		wait "$pid" 2>/dev/null || true
	done
	if [ "$keep" = yes ]; then
		say "stopped; files kept in $dir"
	else
		rm -rf "$dir"
		say "stopped; removed $dir"
	fi
}
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
trap cleanup EXIT

# start runs a program in its own session (so that Ctrl-C reaches only this
# script, which then stops it with SIGTERM: a second signal would make
# gmetad skip its final RRD flush) with its output in a log file.
start() {
	local log=$1
	shift
	setsid "$@" >"$log" 2>&1 </dev/null &
	pids+=("$!")
}

# ---- configuration -----------------------------------------------------------

# mapping writes the lpm.toml both gmetad and the gmonds read.
mapping() {
	local i
	printf '# written by scripts/lpm-demo.sh\nlpar_dir = "LPARS"\n\n[default]\ncluster = "Unmapped"\nport = %d\n' "$base"
	for i in 0 1 2; do
		printf '\n[[managed_system]]\nname = "%s"\nmodel_serial = "%s_%s"\nport = %d\n' \
			"${sys_name[i]}" "${sys_type[i]}" "${sys_serial[i]}" $((base + 1 + i))
	done
}

gmetad_conf() {
	cat <<EOF
# written by scripts/lpm-demo.sh
gridname "LPM-Demo"
xml_port $xml
interactive_port $interactive
web_address "127.0.0.1:$web"
rrd_rootdir "$dir/gmetad/rrds"
state_file "$dir/gmetad/gmetad.state"
mapping "$dir/lpm.toml"
setuid off
trusted_hosts 127.0.0.1
rrd_flush_interval 1
lpm_conflict_window 30
check_report off
RRAs "RRA:AVERAGE:0.5:1:5856"
EOF
}

# gmond_conf names the LPAR itself (all six share this machine's host name)
# and binds its send channel to its address; the mapping sets the port.
gmond_conf() {
	local i=$1 m
	cat <<EOF
/* LPAR ${lpar_name[i]}, written by scripts/lpm-demo.sh */
globals {
  daemonize = no
  setuid = no
  mute = no
  deaf = yes
  send_metadata_interval = 60
  override_hostname = "${lpar_name[i]}"
  override_ip = "${lpar_ip[i]}"
}
cluster { name = "set by the mapping" }
udp_send_channel {
  host = 127.0.0.1
  port = 9
  bind = "${lpar_ip[i]}"
}
collection_group {
  collect_once = yes
  time_threshold = 20
  metric { name = "heartbeat" }
}
collection_group {
  collect_once = yes
  time_threshold = 60
EOF
	for m in cpu_num cpu_speed mem_total swap_total boottime machine_type os_name os_release location; do
		printf '  metric { name = "%s" }\n' "$m"
	done
	printf '}\ncollection_group {\n  collect_every = 5\n  time_threshold = 10\n'
	for m in cpu_user cpu_system cpu_idle cpu_nice cpu_aidle cpu_wio load_one load_five load_fifteen \
		proc_run proc_total mem_free mem_shared mem_buffers mem_cached swap_free \
		bytes_in bytes_out pkts_in pkts_out disk_free disk_total part_max_used \
		cpu_used cpu_ec cpu_pool_idle cpu_entitlement cpu_in_pool cpu_in_lpar cpu_in_machine cpu_pool_id weight; do
		printf '  metric { name = "%s" }\n' "$m"
	done
	printf '}\ncollection_group {\n  collect_every = 5\n  time_threshold = 60\n'
	for m in serial_num model_name lpar_name lpar_num capped splpar smt lpar fwversion oslevel cpu_type; do
		printf '  metric { name = "%s" }\n' "$m"
	done
	printf '}\n'
}

# ---- fixtures ----------------------------------------------------------------

timebase=512000000
declare -a sysof part purr tbr pool c_user c_nice c_sys c_idle c_wio rx tx rxp txp

# put writes stdin to a fixture file by rename, as the kernel's files
# change: a reader sees the old file or the new one.
put() {
	mkdir -p "$(dirname "$1")"
	cat >"$1.tmp"
	mv -f "$1.tmp" "$1"
}

root_of() { printf '%s/lpars/%s/sysroot' "$dir" "${lpar_name[$1]}"; }

# write_static writes what changes only with the frame.
write_static() {
	local i=$1 r s n k
	r=$(root_of "$i")
	s=${sysof[i]}
	n=$((lpar_vps[i] * 8))
	{
		for ((k = 0; k < n; k++)); do
			printf 'processor\t: %d\ncpu\t\t: POWER9 (architected), altivec supported\nclock\t\t: 3450.000000MHz\nrevision\t: 2.2 (pvr 004e 1202)\n\n' "$k"
		done
		printf 'timebase\t: %d\nplatform\t: pSeries\nmodel\t\t: IBM,%s\nmachine\t\t: CHRP IBM,%s\nMMU\t\t: Radix\n' \
			"$timebase" "${sys_type[s]}" "${sys_type[s]}"
	} | put "$r/proc/cpuinfo"
	printf 'IBM,%s\0' "${sys_type[s]}" | put "$r/proc/device-tree/model"
	printf 'IBM,02%s\0' "${sys_serial[s]}" | put "$r/proc/device-tree/system-id"
	printf '%s\0' "${lpar_name[i]}" | put "$r/proc/device-tree/ibm,partition-name"
	# ibm,partition-no: one big-endian 32-bit cell.
	printf '%b' "$(printf '\\x%02x' $((part[i] >> 24 & 255)) $((part[i] >> 16 & 255)) $((part[i] >> 8 & 255)) $((part[i] & 255)))" |
		put "$r/proc/device-tree/ibm,partition-no"
	printf 'FW950.30 (VL950_092)\0' | put "$r/proc/device-tree/openprom/ibm,fw-vernum_encoded"
	echo 5.14.0-427.13.1.el9_4.ppc64le | put "$r/proc/sys/kernel/osrelease"
	echo ppc64le | put "$r/proc/sys/kernel/arch"
	printf '/dev/mapper/rhel-root / xfs rw,relatime 0 0\nproc /proc proc rw 0 0\n' | put "$r/proc/mounts"
	printf 'NAME="Red Hat Enterprise Linux"\nVERSION_ID="9.4"\nPRETTY_NAME="Red Hat Enterprise Linux 9.4 (Plow)"\n' | put "$r/etc/os-release"
	echo "0-$((n - 1))" | put "$r/sys/devices/system/cpu/online"
	echo 1500 | put "$r/sys/class/net/eth0/mtu"
	echo 0x1003 | put "$r/sys/class/net/eth0/flags"
}

# tick advances LPAR i's counters by 5 seconds at a physc of its mean
# ± 15 % and writes its lparcfg and /proc files.
tick() {
	local i=$1 r s pm total busy n k mem free
	r=$(root_of "$i")
	s=${sysof[i]}
	pm=$((lpar_physc[i] * (850 + RANDOM % 300) / 1000)) # thousandths of a core
	tbr[i]=$((tbr[i] + 5 * timebase))
	purr[i]=$((purr[i] + pm * 5 * (timebase / 1000)))
	pool[i]=$((pool[i] + sys_pool[s] * 550 * 5 * (timebase / 1000)))
	total=$((lpar_vps[i] * 8 * 100 * 5)) # jiffies in 5 s
	busy=$((total * pm / (lpar_vps[i] * 1000)))
	c_user[i]=$((c_user[i] + busy * 78 / 100))
	c_nice[i]=$((c_nice[i] + busy * 2 / 100))
	c_sys[i]=$((c_sys[i] + busy * 17 / 100))
	c_wio[i]=$((c_wio[i] + busy * 3 / 100 + (total - busy) * 3 / 100))
	c_idle[i]=$((c_idle[i] + (total - busy) * 97 / 100))
	rx[i]=$((rx[i] + pm * 3000 * 5))
	tx[i]=$((tx[i] + pm * 1200 * 5))
	rxp[i]=$((rx[i] / 900))
	txp[i]=$((tx[i] / 700))
	sed -e "s/^serial_number=.*/serial_number=IBM,02${sys_serial[s]}/" \
		-e "s/^system_type=.*/system_type=IBM,${sys_type[s]}/" \
		-e "s/^partition_id=.*/partition_id=${part[i]}/" \
		-e "s/^partition_name=.*/partition_name=${lpar_name[i]}/" \
		-e "s/^partition_entitled_capacity=.*/partition_entitled_capacity=${lpar_ent[i]}/" \
		-e "s/^DesEntCap=.*/DesEntCap=${lpar_ent[i]}/" \
		-e "s/^partition_active_processors=.*/partition_active_processors=${lpar_vps[i]}/" \
		-e "s/^DesProcs=.*/DesProcs=${lpar_vps[i]}/" \
		-e "s/^pool_capacity=.*/pool_capacity=$((sys_pool[s] * 100))/" \
		-e "s/^pool_num_procs=.*/pool_num_procs=${sys_pool[s]}/" \
		-e "s/^pool_idle_time=.*/pool_idle_time=${pool[i]}/" \
		-e "s/^purr=.*/purr=${purr[i]}/" \
		-e "s/^tbr=.*/tbr=${tbr[i]}/" \
		"$repo/internal/lpmscenario/testdata/lparcfg" | put "$r/proc/ppc64/lparcfg"
	n=$((lpar_vps[i] * 8))
	{
		printf 'cpu  %d %d %d %d %d 0 0 0 0 0\n' "${c_user[i]}" "${c_nice[i]}" "${c_sys[i]}" "${c_idle[i]}" "${c_wio[i]}"
		for ((k = 0; k < n; k++)); do
			printf 'cpu%d %d %d %d %d %d 0 0 0 0 0\n' "$k" $((c_user[i] / n)) $((c_nice[i] / n)) \
				$((c_sys[i] / n)) $((c_idle[i] / n)) $((c_wio[i] / n))
		done
		printf 'intr 0\nctxt %d\nbtime %d\nprocesses %d\nprocs_running %d\nprocs_blocked 0\n' \
			$((tbr[i] / 100000)) $(($(date +%s) - 129600)) $((4000 + tbr[i] / 1000000000)) $((1 + 2 * pm / 1000))
	} | put "$r/proc/stat"
	printf '%d.%02d %d.%02d %d.%02d %d/%d %d\n' $((2 * pm / 1000)) $((2 * pm / 10 % 100)) \
		$((2 * lpar_physc[i] / 1000)) $((2 * lpar_physc[i] / 10 % 100)) \
		$((2 * lpar_physc[i] / 1000)) $((2 * lpar_physc[i] / 10 % 100)) $((1 + pm / 1000)) 312 4242 |
		put "$r/proc/loadavg"
	mem=$((lpar_mem[i] * 1048576))
	free=$((mem * (20 + RANDOM % 10) / 100))
	printf 'MemTotal: %d kB\nMemFree: %d kB\nMemAvailable: %d kB\nBuffers: %d kB\nCached: %d kB\nSwapCached: 0 kB\nSwapTotal: 4194240 kB\nSwapFree: 4100000 kB\nShmem: %d kB\nSReclaimable: %d kB\n' \
		"$mem" "$free" $((free + mem / 3)) $((mem / 100)) $((mem / 3)) $((mem / 100)) $((mem / 80)) | put "$r/proc/meminfo"
	printf 'Inter-|   Receive                                                |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n    lo: 1000 10 0 0 0 0 0 0 1000 10 0 0 0 0 0 0\n  eth0: %d %d 0 0 0 0 0 0 %d %d 0 0 0 0 0 0\n' \
		"${rx[i]}" "${rxp[i]}" "${tx[i]}" "${txp[i]}" | put "$r/proc/net/dev"
}

# init_lpar gives LPAR i counters of a partition up for a day and a half.
init_lpar() {
	local i=$1 up=129600
	sysof[i]=${lpar_home[i]}
	part[i]=$((11 + i))
	tbr[i]=$((up * timebase))
	purr[i]=$((up * timebase * lpar_physc[i] * 7 / 10000))
	pool[i]=$(((sysof[i] + 1) * 10000000000000000))
	c_user[i]=$((up * lpar_vps[i] * 8 * 30)) c_nice[i]=0 c_sys[i]=$((up * lpar_vps[i] * 8 * 8))
	c_idle[i]=$((up * lpar_vps[i] * 8 * 60)) c_wio[i]=$((up * lpar_vps[i] * 8))
	rx[i]=$((up * 2 * lpar_physc[i] * 1000)) tx[i]=$((up * lpar_physc[i] * 800))
	write_static "$i"
	tick "$i"
}

# move is LPM: LPAR i now runs on system s, with a new partition id and
# that frame's pool counter; PURR and the timebase go on.
move() {
	local i=$1 s=$2 from=${sysof[$1]}
	sysof[i]=$s
	part[i]=$((31 + s))
	pool[i]=$(((s + 1) * 10000000000000000))
	write_static "$i"
	tick "$i"
	say "$(date -u +%H:%M:%S) ${lpar_name[i]} moved from ${sys_name[from]} to ${sys_name[s]}: its lparcfg now names ${sys_type[s]}_${sys_serial[s]}."
	say "  its gmond re-targets within 5 s. Look at $url/moves (the timeline), $url/lpar/${lpar_name[i]} (graphs across the move, marked),"
	say "  $url/system/${sys_name[from]} and $url/system/${sys_name[s]} (stacked physc: it counts on each only while it was there)."
}

# ---- run ---------------------------------------------------------------------

say "building gmetad and gmond into $dir/bin"
(cd "$repo" && CGO_ENABLED=0 go build -trimpath -o "$dir/bin/" ./cmd/gmetad ./cmd/gmond)
mkdir -p "$dir/gmetad/rrds"
mapping | put "$dir/lpm.toml"
gmetad_conf | put "$dir/gmetad/gmetad.conf"

start "$dir/gmetad/gmetad.log" "$dir/bin/gmetad" -f -c "$dir/gmetad/gmetad.conf"
say "gmetad pid ${pids[0]}, log $dir/gmetad/gmetad.log"
for ((k = 0; k < 100; k++)); do
	if (: >"/dev/tcp/127.0.0.1/$web") 2>/dev/null; then break; fi
	if ! alive "${pids[0]}"; then
		say "gmetad exited; its log:" >&2
		cat "$dir/gmetad/gmetad.log" >&2
		exit 1
	fi
	sleep 0.2
done
if ! (: >"/dev/tcp/127.0.0.1/$web") 2>/dev/null; then
	say "gmetad does not answer on $url after 20 s; see $dir/gmetad/gmetad.log" >&2
	keep=yes
	exit 1
fi

for i in "${!lpar_name[@]}"; do
	init_lpar "$i"
	gmond_conf "$i" | put "$dir/lpars/${lpar_name[i]}/gmond.conf"
	start "$dir/lpars/${lpar_name[i]}/gmond.log" "$dir/bin/gmond" -f -c "$dir/lpars/${lpar_name[i]}/gmond.conf" \
		--mapping "$dir/lpm.toml" --sysroot "$(root_of "$i")"
	say "gmond ${lpar_name[i]} pid ${pids[${#pids[@]} - 1]} on ${sys_name[${lpar_home[i]}]}, from ${lpar_ip[i]}, sysroot $(root_of "$i")"
done

say "web interface: $url/"
say "  managed systems $url/ · LPM timeline $url/moves · the LPAR that will move $url/lpar/${lpar_name[mover]}"
say "  gmetad XML: nc 127.0.0.1 $xml; ganglia-web's port: $interactive; RRDs in $dir/gmetad/rrds (LPARS/<host>, links per system)"
say "${lpar_name[mover]} moves to ${sys_name[1]} in $move_after s, then to ${sys_name[2]} $move_after s later. Ctrl-C stops."

elapsed=0
while :; do
	sleep 5 &
	sleeper=$!
	wait "$sleeper"
	sleeper=""
	elapsed=$((elapsed + 5))
	for i in "${!lpar_name[@]}"; do tick "$i"; done
	if [ "$elapsed" -eq "$move_after" ]; then
		move "$mover" 1
	elif [ "$elapsed" -eq $((2 * move_after)) ]; then
		move "$mover" 2
		say "both moves done; the LPARs keep reporting. Ctrl-C stops."
	fi
	for pid in "${pids[@]}"; do
		if ! alive "$pid"; then
			say "process $pid exited; see the logs in $dir" >&2
			keep=yes
			exit 1
		fi
	done
done
