#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The three generic netlink families under a fuzzer driven by their own
# policies (tools/nt_genl_fuzz.py): random, truncated, repeated, oversize,
# too deeply nested and out-of-range attribute trees, to every operation,
# as requests and dumps, from three sockets, in a netns with live state
# (devices, peers, profiles, a ruleset) and traffic through it. Each
# family gets NT_FUZZ_SECONDS without faults (default 30 where the kernel
# has fault injection, the debug kernel, 10 elsewhere), then, where it
# has, half that with 50 requests in 1,000 failing one of their first 8
# (most) or 40 allocations. Seeded: NT_FUZZ_SEED, or a random
# seed, printed, which replays a failing run. The kernel must survive it
# all without a report (the VM runner fails the run on any, and on a
# leak), the state must still be readable and the traffic still flow.
source "$(dirname "$0")/lib.sh"
require_root
require_ntctl
require_cmd ip python3 modprobe ping
for m in tcp_nt nt_policy nt_tun; do modprobe $m || skip "cannot load $m"; done
FUZZ="python3 $NT_LIBDIR/tools/nt_genl_fuzz.py"
faults=0
fault_injection && faults=50
# The budget is for the debug kernel, which sees what a fault does (KASAN,
# kmemleak, lockdep); elsewhere a short pass.
SECS=${NT_FUZZ_SECONDS:-$([ $faults = 0 ] && echo 10 || echo 30)}
SEED=${NT_FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
ktap_log "seed $SEED (NT_FUZZ_SEED=$SEED replays this run)"

A=$(host a)
B=$(host b)
link "$A" ub "$B" ua
addr "$A" ub 192.168.1.1/24
addr "$B" ua 192.168.1.2/24
nt() { local ns=$1; shift; ip netns exec "$ns" "$NTCTL" "$@"; }
for h in "$A" "$B"; do
	ip -n "$h" link add nt0 type nttun
	ip -n "$h" link add nt1 type nttun
done
nt "$A" tunnel set nt0 listen-port 5000
nt "$B" tunnel set nt0 listen-port 5001
addr "$A" nt0 10.9.0.1/32
addr "$B" nt0 10.9.1.1/32
for h in "$A" "$B"; do
	ip -n "$h" link set nt0 up
	ip -n "$h" link set nt1 up
	ip -n "$h" route add 10.9.0.0/16 dev nt0
done
nt "$A" tunnel peer add nt0 id 1 endpoint 192.168.1.2:5001 allowed-ips 10.9.1.0/24
nt "$B" tunnel peer add nt0 id 1 endpoint 192.168.1.1:5000 allowed-ips 10.9.0.0/24
nt "$A" cc profile add wan cwnd-gain 250
nt "$A" cc route add 10.9.0.0/16 profile wan
nt "$A" policy add hook output proto icmp action count
ip netns exec "$A" sysctl -qw net.ipv4.tcp_congestion_control=nt
ip netns exec "$A" ping -q -i 0.05 10.9.1.1 >/dev/null 2>&1 &
on_cleanup "kill $!"
check "traffic flows before the fuzzing" ip netns exec "$A" ping -c 2 -W 2 10.9.1.1

i=0
for fam in nt_cc nt_policy nt_tun; do
	i=$((i + 1))
	out=$(ip netns exec "$A" $FUZZ $fam --seed $((SEED + i)) --count 100000 \
		--seconds "$SECS" 2>&1)
	rc=$?
	ktap_log "$(tail -n 1 <<<"$out")"
	check "$fam: $SECS s of fuzzing, every request answered (seed $((SEED + i)))" test $rc = 0
	if [ $faults != 0 ]; then
		out=$(ip netns exec "$A" $FUZZ $fam --seed $((SEED + 10 + i)) \
			--count 100000 --seconds $((SECS / 2)) --faults $faults 2>&1)
		rc=$?
		ktap_log "$(tail -n 1 <<<"$out")"
		check "$fam: $((SECS / 2)) s more, $faults in 1,000 under fault injection (seed $((SEED + 10 + i)))" \
			test $rc = 0
		# a fault that is never reached tests nothing
		hit=$(sed -n 's/.*(\([0-9]*\) reached the fault).*/\1/p' <<<"$out" | tail -n 1)
		check "$fam: some of those requests reached their fault (${hit:-none})" \
			test "${hit:-0}" -gt 0
	fi
done
# Whatever the fuzzer left configured, the state reads back and the
# namespace can be put back to carry traffic.
reads() { nt "$A" cc profile show && nt "$A" policy show && nt "$A" tunnel show; }
check "the state still reads back" reads
nt "$A" policy flush >/dev/null 2>&1
for hk in prerouting input forward output postrouting; do
	nt "$A" policy hook set $hk policy accept >/dev/null 2>&1
done
ip -n "$A" link del nt0
ip -n "$A" link add nt0 type nttun
nt "$A" tunnel set nt0 listen-port 5000
nt "$A" tunnel peer add nt0 id 1 endpoint 192.168.1.2:5001 allowed-ips 10.9.1.0/24
addr "$A" nt0 10.9.0.1/32
ip -n "$A" link set nt0 up
ip -n "$A" route replace 10.9.0.0/16 dev nt0
check "traffic flows again once the state is put back" \
	ip netns exec "$A" ping -c 2 -W 2 10.9.1.1

nt_finish
