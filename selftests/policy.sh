#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nt_policy on real traffic: a client A, a router R and a server B
# (A - R - B over veth, IPv4 and IPv6). Every match (src, dst, proto,
# port ranges, TCP flags, iif, oif, DSCP) and action (accept, drop, reject
# as RST and ICMP, mark, dscp, police, meter, log, count) on packets;
# priority order; hook default verdicts; commit files and export round
# trip; counters carried over; a stale generation refused; a transaction
# left by a closed socket discarded; atomic commit under load (no packet
# judged by a mix of two rulesets); 10,000 rules; the rule limit; a
# tenant's memory budget; meter keys charged to the committer's cgroup;
# netns isolation; the tracepoint; events; unprivileged users refused; bad
# input refused with its message; a namespace with rules deleted and the
# module unloaded under traffic.
source "$(dirname "$0")/lib.sh"
require_root
require_ntctl
require_cmd ip jq python3 modprobe setpriv ping timeout nft

PROBE="python3 $NT_LIBDIR/helpers/pol_probe.py"
A=$(host a)
R=$(host r)
B=$(host b)
C=$(host c)
link "$A" ra "$R" ra
link "$R" rb "$B" rb
addr "$A" ra 10.1.1.2/24 10.1.1.3/24 fd01::2/64 fd01::3/64
addr "$R" ra 10.1.1.1/24 fd01::1/64
addr "$R" rb 10.2.2.1/24 fd02::1/64
addr "$B" rb 10.2.2.2/24 fd02::2/64
ip -n "$A" route add default via 10.1.1.1
ip -n "$A" -6 route add default via fd01::1
ip -n "$B" route add default via 10.2.2.1
ip -n "$B" -6 route add default via fd02::1
ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1

nt() { local ns=$1; shift; ip netns exec "$ns" "$NTCTL" "$@"; }
# rc NS ID KEY: a counter of rule ID
rc() { nt "$1" -j policy show id "$2" | jq -r ".[0].$3"; }

# recv_bg OUT NS ADDR PORT: a receiver in the background ($rx_pid),
# returning once it is bound; recv_end OUT stops it (a second after).
recv_bg() {
	local out=$1 rxns=$2 i
	shift 2
	rm -f "$out.stop"
	ip netns exec "$rxns" $PROBE recv "$@" --stop "$out.stop" >"$out" 2>"$out.bound" &
	rx_pid=$!
	for i in $(seq 600); do
		grep -q bound "$out.bound" 2>/dev/null && break
		sleep 0.1
	done
	rm -f "$out.bound"
}
recv_end() {
	touch "$1.stop"
	wait $rx_pid
	rm -f "$1.stop"
}
# listen_bg NS ADDR PORT: a TCP listener for 30 s, returning once it listens
listen_bg() {
	local f i
	f=$(mktemp)
	ip netns exec "$1" $PROBE listen "$2" "$3" --secs 60 2>"$f" &
	for i in $(seq 600); do
		grep -q bound "$f" && break
		sleep 0.1
	done
	rm -f "$f"
}
# udp NS_RX ADDR PORT NS_TX [send options]: datagrams received (JSON)
udp() {
	local rx=$1 addr=$2 port=$3 tx=$4 out
	shift 4
	out=$(mktemp)
	recv_bg "$out" "$rx" "$addr" "$port"
	ip netns exec "$tx" $PROBE send "$addr" "$port" "$@" >/dev/null
	recv_end "$out"
	cat "$out"
	rm -f "$out"
}
# got NS_RX ADDR PORT NS_TX [send options]: how many arrived
got() { udp "$@" | jq -r .n; }

modprobe nt_policy || skip "cannot load nt_policy"
check "nothing to begin with" test "$(nt "$B" -j policy show | jq length)" = 0
check "IPv4 UDP A -> B passes with no rule" test "$(got "$B" 10.2.2.2 7000 "$A")" = 5
check "IPv6 UDP A -> B passes with no rule" test "$(got "$B" fd02::2 7000 "$A")" = 5

