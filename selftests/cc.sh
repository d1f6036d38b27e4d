#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tcp_nt: autoload (sysctl, setsockopt, route congctl); the profile chosen
# by destination prefix is the one in force (ss -ti and counters), for IPv4
# and IPv6; a profile change applies to new connections only; a profile
# deleted under a live connection moves it to default; counters move with
# traffic (connections, bytes, recoveries under loss, CE under ECN marking,
# PROBE_RTT); the state tracepoint; events seen by ntctl monitor; netns
# isolation; unprivileged users refused; every out-of-range value refused
# with its message.
source "$(dirname "$0")/lib.sh"
require_root
require_ntctl
require_cmd ip ss jq python3 modprobe tc setpriv

FLOW="python3 $NT_LIBDIR/helpers/cc_flow.py"
C=$(host c)
S=$(host s)
link "$C" veth0 "$S" veth0
addr "$C" veth0 10.0.0.1/24 fd00::1/64
addr "$S" veth0 10.0.0.2/24 fd00::2/64
ip -n "$S" addr add 10.0.1.2/32 dev lo
ip -n "$S" addr add fd00:1::2/128 dev lo nodad
ip -n "$C" route add 10.0.1.0/24 via 10.0.0.2
ip -n "$C" -6 route add fd00:1::/64 via fd00::2
# a little delay, so that RTTs are the link's rather than the scheduler's
tc -n "$S" qdisc add dev veth0 root netem delay 2ms
ip netns exec "$S" $FLOW sink :: 5001 >/dev/null 2>&1 &
on_cleanup kill $!

nc() { ip netns exec "$C" "$NTCTL" "$@"; }
stats() { nc -j cc stats profile "$1" | jq -r ".[0].stats.$2"; }
loaded() { grep -q '^tcp_nt ' /proc/modules; }

unload() {
	wait_for 10 modprobe -r tcp_nt
}

# one transfer from the client; prints "cc NAME" as the socket ran
send() { ip netns exec "$C" $FLOW send "$@"; }

# --- autoload ---------------------------------------------------------
if loaded && ! unload; then
	ktap_log "tcp_nt is in use and cannot be unloaded: autoload not tested"
else
	ip netns exec "$C" sysctl -qw net.ipv4.tcp_congestion_control=nt
	check "autoload by sysctl net.ipv4.tcp_congestion_control=nt" loaded
	check "a connection takes nt from the sysctl" \
		grep -qx "cc nt" <(send 10.0.0.2 5001 100000)
	ip netns exec "$C" sysctl -qw net.ipv4.tcp_congestion_control=cubic
	check "unloads once unused" unload

	check "autoload by setsockopt(TCP_CONGESTION, nt)" \
		grep -qx "cc nt" <(send 10.0.0.2 5001 100000 --cc nt)
	check "unloads once unused" unload

	ip -n "$C" route replace 10.0.1.0/24 via 10.0.0.2 congctl nt
	check "autoload by ip route ... congctl nt" loaded
	check "a connection on that route runs nt" \
		grep -qx "cc nt" <(send 10.0.1.2 5001 100000)
	check "a connection on another route does not" \
		grep -qx "cc cubic" <(send 10.0.0.2 5001 100000)
	ip -n "$C" route replace 10.0.1.0/24 via 10.0.0.2
	check "unloads once unused" unload
fi
modprobe tcp_nt
ip netns exec "$C" sysctl -qw net.ipv4.tcp_congestion_control=nt

# --- the profile chosen by destination prefix -------------------------
nc cc profile add wide cwnd-gain 300
nc cc profile add six cwnd-gain 250
nc cc route add 10.0.1.0/24 profile wide
nc cc route add fd00:1::/64 profile six
check "route show lists both routes" \
	jq -e 'map("\(.prefix) \(.profile)") == ["10.0.1.0/24 wide", "fd00:1::/64 six"]' \
	<<<"$(nc -j cc route show)"

