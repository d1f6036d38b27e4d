#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Valid operations in random order, all at once, under TCP traffic that
# runs through all three modules: flows with tcp_nt (an ECN profile, on
# a link that loses and CE-marks) through nttun (IPv4 in IPv4, IPv6 in
# IPv6, GSO and GRO) and through nt_policy's hooks (count, mark and
# meter rules that match them). Meanwhile five writers and a reader, each
# seeded:
#  - two policy writers: commits (one in three refused by the kernel at
#    its last rule, a duplicate id, so that ntctl aborts it), adds,
#    deletes, flushes, a hook's priority changed, a transaction left open
#    by a socket that closes; their BEGIN/ADD/COMMIT interleave;
#  - peers added, changed and deleted with overlapping allowed-ips (a
#    prefix moves from peer to peer);
#  - cc profiles added, changed and deleted, and the route of the live
#    flows' prefix moved between them;
#  - nttun devices created, given peers, moved to another netns, deleted;
#  - dumps of every object, interrupted or not.
# Every answer is a success or one of the refusals that concurrency
# allows (busy, absent, in use, already there, a dump interrupted); no
# flow loses data (a connection may break while its peer is gone; some
# must complete); afterwards each dump agrees with the counts, the flows
# run whole on the state put back, a namespace with hooks is deleted and
# nt_policy unloaded under a ping flood, and the VM runner fails the run
# on any kernel report or leak. NT_CHURN_SECONDS (default 40) and
# NT_CHURN_SEED replay a run.
source "$(dirname "$0")/lib.sh"
require_root
require_ntctl
require_cmd ip jq python3 modprobe tc
for m in tcp_nt nt_policy nt_tun; do modprobe $m || skip "cannot load $m"; done
SECS=${NT_CHURN_SECONDS:-40}
SEED=${NT_CHURN_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
ktap_log "seed $SEED (NT_CHURN_SEED=$SEED replays the churners' choices)"
FLOW="python3 $NT_LIBDIR/helpers/churn_flow.py"
nt() { local ns=$1; shift; ip netns exec "$ns" "$NTCTL" "$@"; }

# A talks to B over IPv4 and to C over IPv6; B2 takes moved devices.
A=$(host a)
B=$(host b)
C=$(host c)
B2=$(host b2)
link "$A" ub "$B" ua
link "$A" uc "$C" ua
addr "$A" ub 192.168.1.1/24
addr "$B" ua 192.168.1.2/24
addr "$A" uc fd02::1/64
addr "$C" ua fd02::2/64
for h in "$A" "$B" "$C"; do ip -n "$h" link add nt0 type nttun; done
nt "$A" tunnel set nt0 listen-port 5000
nt "$B" tunnel set nt0 listen-port 5001
nt "$C" tunnel set nt0 listen-port 5002
addr "$A" nt0 10.9.0.1/32 fd09::1/128
addr "$B" nt0 10.9.1.1/32
addr "$C" nt0 fd09:2::1/128
for h in "$A" "$B" "$C"; do
	ip -n "$h" link set nt0 up
	ip -n "$h" route add 10.9.0.0/16 dev nt0
	ip -n "$h" -6 route add fd09::/16 dev nt0
done
nt "$A" tunnel peer add nt0 id 1 endpoint 192.168.1.2:5001 allowed-ips 10.9.1.0/24
nt "$A" tunnel peer add nt0 id 2 endpoint "[fd02::2]:5002" allowed-ips fd09:2::/64
nt "$B" tunnel peer add nt0 id 1 endpoint 192.168.1.1:5000 allowed-ips 10.9.0.0/24
nt "$C" tunnel peer add nt0 id 1 endpoint "[fd02::1]:5000" allowed-ips fd09::/64
# loss and CE marks on A's side of both links
for d in ub uc; do tc -n "$A" qdisc add dev $d root netem loss 1% ecn; done
ip netns exec "$A" sysctl -qw net.ipv4.tcp_ecn=1
nt "$A" cc profile add dc ecn dctcp
nt "$A" cc route add 10.9.1.0/24 profile dc
# the policy rules the flows meet at both ends (meters and police far
# above what the flows send: they count, never drop)
for h in "$A" "$B" "$C"; do
	nt "$h" policy add id 1 hook input proto tcp action count
	nt "$h" policy add id 2 hook output proto tcp action mark 7
	nt "$h" policy add id 3 hook input proto tcp action meter by src/32 1000000pps burst 100000
	nt "$h" policy add id 4 hook output proto tcp action police 10gbit burst 10000000
done

stop=$(mktemp)
rm -f "$stop"
work=$(mktemp -d)
on_cleanup "touch $stop $stop.sink; rm -rf $work"
ip netns exec "$B" $FLOW sink 10.9.1.1 7001 "$stop.sink" &
ip netns exec "$C" $FLOW sink fd09:2::1 7001 "$stop.sink" &
bytes=$(scaled 1000000 200000)
# Before the churn, one flow each way arrives whole, with tcp_nt.
one_flow() {
	local out
	out=$(ip netns exec "$A" python3 - "$NT_LIBDIR" "$1" "$bytes" <<'EOF'
import sys
sys.path.insert(0, sys.argv[1] + "/helpers")
import churn_flow
seen = set()
print(churn_flow.one(sys.argv[2], 7001, int(sys.argv[3]), "nt", seen), *seen)
EOF
)
	ktap_log "one flow to $1: $out"
	[ "$out" = "whole nt" ]
}
listening() { ip netns exec "$1" ss -ltnH sport = 7001 | grep -q .; }
wait_for 30 listening "$B"
wait_for 30 listening "$C"
check "before the churn: a flow to 10.9.1.1 (IPv4 in IPv4) arrives whole, with tcp_nt" \
	wait_for 60 one_flow 10.9.1.1
check "before the churn: a flow to fd09:2::1 (IPv6 in IPv6) arrives whole, with tcp_nt" \
	wait_for 60 one_flow fd09:2::1

# --- the churners ------------------------------------------------------------
# Each runs until $stop exists; one line per operation in its log: "ok"
# or the refusal. ntctl runs six operations a process (-force -batch:
# each line runs whatever the one before it got), so that a slow kernel
# still sees many of them.
op() {
	local log=$1 out
	shift
	if out=$("$@" 2>&1 >/dev/null); then
		echo ok >> "$log"
	else
		echo "$(head -n 1 <<<"${out:-no message}") <- $*" >> "$log"
	fi
}
batch() {
	local log=$1 ns=$2 f out rc
	shift 2
	f=$(mktemp -p "$work")
	printf '%s\n' "$@" > "$f"
	out=$(ip netns exec "$ns" "$NTCTL" -force -batch "$f" 2>&1 >/dev/null)
	rc=$?
	# a failed line: its message, then "Command failed FILE:LINE"; an
	# ntctl that ends otherwise (a crash) fails the check
	case $rc in
	0|2) awk -v n=$# '/^Command failed / { print prev " <- line " $3; bad++ }
		{ prev = $0 } END { for (i = bad; i < n; i++) print "ok" }' \
		<<<"$out" >> "$log" ;;
	*) echo "ntctl -batch ended with status $rc <- $*" >> "$log" ;;
	esac
	rm -f "$f"
}
for i in 1 2 3; do
	for j in $(seq 1 30); do
		echo "hook input proto udp dport $((9000 + RANDOM % 200)) action drop"
		echo "hook output proto tcp action count"
	done > "$work/rules$i"
