#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Dumps that span several messages: nt_cc's routes and profiles, nt_tun's
# devices and peers. A dump is complete and in order when nothing changes;
# a change made between its parts sets NLM_F_DUMP_INTR on the rest (what
# tells the reader to dump again); a route dump resumes after the last
# prefix it sent, so that deleting routes it already sent loses none of
# the others. nl_dump.py makes the change at a known point of the dump:
# after the kernel built the first part, before it builds the second.
source "$(dirname "$0")/lib.sh"
require_root
require_ntctl
require_cmd ip python3 modprobe jq

DUMP="python3 $NT_LIBDIR/helpers/nl_dump.py"
X=$(host x) || skip "cannot create network namespaces"
nx() { ip netns exec "$X" "$@"; }

# field NAME OUT: the "NAME value" line of a dump's output
field() { sed -n "s/^$1 //p" <<<"$2"; }
items() { tail -n +3 <<<"$1"; }

# --- nt_cc routes -----------------------------------------------------
modprobe tcp_nt || skip "cannot load tcp_nt"
N=$(scaled 10000 2000)
last=$((N - 1))
start=$SECONDS
nx $DUMP add-routes 198.18.0.0 $N default
ktap_log "$N routes added in $((SECONDS - start)) s"
start=$SECONDS
out=$(nx $DUMP dump cc-routes)
ktap_log "a dump of $N routes: $((SECONDS - start)) s, $(field msgs "$out") messages"
check "route dump: all $N routes" test "$(field msgs "$out")" = $N
check "... each once" test "$(items "$out" | sort -u | wc -l)" = $N
check "... in address order, first and last as added" \
	test "$(items "$out" | head -1) $(items "$out" | tail -1)" = \
	"198.18.0.0/32 198.18.$((last / 256)).$((last % 256))/32"
check "... and not flagged NLM_F_DUMP_INTR when nothing changed" \
	test "$(field intr "$out")" = 0

# ntctl's socket is connected to the kernel: a reply forged by another
# process (an error answering the dump ntctl reads, sent after its first
# part) is refused, and ntctl prints the whole dump. (Before: "Error:
# Host is down.")
HOOK=$NT_LIBDIR/tools/nt_recvhook.so
hooked() { # WHEN=N CMD ARGS...: ntctl ARGS, CMD run before its N-th read
	nx env LD_PRELOAD="$HOOK" NT_RECV_HOOK_$1 NT_RECV_HOOK="$2" \
		"$NTCTL" "${@:3}"
}
out=$(hooked DUMP_AT=1 "$DUMP forge-error \$NT_NL_PORTID \$NT_NL_SEQ" cc route show 2>&1)
rc=$?
ktap_log "forged reply: exit $rc, $(grep -v '^198\.18\.' <<<"$out" | head -3 | tr '\n' ' ')"
check "ntctl: a reply forged by another process is refused (ECONNREFUSED)" \
	grep -qx "forged: ECONNREFUSED" <<<"$out"
check "... and ntctl prints all $N routes (exit $rc)" \
	test "$rc $(grep -c '^198\.18\.' <<<"$out")" = "0 $N"
# A dump flagged NLM_F_DUMP_INTR is not printed as if it were whole: ntctl
# says so and fails (exit 2, the kernel's answer), so that a script runs
# it again.
err=$(hooked DUMP_AT=1 "$NTCTL cc route add 203.0.113.0/24 profile default" \
	cc route show 2>&1 >/dev/null)
rc=$?
ktap_log "interrupted route show: exit $rc: $err"
check "ntctl: a route dump interrupted by a change fails (exit 2) and says so" \
	test "$rc $(grep -c 'dump was interrupted' <<<"$err")" = "2 1"
out=$(nx "$NTCTL" -j cc route show)
rc=$?
check "... and the same dump, run again, is whole (exit $rc)" \
	test "$rc $(jq length <<<"$out")" = "0 $((N + 1))"
nx "$NTCTL" cc route del 203.0.113.0/24

out=$(nx $DUMP dump cc-routes --then-sh "$NTCTL cc route add 203.0.113.0/24 profile default")
ktap_log "route added mid-dump: $(head -2 <<<"$out" | tr '\n' ' ')"
check "a route added during a route dump sets NLM_F_DUMP_INTR" \
	test "$(field intr "$out")" -ge 1

# the first part holds the first 50 routes: delete them meanwhile
out=$(nx $DUMP dump cc-routes --then-del-routes 198.18.0.0 50)
stayed=$(items "$out" | grep -c '^198\.18\.')
ktap_log "50 routes deleted mid-dump: $(head -2 <<<"$out" | tr '\n' ' '), $stayed of 198.18/15"
check "routes deleted during a route dump set NLM_F_DUMP_INTR" \
	test "$(field intr "$out")" -ge 1