# ss wants IPv6 hosts in brackets
sshost() { case "$1" in *:*) echo "[$1]" ;; *) echo "$1" ;; esac; }
# cwnd_gain as ss -ti prints it for the nt socket to DST
gain_of() {
	ip netns exec "$C" ss -tinH dst "$(sshost "$1")" | tr ' ' '\n' |
		sed -n 's/.*cwnd_gain:\([0-9.]*\).*/\1/p' | head -1
}
# has_gain DST G...: the socket's cwnd_gain is one of G (ss prints %g)
has_gain() {
	local g dst=$1
	g=$(gain_of "$dst")
	shift
	[ -n "$g" ] && [[ " $* " == *" $g "* ]]
}

stop=$(mktemp -u)
on_cleanup touch "$stop"
c0=$(stats default conns)
send 10.0.1.2 5001 0 --until "$stop" > "$stop.w4" &
p1=$!
send 10.0.0.2 5001 0 --until "$stop" > "$stop.d4" &
p2=$!
send fd00:1::2 5001 0 --until "$stop" > "$stop.w6" &
p3=$!
send fd00::2 5001 0 --until "$stop" > "$stop.d6" &
p4=$!
check "10.0.1.2 (route to wide): cwnd_gain 3 in ss -ti" wait_for 20 has_gain 10.0.1.2 3 3.25
check "10.0.0.2 (no route): default's cwnd_gain 2" wait_for 20 has_gain 10.0.0.2 2 2.25
check "fd00:1::2 (route to six): cwnd_gain 2.5" wait_for 20 has_gain fd00:1::2 2.5 2.75
check "fd00::2 (no route): default's cwnd_gain 2" wait_for 20 has_gain fd00::2 2 2.25
ktap_log "ss: $(ip netns exec "$C" ss -tinH dst 10.0.1.2 | tr -s ' \n\t' ' ' | cut -c1-300)"
check "counters: wide and six started one connection each" \
	test "$(stats wide conns)" = 1 -a "$(stats six conns)" = 1
check "counters: default started two" test "$(stats default conns)" = $((c0 + 2))
b0=$(stats wide bytes)
check "counters: wide's bytes grow with its flow" \
	wait_for 10 eval 'test "$(stats wide bytes)" -gt "$b0"'

# delete the route and the profile under the live connection
check_fails "a profile named by a route cannot be deleted" nc cc profile del wide
out=$(nc cc profile del wide 2>&1)
check "... and says why" grep -q "used by routes" <<<"$out"
nc cc route del 10.0.1.0/24
check "profile wide deleted under its live connection" nc cc profile del wide
check "the connection moves to default (cwnd_gain 2)" wait_for 20 has_gain 10.0.1.2 2 2.25
check_fails "wide is gone" nc cc profile show wide
b1=$(stats default bytes)
check "its bytes now count for default" \
	wait_for 10 eval 'test "$(stats default bytes)" -gt "$b1"'

# a changed profile applies to connections that start afterwards
nc cc profile set six cwnd-gain 400
send fd00:1::2 5001 0 --until "$stop" > "$stop.n6" &
p5=$!
gains6() { ip netns exec "$C" ss -tinH dst '[fd00:1::2]' | grep -o 'cwnd_gain:[0-9.]*' | sort | tr '\n' ' '; }
new_and_old() { [[ "$(gains6)" =~ ^cwnd_gain:2\.(5|75)\ cwnd_gain:4(\.25)?\ $ ]]; }
check "after set: the new connection has cwnd_gain 4, the old one keeps 2.5" \
	wait_for 20 new_and_old
ktap_log "fd00:1::2 gains: $(gains6)"
touch "$stop"
wait $p1 $p2 $p3 $p4 $p5
check "every flow ran nt" test "$(cat "$stop".?? | sort -u)" = "cc nt"
rm -f "$stop" "$stop".??

