#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for the ntkit selftests (kselftest conventions):
#  - hosts are network namespaces named nt-<test>-<pid>-<host>, removed by
#    an EXIT trap however the test ends;
#  - results are KTAP lines, one per check; the script's exit status is
#    0 (all passed), 1 (a check failed) or 4 (skipped, with the reason).
#
# Tools come from PATH; ntctl from $NTCTL or PATH; test-only modules
# (selftests/modules) from $NTKIT_TEST_MODULES.

readonly KSFT_PASS=0
readonly KSFT_FAIL=1
readonly KSFT_SKIP=4

NT_TEST=$(basename "$0" .sh)
NT_PREFIX="nt-${NT_TEST}-$$"
NT_CLEANUP_CMDS=()
nt_checks=0
nt_failed=0

NT_LIBDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NTCTL=${NTCTL:-$(command -v ntctl || true)}

ktap_log() { echo "# $*"; }

# Where the time goes: a check that came 10 s or more after the one
# before says how long it took.
nt_last=$SECONDS
nt_took() {
	[ $((SECONDS - nt_last)) -lt 10 ] || ktap_log "($((SECONDS - nt_last)) s)"
	nt_last=$SECONDS
}

nt_ok() {
	nt_took
	nt_checks=$((nt_checks + 1))
	echo "ok $nt_checks - $*"
}

nt_fail() {
	nt_took
	nt_checks=$((nt_checks + 1))
	nt_failed=$((nt_failed + 1))
	echo "not ok $nt_checks - $*"
}

# Volumes: on the debug kernel (KASAN, lockdep and kmemleak under TCG run
# ten to thirty times slower) the selftests move less data and build
# fewer objects, so that make check fits its time; every check still runs
# and says the volume it used. NT_SCALE (percent) overrides.
if [ -z "${NT_SCALE:-}" ]; then
	case $(uname -r) in
	*-ntdebug*) NT_SCALE=12 ;;
	*) NT_SCALE=100 ;;
	esac
fi
# (on stderr: a test's child that sources lib.sh keeps its stdout clean)
[ "$NT_SCALE" = 100 ] || ktap_log "volumes at $NT_SCALE% on $(uname -r) (NT_SCALE)" >&2
# scaled N [MIN]: N at NT_SCALE percent, at least MIN (default 1)
scaled() {
	local n=$(($1 * NT_SCALE / 100))
	[ "$n" -ge "${2:-1}" ] || n=${2:-1}
	echo "$n"
}

# check DESCRIPTION CMD...: one KTAP line from CMD's exit status.
check() {
	local desc=$1
	shift
	if "$@" >/dev/null; then
		nt_ok "$desc"
	else
		nt_fail "$desc"
	fi
}

# check_fails DESCRIPTION CMD...: CMD must fail.
check_fails() {
	local desc=$1
	shift
	if "$@" >/dev/null 2>&1; then
		nt_fail "$desc"
	else
		nt_ok "$desc"
	fi
}

skip() {
	echo "# SKIP: $*"
	exit $KSFT_SKIP
}

require_root() {
	[ "$(id -u)" = 0 ] || skip "needs root"
}

require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "needs $c"
	done
}

require_ntctl() {
	[ -n "$NTCTL" ] && [ -x "$NTCTL" ] || skip "ntctl not found (set NTCTL or install it)"
}