done
# (the kernel refuses the second rule 77: ntctl aborts the transaction)
echo "id 77 hook input proto udp dport 9999 action drop" >> "$work/rules3"
echo "id 77 hook input proto udp dport 9998 action drop" >> "$work/rules3"
policy_churn() {
	local log=$work/policy$1 l k
	RANDOM=$((SEED + $1))
	until [ -e "$stop" ]; do
		l=()
		for k in 1 2 3 4 5 6; do
			case $((RANDOM % 7)) in
			0|1) l+=("policy commit $work/rules$((1 + RANDOM % 3))") ;;
			2|3) l+=("policy add hook input proto udp dport $((9000 + RANDOM % 200)) action drop") ;;
			4) l+=("policy del id $((5 + RANDOM % 60))") ;;
			5) l+=("policy flush hook forward") ;;
			6) l+=("policy hook set input priority $((RANDOM % 21 - 10))") ;;
			esac
		done
		batch "$log" "$A" "${l[@]}"
		# a transaction left open by a socket that closes
		op "$log" ip netns exec "$A" python3 "$NT_LIBDIR/helpers/pol_nl.py" open-close
	done
}
peer_churn() {
	local log=$work/peers l k id ips
	RANDOM=$SEED
	until [ -e "$stop" ]; do
		l=()
		for k in 1 2 3 4 5 6; do
			id=$((10 + RANDOM % 4))
			ips=10.9.$((50 + RANDOM % 4)).0/24,fd09:$((50 + RANDOM % 4))::/64
			case $((RANDOM % 4)) in
			0) l+=("tunnel peer add nt0 id $id endpoint 192.168.1.$id:5001 allowed-ips $ips") ;;
			1) l+=("tunnel peer set nt0 id $id allowed-ips $ips keepalive $((RANDOM % 3))") ;;
			2) l+=("tunnel peer del nt0 id $id") ;;
			3) l+=("tunnel peer set nt0 id 1 keepalive $((RANDOM % 3))") ;;
			esac
		done
		batch "$log" "$A" "${l[@]}"
	done
}
# profiles made, given the live flows' routes, changed and deleted (the
# one a route still names is refused)
cc_churn() {
	local log=$work/cc p q
	RANDOM=$((SEED + 10))
	until [ -e "$stop" ]; do
		p=p$((RANDOM % 3))
		q=p$((RANDOM % 3))
		batch "$log" "$A" \
			"cc profile add $p cwnd-gain $((100 + RANDOM % 900)) ecn dctcp" \
			"cc route replace 10.9.1.0/24 profile $p" \
			"cc profile set $p min-cwnd $((2 + RANDOM % 20))" \
			"cc route replace fd09:2::/64 profile $q" \
			"cc route add 10.9.$((60 + RANDOM % 4)).0/24 profile $p" \
			"cc route del 10.9.$((60 + RANDOM % 4)).0/24" \
			"cc profile del p$((RANDOM % 3))"
	done
}
# a device made, given a peer, moved to B2 and deleted there, or
# deleted where it was made
dev_churn() {
	local log=$work/devs d
	RANDOM=$((SEED + 20))
	until [ -e "$stop" ]; do
		d=nt$((5 + RANDOM % 3))
		op "$log" ip -n "$A" link add $d type nttun
		op "$log" nt "$A" tunnel peer add $d id 1 \
			endpoint 192.168.1.9:5001 allowed-ips 10.9.1.0/24
		if [ $((RANDOM % 2)) = 0 ]; then
			op "$log" ip -n "$A" link set $d netns "$B2"
			op "$log" ip -n "$B2" link del $d
		else
			op "$log" ip -n "$A" link del $d
		fi
	done
}
dump_churn() {
	local log=$work/dumps
	until [ -e "$stop" ]; do
		batch "$log" "$A" "policy show" "tunnel peer show nt0" \
			"cc route show" "cc profile show" "policy hook show" \
			"tunnel show"
	done
}