# --- matches -------------------------------------------------------------
nt "$B" policy add id 1 hook input src 10.1.1.3/32 proto udp dport 7001 action drop
check "src: 10.1.1.2 passes" test "$(got "$B" 10.2.2.2 7001 "$A" --src 10.1.1.2)" = 5
check "src: 10.1.1.3 dropped" test "$(got "$B" 10.2.2.2 7001 "$A" --src 10.1.1.3)" = 0
check "src: the rule counted the 5 drops" test "$(rc "$B" 1 packets)" = 5
check "an IPv4 rule leaves IPv6 alone" test "$(got "$B" fd02::2 7001 "$A" --src fd01::3)" = 5

nt "$B" policy add id 2 hook input dst fd02::2/128 proto udp sport 3000-3999 action drop
check "dst+sport range: IPv6 sport 3500 dropped" \
	test "$(got "$B" fd02::2 7002 "$A" --sport 3500)" = 0
check "dst+sport range: IPv6 sport 4000 passes" \
	test "$(got "$B" fd02::2 7002 "$A" --sport 4000)" = 5
check "dst+sport range: sport 2999 passes" \
	test "$(got "$B" fd02::2 7002 "$A" --sport 2999)" = 5

nt "$B" policy add id 3 hook input proto tcp dport 7100-7200 action reject
listen_bg "$B" :: 7150
listen_bg "$B" :: 7201
check "reject: TCP to dport 7150 gets a RST (IPv4)" \
	test "$(ip netns exec "$A" $PROBE connect 10.2.2.2 7150)" = refused
check "reject: TCP to dport 7150 gets a RST (IPv6)" \
	test "$(ip netns exec "$A" $PROBE connect fd02::2 7150)" = refused
check "reject: dport 7201 is outside the range and connects" \
	test "$(ip netns exec "$A" $PROBE connect 10.2.2.2 7201)" = ok
nt "$B" policy add id 4 hook input proto udp dport 7300 action reject
check "reject: UDP gets ICMP port unreachable (IPv4)" \
	test "$(ip netns exec "$A" $PROBE udperr 10.2.2.2 7300)" = refused
check "reject: UDP gets ICMPv6 port unreachable (IPv6)" \
	test "$(ip netns exec "$A" $PROBE udperr fd02::2 7300)" = refused

nt "$B" policy add id 5 hook input proto tcp dport 7150 tcp-flags syn/syn,ack prio 0 action drop
nt "$B" policy del id 3
listen_bg "$B" 0.0.0.0 7151
check "tcp-flags: a SYN to 7150 is dropped (no answer)" \
	test "$(ip netns exec "$A" $PROBE connect 10.2.2.2 7150 --timeout 2)" = timeout
check "tcp-flags: 7151 connects" \
	test "$(ip netns exec "$A" $PROBE connect 10.2.2.2 7151)" = ok

nt "$B" policy add id 6 hook input proto udp dport 7500 dscp 10 action drop
check "dscp: DSCP 10 (TOS 40) dropped" test "$(got "$B" 10.2.2.2 7500 "$A" --tos 40)" = 0
check "dscp: DSCP 0 passes" test "$(got "$B" 10.2.2.2 7500 "$A")" = 5
check "dscp: IPv6 traffic class DSCP 10 dropped" \
	test "$(got "$B" fd02::2 7500 "$A" --tos 40)" = 0

nt "$R" policy add id 7 hook forward iif ra oif rb proto udp dport 7600 action drop
nt "$R" policy add id 8 hook forward iif rb proto udp dport 7601 action drop
check "iif/oif: A -> B through R dropped at forward" \
	test "$(got "$B" 10.2.2.2 7600 "$A")" = 0
check "iif: a rule for the other direction lets A -> B pass" \
	test "$(got "$B" 10.2.2.2 7601 "$A")" = 5
check "iif: ... and drops B -> A" test "$(got "$A" 10.1.1.2 7601 "$B")" = 0

# --- actions -------------------------------------------------------------
nt "$B" policy add id 10 hook prerouting proto udp dport 7700 action mark 0x10/0xff
ip netns exec "$B" nft -f - <<'EOF'
table inet ntpolt {
	chain c {
		type filter hook input priority 10;
		udp dport 7700 meta mark 0x10 counter
	}
}
EOF
got "$B" 10.2.2.2 7700 "$A" >/dev/null
check "mark: nftables sees mark 0x10 on the 5 packets" \
	test "$(ip netns exec "$B" nft -j list chain inet ntpolt c |
		jq '[.nftables[] | select(.rule) | .rule.expr[] | select(.counter) | .counter.packets] | add')" = 5