# --- counters under loss, CE marks and PROBE_RTT ----------------------
nc cc profile add lossy
nc cc route add 10.0.1.0/24 profile lossy
r0=$(stats six recoveries)
# netem drops whole GSO packets, and TCP builds them even with GSO off
# on the device (segmented after the qdisc): gso_max_segs 1 makes TCP
# send one segment per packet, so that 3% is of wire packets (about 40
# losses in 2 MB, not one or none)
segs0=$(ip -n "$C" -d -j link show veth0 | jq '.[0].gso_max_segs')
ip -n "$C" link set veth0 gso_max_segs 1
tc -n "$C" qdisc add dev veth0 root netem loss 3%
# (2 MB, fewer on the debug kernel: about 1,400 wire packets, 40 lost)
size=$(scaled 2000000 500000)
for i in 1 2 3; do
	send 10.0.1.2 5001 "$size" >/dev/null
	[ "$(stats lossy recoveries)" -gt 0 ] && break
done
lost=$(tc -n "$C" -s qdisc show dev veth0 | grep -o 'dropped [0-9]*' | cut -d' ' -f2)
ktap_log "lossy: $(nc -j cc stats profile lossy); netem dropped $lost"
tc -n "$C" qdisc del dev veth0 root
check "3% loss: netem dropped wire packets, not a few GSO packets ($lost)" \
	test "${lost:-0}" -ge "$(scaled 10 3)"
check "3% loss: recoveries counted for lossy ($(stats lossy recoveries))" \
	test "$(stats lossy recoveries)" -gt 0
check "3% loss: none counted meanwhile for six" test "$(stats six recoveries)" = "$r0"

nc cc profile add dc ecn dctcp
nc cc route replace 10.0.1.0/24 profile dc
ip netns exec "$C" sysctl -qw net.ipv4.tcp_ecn=1
tc -n "$C" qdisc add dev veth0 root netem loss 3% ecn
# a SYN lost to netem (not ECT) is retransmitted without ECN: try again
for i in 1 2 3; do
	send 10.0.1.2 5001 "$size" >/dev/null
	[ "$(stats dc ce_acks)" -gt 0 ] && break
done
ktap_log "dc: $(nc -j cc stats profile dc)"
tc -n "$C" qdisc del dev veth0 root
ip -n "$C" link set veth0 gso_max_segs "$segs0"
check "CE marking: CE-echoing ACKs counted for dc ($(stats dc ce_acks))" \
	test "$(stats dc ce_acks)" -gt 0
check "CE marking: no CE counted for lossy" test "$(stats lossy ce_acks)" = 0
ip netns exec "$C" sysctl -qw net.ipv4.tcp_ecn=2

nc cc profile add prt probe-rtt-interval 1000 probe-rtt-time 10ms
nc cc route replace 10.0.1.0/24 profile prt
traced=0
if trace_event tcp_nt/nt_state 1; then
	traced=1
	echo > $NT_TRACE/trace
fi
touch "$stop.no"
send 10.0.1.2 5001 0 --until "$stop" >/dev/null &
p1=$!
probed() { test "$(stats prt probe_rtts)" -gt 0; }
check "PROBE_RTT every 1 s: entries counted for prt" wait_for 30 probed
# a PROBE_RTT may come before STARTUP is over (a fast host fills the
# link for longer than 1 s): the flow runs on until it left STARTUP
left_startup() { grep -q 'startup -> drain' $NT_TRACE/trace; }
[ $traced = 0 ] || wait_for 30 left_startup
ktap_log "prt: $(nc -j cc stats profile prt)"
touch "$stop"
wait $p1
rm -f "$stop" "$stop.no"
if [ $traced = 1 ]; then
	trace_event tcp_nt/nt_state 0
	check "tracepoint tcp_nt:nt_state shows startup -> drain" \
		grep -q 'dport=5001 startup -> drain bw=[0-9]*bps min_rtt=[0-9]*us' $NT_TRACE/trace
	check "tracepoint tcp_nt:nt_state shows probe_rtt entered" \
		grep -q -- '-> probe_rtt ' $NT_TRACE/trace
	ktap_log "trace: $(grep -m3 nt_state $NT_TRACE/trace | sed 's/.*nt_state: //' | tr '\n' '|')"
	ktap_log "trace: $(grep -m2 -- '-> probe_rtt' $NT_TRACE/trace | sed 's/.*nt_state: //' | tr '\n' '|')"