ip netns exec "$A" $FLOW send 10.9.1.1 7001 "$bytes" "$stop" > "$work/flow4" &
f4=$!
ip netns exec "$A" $FLOW send fd09:2::1 7001 "$bytes" "$stop" > "$work/flow6" &
f6=$!
pids=()
policy_churn 1 & pids+=($!)
policy_churn 2 & pids+=($!)
peer_churn & pids+=($!)
cc_churn & pids+=($!)
dev_churn & pids+=($!)
dump_churn & pids+=($!)
sleep "$SECS"
touch "$stop"
wait "${pids[@]}" $f4 $f6

# The refusals that concurrency allows: the other writer's transaction
# (busy), an object another churner removed or never made (absent), one
# in use, one already there, the duplicate id of the refused commit
# (ntctl: "that rule was refused; nothing changed"), a BEGIN while the
# other writer's transaction is open, a dump that a change interrupted,
# a priority change while meter rules (id 3 at the start) are in place.
allowed='busy|in use|used by routes|exists|already|used twice|not found|no such|no rule with this id|transaction open|BEGIN/RULE_ADD failed|refused; nothing changed|cannot find|does not exist|interrupted|police or meter rules'
for w in policy1 policy2 peers cc devs dumps; do
	n=$(wc -l < "$work/$w")
	okn=$(grep -cx ok "$work/$w")
	other=$(grep -vx ok "$work/$w" | sed 's/ <- .*//' | grep -viE "$allowed" |
		sort | uniq -c | sort -rn | head -n 3 | tr -s ' \n' ' ')
	ktap_log "$w: $n operations, $okn ok; refusals: $(grep -vx ok "$work/$w" |
		sed 's/ <- .*//' | sort | uniq -c | sort -rn | head -n 6 | tr -s ' \n' ' ')"
	check "$w: $n operations, each a success or an allowed refusal${other:+ (not: $other)}" \
		test -z "$other"
	check "$w: some of them succeeded ($okn)" test "$okn" -gt 0