nt "$A" policy add id 11 hook output proto udp dport 7800 action dscp 46
check "dscp action: IPv4 packets arrive with TOS 184 (DSCP 46)" \
	test "$(udp "$B" 10.2.2.2 7800 "$A" | jq -r '.tos["184"]')" = 5
check "dscp action: IPv6 packets arrive with traffic class 184" \
	test "$(udp "$B" fd02::2 7800 "$A" --tos 1 | jq -r '.tos["185"]')" = 5

nt "$B" policy add id 12 hook input proto udp dport 7900 action log
nt "$B" policy add id 13 hook input proto udp dport 7900 action count
dmesg -C 2>/dev/null
check "log and count continue: all 5 delivered" test "$(got "$B" 10.2.2.2 7900 "$A")" = 5
check "log: the kernel log names the rule and the source" \
	grep -q "nt_policy: rule 12 hook input IN=rb .*SRC=10.1.1.2" <(dmesg)
check "count: 5 packets" test "$(rc "$B" 13 packets)" = 5

nt "$B" policy add id 20 hook input proto udp dport 8000 action police 50pps burst 5
n=$(got "$B" 10.2.2.2 8000 "$A" --count 300)
check "police: a 300-packet burst is cut ($n of 300 passed, >= 5)" \
	test "$n" -lt 300 -a "$n" -ge 5
check "police: the over-limit counter holds the rest" \
	test "$(rc "$B" 20 over)" = $((300 - n))

nt "$B" policy add id 21 hook input proto udp dport 8100 action meter by src/32 20pps burst 5 size 100
out=$(mktemp)
recv_bg "$out" "$B" 0.0.0.0 8100
ip netns exec "$A" $PROBE send 10.2.2.2 8100 --src 10.1.1.2 --count 300 --tag flood >/dev/null &
fpid=$!
ip netns exec "$A" $PROBE send 10.2.2.2 8100 --src 10.1.1.3 --count 5 --tag quiet --gap 0.05 >/dev/null
wait $fpid
recv_end "$out"
check "meter: the flooding source is limited" test "$(jq -r '.tags.flood' "$out")" -lt 300
check "meter: the other source's 5 packets all pass" test "$(jq -r '.tags.quiet' "$out")" = 5
check "meter: two keys in the table" test "$(rc "$B" 21 meter_entries)" = 2
rm -f "$out"

# priority: lower first, ties by id
nt "$B" policy add id 30 prio 10 hook input proto udp dport 8200 action drop
nt "$B" policy add id 31 prio 5 hook input proto udp dport 8200 action accept
check "priority: prio 5 accept wins over prio 10 drop" test "$(got "$B" 10.2.2.2 8200 "$A")" = 5
nt "$B" policy add id 33 prio 7 hook input proto udp dport 8201 action accept
nt "$B" policy add id 32 prio 7 hook input proto udp dport 8201 action drop
check "priority tie: lower id (drop) first" test "$(got "$B" 10.2.2.2 8201 "$A")" = 0

nt "$B" policy add id 34 hook input proto tcp dport 8300 tcp-flags /rst action count
nt "$B" policy hook set input policy drop
check_fails "default verdict drop: ping refused" \
	ip netns exec "$A" ping -c 1 -W 1 10.2.2.2
check "default verdict drop: an accept rule still lets its traffic in" \
	test "$(got "$B" 10.2.2.2 8200 "$A")" = 5
nt "$B" policy hook set input policy accept
check "default verdict back to accept: ping passes" \
	ip netns exec "$A" ping -c 1 -W 2 10.2.2.2

# --- transactions --------------------------------------------------------
exp=$(mktemp)
nt "$B" policy export > "$exp"
before=$(rc "$B" 1 packets)
gen=$(nt "$B" -j policy stats | jq .generation)
check "commit of the export" nt "$B" policy commit "$exp"
check "the export reads back the same" diff <(nt "$B" policy export) "$exp"
check "counters carry over a commit (rule 1 still has $before)" \
	test "$(rc "$B" 1 packets)" = "$before"
check "the generation moved on" test "$(nt "$B" -j policy stats | jq .generation)" -gt "$gen"
err=$(nt "$B" policy commit "$exp" generation "$gen" 2>&1)
check "a stale generation is refused ($err)" grep -q "changed since" <<<"$err"