else
	nt_fail "tracepoint tcp_nt:nt_state is not in tracefs"
fi

# --- events -----------------------------------------------------------
ev=$(mktemp)
ip netns exec "$C" "$NTCTL" -j monitor cc > "$ev" &
mpid=$!
on_cleanup kill $mpid
# the monitor is listening once a change shows up
resync() { nc cc profile set default min-cwnd 4 && grep -q . "$ev"; }
wait_for 10 resync
n0=$(wc -l < "$ev")
nc cc profile add ev1 drain-gain 50
nc cc profile set ev1 ecn dctcp
nc cc route add 192.0.2.0/24 profile ev1
nc cc route del 192.0.2.0/24
nc cc profile del ev1
wait_for 10 eval 'test "$(wc -l < "$ev")" -ge $((n0 + 5))'
kill $mpid
got=$(tail -n +$((n0 + 1)) "$ev")
check "monitor: add, set, route add, route del, del, in order" \
	jq -se 'map("\(.object) \(.event)") == ["profile add", "profile set", "route add", "route del", "profile del"]' <<<"$got"
check "monitor: the add carries the parameters" \
	jq -se '.[0].name == "ev1" and .[0].drain_gain == 50 and .[0].ecn == "off"' <<<"$got"
check "monitor: the set carries the new value" jq -se '.[1].ecn == "dctcp"' <<<"$got"
check "monitor: the route events carry prefix and profile" \
	jq -se '.[2].prefix == "192.0.2.0/24" and .[2].profile == "ev1" and .[3].prefix == "192.0.2.0/24"' <<<"$got"
# the text form: one line per event, as ip monitor prints
ip netns exec "$C" "$NTCTL" monitor cc > "$ev.txt" &
mpid=$!
on_cleanup kill $mpid
textsync() { nc cc profile set default min-cwnd 4 && grep -q . "$ev.txt"; }
wait_for 10 textsync
nc cc profile add ev2 cwnd-gain 300
wait_for 10 grep -q '^cc profile add profile ev2 .*cwnd-gain 300' "$ev.txt"
kill $mpid
check "monitor text: the add as one line with its parameters" \
	grep -q '^cc profile add profile ev2 startup-gain 277 .* cwnd-gain 300 .*routes 0$' "$ev.txt"
ktap_log "monitor text: $(grep ev2 "$ev.txt")"
nc cc profile del ev2
rm -f "$ev" "$ev.txt"

# --- netns isolation --------------------------------------------------
check "the server's namespace has only default" \
	jq -e 'map(.name) == ["default"]' <<<"$(ip netns exec "$S" "$NTCTL" -j cc profile show)"
check "... and no routes" jq -e 'length == 0' <<<"$(ip netns exec "$S" "$NTCTL" -j cc route show)"
ip netns exec "$S" "$NTCTL" cc profile set default cwnd-gain 500
check "its default is its own" \
	jq -e '.[0].cwnd_gain == 200' <<<"$(nc -j cc profile show default)"
ip netns exec "$S" sysctl -qw net.ipv4.tcp_congestion_control=nt
ip netns exec "$S" $FLOW sink 10.0.0.2 5002 >/dev/null 2>&1 &
on_cleanup kill $!
ip netns exec "$C" $FLOW sink 10.0.0.1 5003 >/dev/null 2>&1 &
on_cleanup kill $!
ip netns exec "$S" $FLOW send 10.0.0.1 5003 0 --until "$stop" >/dev/null &
p1=$!
check "a connection from the server's namespace runs its default (cwnd_gain 5)" \
	wait_for 20 bash -c "ip netns exec '$S' ss -tinH dst 10.0.0.1 | grep -q 'cwnd_gain:5'"
touch "$stop"
wait $p1
rm -f "$stop"