done
for f in flow4 flow6; do
	ktap_log "$f: $(cat "$work/$f")"
	check "$f: flows ran through the churn, none lost data (short 0)" \
		test "$(jq .short "$work/$f")" = 0
	check "$f: some arrived whole ($(jq .whole "$work/$f")), with tcp_nt" \
		jq -e '.whole > 0 and .cc == ["nt"]' "$work/$f"
done

# --- afterwards -----------------------------------------------------------------
rules=$(nt "$A" -j policy show | jq length)
check "policy: the dump ($rules rules) agrees with the count" \
	test "$(nt "$A" -j policy stats | jq .rules)" = "$rules"
peers=$(nt "$A" -j tunnel peer show nt0 | jq length)
check "tunnel: the dump ($peers peers) agrees with the device's count" \
	test "$(nt "$A" -j tunnel show nt0 | jq ".[0].peer_count")" = "$peers"
check "cc: every route names a profile that exists" \
	test "$(nt "$A" -j cc route show | jq -r '.[].profile' | sort -u |
		grep -vxFf <(nt "$A" -j cc profile show | jq -r '.[].name') | wc -l)" = 0
# put the flows' state back, and they run whole again
nt "$A" policy flush
nt "$A" policy hook set input priority 0
for h in "$A"; do
	nt "$h" policy add id 1 hook input proto tcp action count
	nt "$h" policy add id 3 hook input proto tcp action meter by src/32 1000000pps burst 100000
done
nt "$A" cc profile add dc ecn dctcp 2>/dev/null
nt "$A" cc route replace 10.9.1.0/24 profile dc
nt "$A" cc route del fd09:2::/64 2>/dev/null
c0=$(nt "$A" -j policy show id 1 | jq '.[0].packets')
d0=$(nt "$A" -j cc stats profile dc | jq ".[0].stats.bytes")
check "afterwards: a flow to 10.9.1.1 arrives whole, with tcp_nt" wait_for 60 one_flow 10.9.1.1
check "afterwards: a flow to fd09:2::1 arrives whole, with tcp_nt" wait_for 60 one_flow fd09:2::1
check "afterwards: the policy rule counted them" \
	test "$(nt "$A" -j policy show id 1 | jq '.[0].packets')" -gt "$c0"
check "afterwards: the cc profile counted them" \
	test "$(nt "$A" -j cc stats profile dc | jq ".[0].stats.bytes")" -gt "$d0"
touch "$stop.sink"

# What the churn leaves out: a namespace with hooks deleted, and
# nt_policy unloaded, while packets run through the hooks.
G=$(host g)
link "$A" ug "$G" ua
addr "$A" ug 192.168.7.1/24
addr "$G" ua 192.168.7.2/24
nt "$G" policy add hook input proto icmp action count
nt "$G" policy add hook output proto icmp action count
ip netns exec "$A" ping -f -W 1 192.168.7.2 >/dev/null 2>&1 &
fp=$!
counted() { [ "$(nt "$G" -j policy stats | jq .rules)" = 2 ] &&
	[ "$(nt "$G" -j policy show | jq '[.[].packets] | add')" -ge 100 ]; }
check "a ping flood runs through G's hooks" wait_for 60 counted
check "G, with hooks, is deleted under the flood" ip netns del "$G"
kill $fp 2>/dev/null
wait $fp 2>/dev/null
ip netns exec "$A" ping -f -W 1 10.9.1.1 >/dev/null 2>&1 &
fp=$!
check "nt_policy unloads with rules and a ping flood through them" \
	wait_for 60 modprobe -r nt_policy
kill $fp 2>/dev/null
wait $fp 2>/dev/null
nt_finish