rules_before=$(nt "$B" -j policy show | jq length)
check "a socket that closes mid-transaction ..." \
	test "$(ip netns exec "$B" python3 "$NT_LIBDIR/helpers/pol_nl.py" open-close)" = ok
check "... leaves the ruleset as it was" \
	test "$(nt "$B" -j policy show | jq length)" = "$rules_before"
check "... and no transaction behind (BEGIN works; the second is EBUSY)" \
	test "$(ip netns exec "$B" python3 "$NT_LIBDIR/helpers/pol_nl.py" busy)" = EBUSY

for end in src dst; do
	END=${end^^}
	err=$(ip netns exec "$B" python3 "$NT_LIBDIR/helpers/pol_nl.py" len-only "$end")
	check "a $end prefix length with no address is refused, both attributes named ($err)" \
		test "$err" = "EINVAL: NT_POL_RULE_A_${END}_LEN needs NT_POL_RULE_A_${END}"
done

bad=$(mktemp)
printf 'hook input proto udp dport 9001 action drop\nhook input dport 9002 action drop\n' > "$bad"
err=$(nt "$B" policy commit "$bad" 2>&1)
check "a refused line in a commit file is named ($err)" grep -q ":2:" <<<"$err"
printf 'hook input proto udp dport 9001 action drop\nid 1 hook input proto udp action drop\nid 1 hook input proto tcp action drop\n' > "$bad"
err=$(nt "$B" policy commit "$bad" 2>&1)
check "a duplicate id in a commit is refused at its line ($err)" grep -q ":3:" <<<"$err"
check "a failed commit leaves the old ruleset" \
	test "$(nt "$B" -j policy show | jq length)" = "$rules_before"
# a bad word far down, after ntctl has sent the kernel some messages
for i in $(seq 3000); do
	echo "hook input proto udp dport $((10000 + i)) action drop"
done > "$bad"
echo "hook input proto udp dport nope action drop" >> "$bad"
err=$(nt "$B" policy commit "$bad" 2>&1)
check "a bad word on line 3001 of a commit file is named ($err)" \
	grep -q ":3001: the line above" <<<"$err"
check "... the ruleset is as it was" \
	test "$(nt "$B" -j policy show | jq length)" = "$rules_before"
check "... and no transaction is left open" \
	test "$(ip netns exec "$B" python3 "$NT_LIBDIR/helpers/pol_nl.py" busy)" = EBUSY

# atomic commit under load: ruleset X passes stream a rewritten to DSCP 11
# and drops stream b; Y the opposite with DSCP 22. A packet judged by a mix
# would arrive as a/22 or b/11.
fx=$(mktemp)
fy=$(mktemp)
cat > "$fx" <<'EOF'
id 1 prio 1 hook input proto udp dport 9100 action dscp 11
id 2 prio 2 hook input proto udp dport 9100 dscp 20 action drop
EOF
cat > "$fy" <<'EOF'
id 1 prio 1 hook input proto udp dport 9100 action dscp 22
id 2 prio 2 hook input proto udp dport 9100 dscp 10 action drop
EOF
nt "$B" policy commit "$fx" >/dev/null
out=$(mktemp)
recv_bg "$out" "$B" 0.0.0.0 9100
ip netns exec "$A" $PROBE send 10.2.2.2 9100 --tos 40 --tag a --count 4000 --gap 0.001 >/dev/null &
s1=$!
ip netns exec "$A" $PROBE send 10.2.2.2 9100 --tos 80 --tag b --count 4000 --gap 0.001 >/dev/null &
s2=$!
commits=0
while kill -0 $s1 2>/dev/null || kill -0 $s2 2>/dev/null; do
	nt "$B" policy commit "$fy" >/dev/null && nt "$B" policy commit "$fx" >/dev/null &&
		commits=$((commits + 2))
done
recv_end "$out"
ktap_log "atomic: $commits commits during the streams: $(cat "$out")"
check "atomic: many commits happened under the streams" test $commits -ge 4
check "atomic: stream a passed under X (DSCP 11)" test "$(jq -r '.tagtos["a/44"] // 0' "$out")" -gt 0
check "atomic: stream b passed under Y (DSCP 22)" test "$(jq -r '.tagtos["b/88"] // 0' "$out")" -gt 0
check "atomic: no packet judged by a mix (no a/22, no b/11)" \
	test "$(jq -r '(.tagtos["a/88"] // 0) + (.tagtos["b/44"] // 0)' "$out")" = 0