# 198.18.0.0..49 may or may not be there (sent before the delete), each
# of the $((N - 50)) others must be, once
has_rest() {
	items "$out" | grep '^198\.18\.' | sort -u |
		grep -vxE '198\.18\.0\.([0-9]|[1-4][0-9])/32' | wc -l
}
check "... and every route that stayed is in it: the dump resumes after the last prefix sent" \
	test "$(has_rest)" = $((N - 50))
nx $DUMP del-routes 198.18.0.50 $((N - 50))
nx "$NTCTL" cc route del 203.0.113.0/24

# --- nt_cc profiles ---------------------------------------------------
b=$(mktemp)
on_cleanup rm -f "$b"
for i in $(seq 1 40); do
	echo "cc profile add p$i"
done > "$b"
nx "$NTCTL" -b "$b"
# ntctl monitor prints what the kernel multicasts, not what another
# process of the namespace sends to the group (its root may).
ev=$(mktemp)
on_cleanup rm -f "$ev"
nx "$NTCTL" monitor cc > "$ev" &
mpid=$!
on_cleanup kill $mpid
msync() { nx "$NTCTL" cc profile set p1 cwnd-gain 210 && grep -q . "$ev"; }
wait_for 10 msync
forged=$(nx $DUMP forge-event forged0)
nx "$NTCTL" cc profile set p2 cwnd-gain 220
wait_for 10 grep -q "profile p2 " "$ev"
kill $mpid
ktap_log "monitor: $forged; $(tr '\n' '|' < "$ev" | cut -c1-300)"
if [ "$forged" = "forged: sent" ]; then
	check "ntctl monitor: an event another process multicast is not printed" \
		test "$(grep -c forged0 "$ev")" = 0
else
	nt_ok "ntctl monitor: an event another process multicast is not printed # SKIP $forged"
fi
check "... the kernel's are" grep -q "profile p2 " "$ev"

out=$(nx $DUMP dump cc-profiles)
check "profile dump: default and 40 more, not flagged" \
	test "$(field msgs "$out") $(field intr "$out")" = "41 0"
out=$(nx $DUMP dump cc-profiles --then-sh "$NTCTL cc profile set p40 cwnd-gain 300")
ktap_log "profile set mid-dump: $(head -2 <<<"$out" | tr '\n' ' ')"
check "a profile set during a profile dump sets NLM_F_DUMP_INTR" \
	test "$(field intr "$out")" -ge 1

# --- nt_tun devices and peers -----------------------------------------
if ! nx ip link add ntd0 type nttun 2>/dev/null; then
	ktap_log "cannot create nttun devices: nt_tun dumps not tested"
	nt_finish
fi
for i in $(seq 1 23); do
	echo "link add ntd$i type nttun"
done > "$b"
nx ip -b "$b"
out=$(nx $DUMP dump tun-devs)
check "device dump: 24 devices, not flagged" \
	test "$(field msgs "$out") $(field intr "$out")" = "24 0"
out=$(nx $DUMP dump tun-devs --then-sh "ip link add ntlate type nttun")
ktap_log "device added mid-dump: $(head -2 <<<"$out" | tr '\n' ' ')"
check "a device added during a device dump sets NLM_F_DUMP_INTR" \
	test "$(field intr "$out")" -ge 1

for i in $(seq 1 60); do
	echo "tunnel peer add ntd0 id $i endpoint 192.0.2.$i:5000 allowed-ips 10.77.$i.0/24"
done > "$b"
nx "$NTCTL" -b "$b"
out=$(nx $DUMP dump tun-peers --dev ntd0)
check "peer dump: 60 peers, not flagged" \
	test "$(field msgs "$out") $(field intr "$out")" = "60 0"
out=$(nx $DUMP dump tun-peers --dev ntd0 --then-sh "$NTCTL tunnel peer del ntd0 id 60")
ktap_log "peer deleted mid-dump: $(head -2 <<<"$out" | tr '\n' ' ')"
check "a peer deleted during a peer dump sets NLM_F_DUMP_INTR" \
	test "$(field intr "$out")" -ge 1
out=$(nx $DUMP dump tun-peers --dev ntd0 --then-sh "$NTCTL tunnel peer set ntd0 id 59 allowed-ips 10.78.0.0/24")
check "a peer changed during a peer dump sets NLM_F_DUMP_INTR" \
	test "$(field intr "$out")" -ge 1

nt_finish