# Remove every host this test created, and run registered cleanups.
nt_cleanup() {
	local ns i
	for ((i = ${#NT_CLEANUP_CMDS[@]} - 1; i >= 0; i--)); do
		eval "${NT_CLEANUP_CMDS[$i]}" >/dev/null 2>&1 || true
	done
	# By name: host() runs in $(...), so no list of ours would see it.
	for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }' |
		    grep "^$NT_PREFIX-"); do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	NT_CLEANUP_CMDS=()
}
trap nt_cleanup EXIT
trap 'exit 130' INT TERM

on_cleanup() { NT_CLEANUP_CMDS+=("$*"); }

# Tracing. NT_TRACE is tracefs; trace_event SYS/EVENT 1|0 enables or
# disables one event (fails if the kernel has no such event). It turns
# off command-name recording first, and puts it back when the test ends:
# that option hooks sched_switch, and patching that site, which every
# context switch runs with interrupts off, while the other CPU switches
# tasks hung TCG guests here (one vCPU stopped at the jump label in
# __schedule, the other waiting in text_poke_bp for it). Trace lines then
# show "<...>" for the task, which no test reads.
NT_TRACE=/sys/kernel/tracing
trace_event() {
	local opt=$NT_TRACE/options/record-cmd
	[ -d $NT_TRACE/events ] || mount -t tracefs nodev $NT_TRACE 2>/dev/null
	[ -d "$NT_TRACE/events/$1" ] || return 1
	if [ "$(cat $opt 2>/dev/null)" = 1 ]; then
		echo 0 > $opt || return 1
		on_cleanup "echo 1 > $opt"
	fi
	echo "$2" > "$NT_TRACE/events/$1/enable"
}

# fault_injection: make /proc/thread-self/fail-nth fail any slab
# allocation, those that may sleep too, quietly (a stack per fault floods
# the log); the knobs are put back when the test ends. Page allocations
# that may sleep are left alone: slab refills make their count differ
# from run to run, and the N-th allocation must be the same one each
# time; a kvmalloc still fails through the slab allocations it makes.
# Fails if the kernel has no fault injection.
fault_injection() {
	local fi=/sys/kernel/debug k old
	[ -e /proc/self/fail-nth ] || return 1
	[ -d $fi/failslab ] || mount -t debugfs none $fi 2>/dev/null
	[ -d $fi/failslab ] || return 1
	for k in failslab/ignore-gfp-wait=N failslab/verbose=0; do
		old=$(cat "$fi/${k%=*}") || return 1
		echo "${k#*=}" > "$fi/${k%=*}" || return 1
		on_cleanup "echo '$old' > $fi/${k%=*}"
	done
}

# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds; fail
# after SECONDS. A wait for a state, never a guess at how long it takes.
# CMD's arguments are expanded once, by the caller: to poll a value,
# pass a function or eval 'test "$(value)" -gt "$before"'.
wait_for() {
	local end=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.1
	done
}

# tenant_start: a tenant, as any container may be: a process of uid 65534
# in a new user and network namespace (unshare -Urn), TPID, killed when
# the test ends. Then tenant CMD... runs CMD as the tenant (its uid, its
# namespaces, its capabilities), and in_t CMD... as the host's root in the
# tenant's netns. Fails if no user namespace can be made.
tenant_start() {
	setpriv --reuid 65534 --regid 65534 --clear-groups -- \
		unshare -Urn sleep 100000 &
	TPID=$!
	on_cleanup "kill $TPID"
	wait_for 60 tenant_owns_ns
}
tenant_owns_ns() {
	[ "$(readlink /proc/$TPID/ns/user)" != "$(readlink /proc/self/ns/user)" ]
}
tenant() { nsenter -t "$TPID" -U -n -- "$@"; }
in_t() { nsenter -t "$TPID" -n -- "$@"; }

# host NAME: create a host and print its netns name.
host() {
	local ns="$NT_PREFIX-$1"
	ip netns add "$ns" || return 1
	ip -n "$ns" link set lo up
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0
	echo "$ns"
}

# link NS1 IF1 NS2 IF2: a veth pair between two hosts.
link() {
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" &&
		ip -n "$1" link set "$2" up && ip -n "$3" link set "$4" up
}

# addr NS IF ADDR/LEN...: add addresses (IPv6 without DAD).
addr() {
	local ns=$1 dev=$2 a
	shift 2
	for a in "$@"; do
		case "$a" in
		*:*) ip -n "$ns" addr add "$a" dev "$dev" nodad ;;
		*) ip -n "$ns" addr add "$a" dev "$dev" ;;
		esac || return 1
	done
}

# xfer NS_SERVER NS_CLIENT ADDR PORT BYTES: a TCP transfer of BYTES from
# the client to a server at ADDR:PORT; prints the bytes the server read.
xfer() {
	local srv=$1 cli=$2 dst=$3 port=$4 bytes=$5 out
	out=$(mktemp)
	ip netns exec "$srv" python3 "$NT_LIBDIR/helpers/xfer.py" serve "$dst" "$port" \
		> "$out" 2>/dev/null &
	local spid=$!
	ip netns exec "$cli" python3 "$NT_LIBDIR/helpers/xfer.py" send "$dst" "$port" \
		"$bytes" >/dev/null 2>&1
	wait $spid
	cat "$out"
	rm -f "$out"
}

# Ends the test: the plan line and the exit status.
nt_finish() {
	echo "1..$nt_checks"
	if [ $nt_checks = 0 ]; then
		echo "# no check ran"
		exit $KSFT_FAIL
	fi
	[ $nt_failed = 0 ] && exit $KSFT_PASS
	echo "# $nt_failed of $nt_checks checks failed"
	exit $KSFT_FAIL
}