rm -f "$out" "$fx" "$fy"

# 10,000 rules (fewer on the debug kernel); one of them matters
NB=$(scaled 10000 2000)
big=$(mktemp)
for i in $(seq 1 "$NB"); do
	echo "hook input src 172.$((16 + i / 65536 % 16)).$((i / 256 % 256)).$((i % 256))/32 proto udp dport $((10000 + i % 5000)) action drop"
done > "$big"
echo "hook input src 10.1.1.3/32 proto udp dport 9200 action drop" >> "$big"
check "commit of $((NB + 1)) rules" nt "$B" policy commit "$big"
check "all of them are in" test "$(nt "$B" -j policy stats | jq .rules)" = $((NB + 1))
check "$NB rules: the matching rule drops 10.1.1.3" \
	test "$(got "$B" 10.2.2.2 9200 "$A" --src 10.1.1.3)" = 0
check "$NB rules: 10.1.1.2 passes" test "$(got "$B" 10.2.2.2 9200 "$A" --src 10.1.1.2)" = 5
check "$NB rules: the classifier has few tuples" \
	test "$(nt "$B" -j policy stats | jq .tuples)" -le 4
echo 5 > /sys/module/nt_policy/parameters/max_rules
err=$(nt "$B" policy commit "$exp" 2>&1)
check "past max_rules a commit is refused ($err)" grep -q "max_rules" <<<"$err"
check "... and the $((NB + 1)) rules stay" test "$(nt "$B" -j policy stats | jq .rules)" = $((NB + 1))
echo 200000 > /sys/module/nt_policy/parameters/max_rules
check "flush" nt "$B" policy flush
check "flushed: UDP passes again" test "$(got "$B" 10.2.2.2 9200 "$A" --src 10.1.1.3)" = 5
rm -f "$big" "$exp" "$bad"

# --- memory --------------------------------------------------------------
# A tenant (uid 65534 owning a user namespace and its netns) commits meter
# rules. Each takes its key table and room for its keys: about 4.5 MiB at
# the default size of 65536, so 200 of them ask for 900 MiB, past the
# max_memory budget (256 MiB by default). The commit is refused before
# anything is allocated, with the limit named; the ruleset in force still
# judges the tenant's traffic (its drop rule counts the packets that
# follow); 20 meters fit.
ten=$(mktemp -d) && [ -d "$ten" ] || { nt_fail "memory: no temporary folder"; nt_finish; }
on_cleanup "rm -rf $ten"
chmod 755 "$ten"
for i in $(seq 200); do
	echo "hook input proto udp dport $((20000 + i)) action meter by src/32 100pps burst 10"
done > "$ten/big"
head -n 20 "$ten/big" > "$ten/small"
cat > "$ten/run" <<'EOF'
nt=$1 probe=$2 dir=$3
ip link set lo up
"$nt" policy add id 1 hook input proto udp dport 9400 action drop
python3 "$probe" send 127.0.0.1 9400 >/dev/null
echo "before $("$nt" -j policy show id 1 | jq -r '.[0].packets')"
err=$("$nt" policy commit "$dir/big" 2>&1)
echo "big $? $(tr '\n' ' ' <<<"$err")"
python3 "$probe" send 127.0.0.1 9400 >/dev/null
echo "after $("$nt" -j policy show id 1 | jq -r '.[0].packets')"
"$nt" policy commit "$dir/small" >/dev/null && echo "small ok"
echo "meters $("$nt" -j policy show | jq '[.[] | select(.action == "meter")] | length')"
echo "memory $("$nt" -j policy stats | jq .memory)"
EOF
chmod 644 "$ten/big" "$ten/small" "$ten/run"
# (where uid 65534 may not run programs, root's own user namespace is
# the tenant: it has no capability outside it either)
as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
if ! "${as[@]}" true 2>/dev/null; then
	ktap_log "tenant: uid 65534 cannot run programs here; root in a user namespace instead"
	as=()