# --- privileges -------------------------------------------------------
nobody() { ip netns exec "$C" setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
out=$(nobody "$NTCTL" cc profile add nope 2>&1)
check "unprivileged add refused (exit 2, EPERM)" \
	test $? = 2 -a -n "$(grep -i 'not permitted' <<<"$out")"
check_fails "unprivileged set refused" nobody "$NTCTL" cc profile set default cwnd-gain 300
check_fails "unprivileged route add refused" nobody "$NTCTL" cc route add 10.9.0.0/16 profile default
check_fails "unprivileged profile del refused" nobody "$NTCTL" cc profile del six
check "unprivileged reading is open" nobody "$NTCTL" cc profile show
check "nothing changed" jq -e 'map(.name) == ["default", "six", "lossy", "dc", "prt"]' \
	<<<"$(nc -j cc profile show)"
if nobody unshare -Urn true 2>/dev/null; then
	check "CAP_NET_ADMIN in the namespace's own user namespace suffices" \
		nobody unshare -Urn "$NTCTL" cc profile add mine
else
	ktap_log "no unprivileged user namespaces here: owner check skipped"
fi

# --- refused values, with their messages ------------------------------
# refused CMD... -- PATTERN: exit 2 and stderr matching PATTERN
refused() {
	local args=() out rc
	while [ "$1" != -- ]; do args+=("$1"); shift; done
	out=$(nc "${args[@]}" 2>&1)
	rc=$?
	if [ $rc = 2 ] && grep -q -- "$2" <<<"$out"; then
		nt_ok "refused: ${args[*]}"
	else
		nt_fail "refused: ${args[*]} (exit $rc: $out)"
	fi
}
# The ranges, from ntctl's help (both it and tcp_nt take them from
# uapi/linux/nt_cc_params.h): the kernel must refuse one past each end.
ranges=$("$NTCTL" cc help 2>&1 | sed -n 's/^ *\([a-z-]*\)  *\([0-9]*\)\.\.\([0-9]*\) .*/\1 \2 \3/p')
check "help: the ten parameters and their ranges" test "$(wc -l <<<"$ranges")" = 10
n=0
while read -r kw min max; do
	n=$((n + 1))
	[ "$min" -gt 0 ] && refused cc profile set default "$kw" $((min - 1)) -- \
		"attribute $kw, allowed $min..$max"
	refused cc profile set default "$kw" $((max + 1)) -- \
		"attribute $kw, allowed $min..$max"
	refused cc profile add "new$n" "$kw" 4294967295 -- "attribute $kw, allowed $min..$max"
done <<<"$ranges"
refused cc profile set default probe-rtt-interval 1000 probe-rtt-time 1000 -- \
	"probe-rtt-time must be shorter than probe-rtt-interval"
refused cc profile del default -- "default cannot be deleted"
refused cc profile add six -- "profile exists"
refused cc profile add 'a/b' -- "A-Za-z0-9_.-] (attribute profile)"
refused cc profile set nosuch min-cwnd 4 -- "no such profile"
refused cc route add 10.8.0.0/16 profile nosuch -- "no such profile"
refused cc route del 10.8.0.0/16 -- "no such route"
nc cc route add 10.8.0.0/16 profile six
refused cc route add 10.8.0.0/16 profile six -- "route exists"
check "route replace changes the profile" nc cc route replace 10.8.0.0/16 profile dc
check "... as route show says" \
	jq -e 'map(select(.prefix == "10.8.0.0/16")) | .[0].profile == "dc"' <<<"$(nc -j cc route show)"
out=$(nc cc profile add abcdefghijklmnop 2>&1)
check "a 16-character name is a usage error (exit 1)" test $? = 1
out=$(nc cc profile set default ecn maybe 2>&1)
check "ecn maybe is a usage error (exit 1)" test $? = 1
out=$(nc cc route add 10.0.0.0/33 profile six 2>&1)
check "a /33 is a usage error (exit 1)" test $? = 1
check "the refused values changed nothing" \
	jq -e '.[0] | .startup_gain == 277 and .cwnd_gain == 200 and .min_cwnd == 4 and .probe_rtt_interval_ms == 5000' \
	<<<"$(nc -j cc profile show default)"
check "help" bash -c "'$NTCTL' cc help | grep -q 'cwnd-gain  *100..1000 %'"
check "prefix-matched keywords" nc cc pro sh default

nt_finish