fi
out=$("${as[@]}" unshare -Urn \
	bash "$ten/run" "$NTCTL" "$NT_LIBDIR/helpers/pol_probe.py" "$ten" 2>&1)
ktap_log "tenant: $(tr '\n' ';' <<<"$out")"
maxmem=$(cat /sys/module/nt_policy/parameters/max_memory 2>/dev/null || echo 0)
check "tenant: its drop rule judges its traffic" grep -qx "before 5" <<<"$out"
check "tenant: 200 meters are refused, naming max_memory" \
	grep -q "^big [1-9].*max_memory" <<<"$out"
check "tenant: the ruleset in force still judges its traffic" \
	grep -qx "after 10" <<<"$out"
check "tenant: 20 meters fit" grep -qx "small ok" <<<"$out"
check "tenant: they are in" grep -qx "meters 20" <<<"$out"
mem=$(sed -n 's/^memory //p' <<<"$out")
check "tenant: the memory figure ($mem) counts the 20 meters, within max_memory ($maxmem)" \
	test "${mem:-0}" -ge $((20 * 65536 * 64)) -a "${mem:-0}" -le "$maxmem"
rm -rf "$ten"

# At its limit a namespace can still shrink: the ruleset in force lends
# what it holds alone to the commit that builds its replacement. (Before,
# a delete at the limit needed room for a second copy of the rules and
# was refused.) The rules replaced count until RCU frees them, so a
# change that comes right after another may wait for that.
M=$(host m)
mm=/sys/module/nt_policy/parameters/max_memory
mr=$(mktemp)
for i in $(seq 1 200); do
	echo "hook input proto udp dport $((30000 + i)) src 10.$i.0.0/16 action drop"
done > "$mr"
nt "$M" policy commit "$mr"
used=$(nt "$M" -j policy stats | jq .memory)
maxmem=$(cat $mm)
on_cleanup "echo $maxmem > $mm"
echo "$used" > $mm
err=$(nt "$M" policy add hook input proto udp dport 9 action drop 2>&1)
check "at the limit ($used bytes): one more rule is refused ($err)" \
	grep -q max_memory <<<"$err"
check "... a rule is deleted" nt "$M" policy del id 1
shrunk() { [ "$(nt "$M" -j policy stats | jq .memory)" -lt "$used" ]; }
check "... and once RCU freed the rules it replaced, the figure is smaller" \
	wait_for 30 shrunk
check "... another rule is deleted" wait_for 30 nt "$M" policy del id 2
check "... the rest flushed" wait_for 30 nt "$M" policy flush
head -n 100 "$mr" > "$mr.half"
check "... and 100 rules fit again" wait_for 30 nt "$M" policy commit "$mr.half"
echo "$maxmem" > $mm
rm -f "$mr" "$mr.half"
ip netns del "$M"

# Meter keys are allocated on the packet path, and charged to the memory
# cgroup of the task that committed the meter. A committer in a cgroup of
# its own adds a meter by destination at output; 20,000 destinations sent
# to from outside that cgroup show in its memory.current. (1 byte/s: each
# 1 KB packet keeps its key busy, not evicted, for 17 minutes.)
cg=/sys/fs/cgroup/ntpol-$$
if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null &&
	echo +memory > /sys/fs/cgroup/cgroup.subtree_control && mkdir "$cg"; then
	E=$(host e)
	ip -n "$E" link add d0 type dummy
	ip -n "$E" link set d0 up
	ip -n "$E" addr add 10.64.0.1/16 dev d0
	bash -c 'echo $$ > "$1/cgroup.procs" && exec "${@:2}"' - "$cg" \
		ip netns exec "$E" "$NTCTL" policy add id 70 hook output \
		dst 10.64.0.0/16 proto udp action meter by dst/32 8bit burst 100000 size 30000
	m0=$(cat "$cg/memory.current")
	# (the full 20,000 on every kernel: memcg charges pages in batches
	# of 64 a CPU, and fewer keys could all fit in what is charged ahead)
	NK=20000
	ip netns exec "$E" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(int(sys.argv[1])):
    s.sendto(b"x" * 1000, ("10.64.%d.%d" % (1 + i // 250, 1 + i % 250), 9))' "$NK"
	m1=$(cat "$cg/memory.current")
	ktap_log "memcg: $(nt "$E" -j policy show id 70)"
	check "memcg: $NK keys in the meter" test "$(rc "$E" 70 meter_entries)" = "$NK"
	check "memcg: the committer's cgroup pays for them ($m0 -> $m1 bytes, >= $NK x 56 more)" \
		test $((m1 - m0)) -ge $((NK * 56))
	ip netns del "$E"
	rmdir "$cg"
else
	nt_ok "memcg: the committer's cgroup pays for meter keys # SKIP no memory controller"
fi

# --- isolation, observability, permissions -------------------------------
nt "$B" policy add id 40 hook input proto udp dport 9300 action drop
check "netns isolation: C sees no rule" test "$(nt "$C" -j policy show | jq length)" = 0
check "netns isolation: R's rules are its own" \
	test "$(nt "$R" -j policy show | jq -c '[.[].id] | sort')" = "[7,8]"
if trace_event nt_policy/nt_policy_verdict 1; then
	echo > $NT_TRACE/trace
	got "$B" 10.2.2.2 9300 "$A" >/dev/null
	trace_event nt_policy/nt_policy_verdict 0
	check "tracepoint: drop by rule 40 with addresses and ports" \
		grep -q "hook=input rule=40 verdict=drop family=ip proto=17 src=::ffff:10.1.1.2 sport=[0-9]* dst=::ffff:10.2.2.2 dport=9300" $NT_TRACE/trace
else
	nt_fail "tracepoint: no nt_policy events in tracefs"
fi
mon=$(mktemp)
ip netns exec "$B" "$NTCTL" -j monitor policy > "$mon" &
mpid=$!
on_cleanup kill $mpid
# The monitor listens once an event of ours shows up: a hook set to the
# priority it has, which is no commit, so the one commit it then shows
# is the add's.
hook_mark() { nt "$B" policy hook set forward priority -250 && grep -q . "$mon"; }
wait_for 10 hook_mark
nt "$B" policy add id 41 hook input proto udp dport 9301 action drop
commits() { jq -s '[.[] | select(.event == "commit")]' "$mon"; }
wait_for 10 eval 'test "$(commits | jq length)" -ge 1'
check "monitor: the commit event with the rule count" \
	jq -e 'length == 1 and .[0].rules == 2' <<<"$(commits)"
check "monitor: a hook set is an event of its own" \
	jq -se '.[0].object == "hook" and .[0].event == "set"' "$mon"
kill $mpid 2>/dev/null
rm -f "$mon"

unpriv() { ip netns exec "$B" setpriv --reuid=65534 --regid=65534 --clear-groups "$NTCTL" "$@"; }
check_fails "unprivileged: add refused" unpriv policy add hook input action drop
check_fails "unprivileged: flush refused" unpriv policy flush
check_fails "unprivileged: show refused (counters are private)" unpriv policy show
check "unprivileged: the ruleset is untouched" \
	test "$(nt "$B" -j policy show | jq length)" = 2

# refused input: each with its message (exit status 2 from the kernel)
refused() {
	local desc=$1 want=$2 out rc
	shift 2
	out=$(nt "$B" "$@" 2>&1)
	rc=$?
	if [ $rc = 2 ] && grep -q -- "$want" <<<"$out"; then
		nt_ok "refused: $desc"
	else
		nt_fail "refused: $desc (status $rc: $out)"
	fi
}
refused "dscp 64" "allowed 0..63" policy add hook input dscp 64 action drop
refused "ports without a protocol" "ports need" policy add hook input dport 22 action drop
refused "ports with icmp" "ports need" policy add hook input proto icmp dport 22 action drop
refused "tcp-flags with udp" "TCP flags need" policy add hook input proto udp tcp-flags syn action drop
refused "IPv4 src, IPv6 dst" "different families" policy add hook input src 10.0.0.0/8 dst fd00::/8 action drop
refused "family ip with an IPv6 address" "family differs" policy add hook input family ip src fd00::/8 action drop
refused "iif at output" "input interface" policy add hook output iif lo action drop
refused "oif at input" "output interface" policy add hook input oif lo action drop
refused "police rate 0" "rate" policy add hook input action police 0pps burst 5
refused "meter size 0" "meter size" policy add hook input action meter by src 10pps burst 5 size 0
refused "meter size past 1048576" "meter size" policy add hook input action meter by src 10pps burst 5 size 2000000
refused "meter by src/0" "meter by" policy add hook input action meter by src/0 10pps burst 5
refused "duplicate id" "exists" policy add id 40 hook input action drop
refused "deleting an unknown id" "no rule" policy del id 777
refused "hook priority 5000" "allowed -1000..1000" policy hook set input priority 5000
# A priority change has both registrations in the hook list for a while:
# where a rule polices or meters, a packet would be charged twice.
prio_of() { nt "$B" -j policy hook show | jq ".[] | select(.hook == \"$1\") | .priority"; }
nt "$B" policy add id 42 hook input proto udp dport 9302 action police 10pps burst 5
refused "a priority change of a hook that polices" "police or meter rules" \
	policy hook set input priority -240
check "the refused priority change left the hook where it was" test "$(prio_of input)" = -250
nt "$B" policy del id 42
check "without police or meter rules, the priority changes" \
	nt "$B" policy hook set input priority -240
check "... and the hook shows it" test "$(prio_of input)" = -240
nt "$B" policy hook set input priority -250
# An export restored into a new namespace: a police rule on a hook at a
# priority of its own (the priority is set before the rules, while no
# rule is in force there).
F=$(host f)
restore=$(mktemp)
on_cleanup "rm -f $restore"
printf '%s\n' "hook input proto udp dport 9400 action police 10pps burst 5" \
	"hook set input priority -240 policy accept" > "$restore"
check "a commit with a police rule and its hook's priority, in a new namespace" \
	nt "$F" policy commit "$restore"
check "... which has the rule and the priority" test \
	"$(nt "$F" -j policy show | jq length):$(nt "$F" -j policy hook show |
	   jq '.[] | select(.hook == "input") | .priority')" = 1:-240
printf '%s\n' "hook input proto udp dport 9400 action police 10pps burst 5" \
	"hook set input priority -230" > "$restore"
out=$(nt "$F" policy commit "$restore" 2>&1)
check "a commit that would move a policing hook is refused before a rule changes" \
	test $? = 2 -a -n "$(grep 'no rule changed' <<<"$out")"
check "... and the rule and the priority are as they were" test \
	"$(nt "$F" -j policy show | jq length):$(nt "$F" -j policy hook show |
	   jq '.[] | select(.hook == "input") | .priority')" = 1:-240
out=$(nt "$B" policy add hook input action drop dport 2>&1)
check "a keyword without its value is a usage error" test $? = 1

# --- netns teardown and unload under traffic -----------------------------
D=$(host d)
addr "$D" lo 10.9.9.9/32
nt "$D" policy add hook input proto icmp action meter by src/32 100pps burst 10
nt "$D" policy add id 60 hook output proto icmp action count
nt "$D" policy add hook prerouting src 10.9.9.9/32 action log
ip netns exec "$D" ping -f -W 1 10.9.9.9 >/dev/null 2>&1 &
dpid=$!
# flowing NS ID N: rule ID of NS has counted N packets or more
flowing() { [ "$(rc "$1" "$2" packets)" -ge "$3" ]; }
check "the flood runs through D's rules" wait_for 30 flowing "$D" 60 200
check "a namespace with rules is deleted under a ping flood" ip netns del "$D"
# the flood held the namespace: it is dismantled as the flood ends
kill $dpid 2>/dev/null
wait $dpid 2>/dev/null
sleep 1
check "nt_policy still answers after the teardown" nt "$B" policy show


nt "$B" policy add id 50 hook input proto icmp action count
nt "$A" policy add id 51 hook output proto icmp action count
ip netns exec "$A" ping -f -W 1 10.2.2.2 >/dev/null 2>&1 &
f1=$!
ip netns exec "$A" ping -6 -f -W 1 fd02::2 >/dev/null 2>&1 &
f2=$!
check "the floods run through A's and B's rules" \
	wait_for 30 eval 'flowing "$A" 51 200 && flowing "$B" 50 200'
check "module unload with rules and a ping flood" modprobe -r nt_policy
kill $f1 $f2 2>/dev/null
wait $f1 $f2 2>/dev/null
check "traffic flows after the unload" ip netns exec "$A" ping -c 1 -W 2 10.2.2.2
check "nt_policy is gone" bash -c "! grep -q '^nt_policy ' /proc/modules"

nt_finish
