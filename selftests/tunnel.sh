#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nt_tun: a hub A with two sites, B over an IPv4 underlay and C over an
# IPv6 one. IPv4 and IPv6 in IPv4 and in IPv6; each inner prefix goes to
# its own peer (per-peer counters on both ends); TCP through the tunnel
# (GSO), and one segment per packet merged by the UDP GRO hooks; a
# spoofed inner source, an unknown sender, a wrong network id and a bad
# header dropped and counted by reason; ICMP frag-needed and
# packet-too-big reach the sender; a capture decoded to the documented
# format; keepalives on the wire; events; the drop and first-contact
# tracepoints; the device moved to another netns keeps working; 1,000
# peers and a peer with 2,000 allowed-ips dumped whole; unprivileged
# users refused; malformed settings refused with their messages; tunnels
# nested two deep carry traffic and a packet nested 40 deep is taken in;
# device deletion and module unload under traffic.
source "$(dirname "$0")/lib.sh"
require_root
require_ntctl
require_cmd ip jq python3 modprobe setpriv ping timeout ethtool ss

WIRE="python3 $NT_LIBDIR/helpers/tun_wire.py"
A=$(host a)
B=$(host b)
C=$(host c)
link "$A" ub "$B" ua
link "$A" uc "$C" ua
addr "$A" ub 192.168.1.1/24
addr "$B" ua 192.168.1.2/24 192.168.1.9/24
addr "$A" uc fd02::1/64
addr "$C" ua fd02::2/64

nt() { local ns=$1; shift; ip netns exec "$ns" "$NTCTL" "$@"; }
# peer NS ID KEY: one counter of a peer on nt0
pc() { nt "$1" -j tunnel peer show nt0 id "$2" | jq -r ".[0].$3"; }
# dc NS KEY: a device-wide drop counter of nt0
dc() { nt "$1" -j tunnel show nt0 | jq -r ".[0].drops.$2"; }

modprobe nt_tun 2>/dev/null
for h in "$A" "$B" "$C"; do
	ip -n "$h" link add nt0 type nttun || { skip "cannot create nttun"; }
done
check "ip -d link show prints the kind" \
	grep -q nttun <(ip -n "$A" -d link show nt0)
nt "$A" tunnel set nt0 listen-port 5000
nt "$B" tunnel set nt0 listen-port 5001
nt "$C" tunnel set nt0 listen-port 5002
addr "$A" nt0 10.9.0.1/32 fd09::1/128
addr "$B" nt0 10.9.1.1/32 fd09:1::1/128
addr "$C" nt0 10.9.2.1/32 fd09:2::1/128
for h in "$A" "$B" "$C"; do
	ip -n "$h" link set nt0 up
	ip -n "$h" route add 10.9.0.0/16 dev nt0
	ip -n "$h" -6 route add fd09::/16 dev nt0
done
check "peer B added (IPv4 endpoint)" nt "$A" tunnel peer add nt0 id 1 \
	endpoint 192.168.1.2:5001 allowed-ips 10.9.1.0/24,fd09:1::/64
check "peer C added (IPv6 endpoint)" nt "$A" tunnel peer add nt0 id 2 \
	endpoint "[fd02::2]:5002" allowed-ips 10.9.2.0/24,fd09:2::/64
nt "$B" tunnel peer add nt0 id 10 endpoint 192.168.1.1:5000 \
	allowed-ips 10.9.0.0/24,fd09::/64
nt "$C" tunnel peer add nt0 id 20 endpoint "[fd02::1]:5000" \
	allowed-ips 10.9.0.0/24,fd09::/64
check "the listen port is bound" \
	test "$(nt "$A" -j tunnel show nt0 | jq '.[0].bound_port')" = 5000

p() { ip netns exec "$1" ping -c 2 -i 0.2 -W 2 "$2" >/dev/null; }
check "IPv4 in IPv4 (A -> B)" p "$A" 10.9.1.1
check "IPv6 in IPv4 (A -> B)" p "$A" fd09:1::1
check "IPv4 in IPv6 (A -> C)" p "$A" 10.9.2.1
check "IPv6 in IPv6 (A -> C)" p "$A" fd09:2::1
check "IPv4 in IPv4 (B -> A)" p "$B" 10.9.0.1
check "IPv6 in IPv6 (C -> A)" p "$C" fd09::1

# routing by inner prefix: B's traffic counts on peer 1 only
t1=$(pc "$A" 1 tx_packets); t2=$(pc "$A" 2 tx_packets)
r2=$(pc "$C" 20 rx_packets)
p "$A" 10.9.1.1
check "traffic to B's prefix leaves by peer 1" \
	test "$(pc "$A" 1 tx_packets)" -ge $((t1 + 2))
check "and not by peer 2" test "$(pc "$A" 2 tx_packets)" = "$t2"
check "C received none of it" test "$(pc "$C" 20 rx_packets)" = "$r2"
check "B counts A's packets and the time of the last" \
	test "$(pc "$B" 10 last_rx_ns)" != null
size=$(scaled 8000000 1000000)
n=$(xfer "$B" "$A" 10.9.1.1 7001 "$size")
check "TCP through the tunnel ($size bytes, GSO) arrives whole" test "$n" = "$size"
n=$(xfer "$C" "$A" fd09:2::1 7002 "$size")
check "TCP IPv6 in IPv6 arrives whole" test "$n" = "$size"

# GRO: A sends TCP one segment per packet (no TSO or GSO on its nt0, no
# TSO on the underlay, so veth hands the packets to B's GRO); B's UDP
# GRO hooks merge them, so B's nt0 takes in fewer packets than peer 10
# counts segments (the device counts packets, the peer segments).
rxp() { ip -n "$1" -j -s link show nt0 | jq '.[0].stats64.rx.packets'; }
ip netns exec "$A" ethtool -K nt0 tso off gso off >/dev/null
ip netns exec "$A" ethtool -K ub tso off >/dev/null
ip netns exec "$B" ethtool -K ua gro on >/dev/null
s0=$(pc "$B" 10 rx_packets); d0=$(rxp "$B")
n=$(xfer "$B" "$A" 10.9.1.1 7003 "$size")
check "TCP sent one segment per packet arrives whole" test "$n" = "$size"
segs=$(($(pc "$B" 10 rx_packets) - s0)); pkts=$(($(rxp "$B") - d0))
echo "# GRO: $segs segments arrived in $pkts packets"
check "B's UDP GRO hooks merged them (at least 2 segments a packet)" \
	test "$segs" -ge $((2 * pkts))
ip netns exec "$A" ethtool -K nt0 tso on gso on >/dev/null
ip netns exec "$A" ethtool -K ub tso on >/dev/null
ip netns exec "$B" ethtool -K ua gro off >/dev/null
check "no peer for a destination: ICMP unreachable, counted" \
	grep -q "Unreachable" <(ip netns exec "$A" ping -c 1 -W 1 10.9.7.7)
check "... as no-peer" test "$(dc "$A" no_peer)" -ge 1

# --- drops by reason ----------------------------------------------------
addr "$B" nt0 10.9.5.1/32
s0=$(pc "$A" 1 drops.spoofed)
check_fails "a spoofed inner source gets no answer" \
	ip netns exec "$B" ping -c 2 -i 0.2 -W 1 -I 10.9.5.1 10.9.0.1
check "... and is counted as spoofed on peer 1" \
	test "$(pc "$A" 1 drops.spoofed)" -ge $((s0 + 2))
u0=$(dc "$A" unknown_sender)
ip netns exec "$B" $WIRE send 192.168.1.9 192.168.1.1 5000 1004000000000000 \
	ping4 10.9.1.1 10.9.0.1
check "an unknown sender is dropped and counted" \
	wait_for 10 eval 'test "$(dc "$A" unknown_sender)" -gt "$u0"'
b0=$(pc "$A" 1 drops.bad_header)
ip netns exec "$B" $WIRE send 192.168.1.2 192.168.1.1 5000 2004000000000000 \
	ping4 10.9.1.1 10.9.0.1
ip netns exec "$B" $WIRE send 192.168.1.2 192.168.1.1 5000 1063000000000000
ip netns exec "$B" $WIRE send 192.168.1.2 192.168.1.1 5000 1004
check "bad version, unknown proto, truncated: bad-header x3" \
	wait_for 10 eval 'test "$(pc "$A" 1 drops.bad_header)" -ge $((b0 + 3))'
nt "$B" tunnel set nt0 vni 7
check_fails "a wrong network id gets no answer" p "$B" 10.9.0.1
check "... and is counted as wrong-vni" test "$(pc "$A" 1 drops.wrong_vni)" -ge 2
nt "$A" tunnel set nt0 vni 7
check "the same network id on both ends works again" p "$B" 10.9.0.1
nt "$A" tunnel set nt0 vni 0
nt "$B" tunnel set nt0 vni 0

# --- RFC 6040 on receive, and the checksum of what it changes -----------
# B computes its UDP checksums in software (tx offload off), so A checks
# each outer datagram in software and hands the inner packet up as
# CHECKSUM_COMPLETE. Writing the combined ECN field into the inner header
# must keep that sum right: a wrong one makes the inner UDP (over 76
# bytes: not checked again in full) a checksum error, and it is dropped.
# ecn V SRC DST OUTER-DS INNER-DS...: inner UDP datagrams (IPv4 or IPv6),
# one per pair of DS fields, in order, from B's SRC to A's DST:7100;
# prints the DS field the first to arrive came with.
ecn() {
	local v=$1 src=$2 dst=$3 hdr=1004000000000000 r rpid
	shift 3
	[ "$v" = 6 ] && hdr=1029000000000000
	r=$(mktemp)
	ip netns exec "$A" $WIRE recv "$dst" 7100 30 >"$r" 2>"$r.err" &
	rpid=$!
	wait_for 10 grep -q ready "$r.err"
	while [ $# -ge 2 ]; do
		ip netns exec "$B" $WIRE send --tos "$1" 192.168.1.2 192.168.1.1 \
			5000 $hdr "udp$v" "$src" "$dst" 7100 "$2" 200
		shift 2
	done
	wait $rpid
	jq -r .ds "$r"
	rm -f "$r" "$r.err"
}
csum6() { ip netns exec "$A" awk '$1 == "Udp6InCsumErrors" { print $2 }' /proc/net/snmp6; }
ip netns exec "$B" ethtool -K ua tx off >/dev/null
e0=$(csum6)
check "RFC 6040: CE outer, ECT(0) inner IPv6 UDP arrives as CE" \
	test "$(ecn 6 fd09:1::1 fd09::1 3 2)" = 3
check "RFC 6040: ECT(1) outer, ECT(0) inner IPv6 UDP arrives as ECT(1)" \
	test "$(ecn 6 fd09:1::1 fd09::1 1 2)" = 1
check "... and neither is an inner UDP checksum error" test "$(csum6)" = "$e0"
check "RFC 6040: CE outer, ECT(0) inner IPv4 UDP arrives as CE" \
	test "$(ecn 4 10.9.1.1 10.9.0.1 3 2)" = 3
x0=$(pc "$A" 1 drops.ecn)
check "RFC 6040: CE outer on a Not-ECT inner is not delivered (the next is)" \
	test "$(ecn 6 fd09:1::1 fd09::1 3 0 0 2)" = 2
check "... and is counted as ecn on peer 1" test "$(pc "$A" 1 drops.ecn)" = $((x0 + 1))
ktap_log "ecn: peer 1 $(nt "$A" -j tunnel peer show nt0 id 1 | jq -c '.[0] | {rx_packets, drops}'), Udp6InCsumErrors $(csum6)"
ip netns exec "$B" ethtool -K ua tx on >/dev/null

# --- PMTU ---------------------------------------------------------------
ip -n "$A" link set nt0 mtu 1500
out=$(ip netns exec "$A" ping -c 1 -W 1 -M do -s 1472 10.9.1.1 2>&1)
check "IPv4 over IPv4: frag-needed with mtu 1464 reaches the sender" \
	grep -qE "mtu ?[=:]? ?1464" <<<"$out"
out=$(ip netns exec "$A" ping -6 -c 1 -W 1 -M do -s 1452 fd09:2::1 2>&1)
check "IPv6 over IPv6: packet-too-big with mtu 1444 reaches the sender" \
	grep -qE "mtu ?[=:]? ?1444" <<<"$out"
check "... counted as too-big" test "$(dc "$A" too_big)" -ge 2
ip -n "$A" link set nt0 mtu 1444

# --- the wire format ------------------------------------------------------
nt "$A" tunnel set nt0 vni 305419896 sport-range 40000-40099 ttl 33 dscp 10
nt "$B" tunnel set nt0 vni 305419896
cap=$(mktemp)
ip netns exec "$B" $WIRE capture ua 5001 1 10 >"$cap" 2>"$cap.err" &
cpid=$!
wait_for 10 grep -q ready "$cap.err"
ip netns exec "$A" ping -c 1 -W 1 -Q 0x02 10.9.1.1 >/dev/null
wait $cpid
ktap_log "captured: $(head -c 400 "$cap")"
# one packet was captured and it satisfies the jq expression
jqc() { jq -se "length == 1 and (.[0] | $1)" "$cap" >/dev/null; }
check "capture: outer IPv4 UDP from A to B's port" \
	jqc '.family == "inet" and .src == "192.168.1.1" and .dport == 5001'
check "capture: source port from the configured range" \
	jqc '.sport >= 40000 and .sport <= 40099'
check "capture: fixed TTL 33 and DSCP 10, ECN copied (ECT(0))" \
	jqc '.ttl == 33 and .ds == (10 * 4 + 2)'
check "capture: header version 1, flags 0, proto 4, reserved 0" \
	jqc '.header.version == 1 and .header.flags == 0 and .header.proto == 4 and .header.reserved == 0'
check "capture: network id 305419896 (0x12345678)" jqc '.header.vni == 305419896'
check "capture: the inner IPv4 packet from 10.9.0.1 to 10.9.1.1" \
	jqc '.inner.src == "10.9.0.1" and .inner.dst == "10.9.1.1" and .inner.proto == 1'
check "capture: UDP length = 8 + 8 + inner" jqc '.udp_len == 16 + .payload_len'
nt "$A" tunnel set nt0 vni 0 sport-range 49152-65535 ttl inherit dscp inherit
nt "$B" tunnel set nt0 vni 0
rm -f "$cap" "$cap.err"

# --- keepalives and events --------------------------------------------------
mon=$(mktemp)
ip netns exec "$A" "$NTCTL" -j monitor tunnel >"$mon" 2>&1 &
mpid=$!
on_cleanup kill $mpid
# The monitor listens once an event of ours shows up. A peer added and
# deleted once more then marks where the events under test begin:
# netlink keeps their order, so once the marker's add is in, only its
# del is still due.
# mon_mark NS: that, on NS's monitor; sets n0 to the marker's last line.
mon_mark() {
	local ns=$1
	mark() {
		nt "$ns" tunnel peer add nt0 id 9 endpoint "$1:9" allowed-ips 10.9.99.0/24 &&
			nt "$ns" tunnel peer del nt0 id 9
	}
	seen() { mark 192.0.2.9 && grep -q '192.0.2.9:9' "$mon"; }
	wait_for 10 seen
	mark 192.0.2.99
	wait_for 10 grep -q '192.0.2.99:9' "$mon"
	last_del9() { tail -n 1 "$mon" | jq -e '.event == "del" and .id == 9'; }
	wait_for 10 last_del9
	n0=$(wc -l < "$mon")
}
ours() { tail -n +$((n0 + 1)) "$mon"; }
mon_mark "$A"
ip netns exec "$C" $WIRE capture ua 5002 2 8 >"$mon.cap" 2>"$mon.err" &
cpid=$!
wait_for 10 grep -q ready "$mon.err"
nt "$A" tunnel peer set nt0 id 2 keepalive 1
wait $cpid
check "keepalives on the wire: header only, proto 0, from port 5000" \
	test "$(jq -s '[.[] | select(.header.proto == 0 and .payload_len == 0 and .sport == 5000)] | length' "$mon.cap")" -ge 2
nt "$A" tunnel peer set nt0 id 2 keepalive 0
nt "$A" tunnel peer add nt0 id 3 endpoint 192.0.2.3:9 allowed-ips 10.9.3.0/24
nt "$A" tunnel peer del nt0 id 3
has_del() { ours | grep -q '"del"'; }
wait_for 10 has_del
check "events: peer set (keepalive on, off), add, del, in order" \
	test "$(ours | jq -r '.event' | tr '\n' ' ')" = "set set add del "
check "events carry the device and the peer" \
	test "$(ours | jq -r 'select(.event == "add") | "\(.dev) \(.id) \(.endpoint)"')" = "nt0 3 192.0.2.3:9"
kill $mpid 2>/dev/null
# first contact: a fresh peer on B, then a packet from A
nt "$B" tunnel peer del nt0 id 10
ip netns exec "$B" "$NTCTL" -j monitor tunnel >"$mon" 2>&1 &
mpid=$!
on_cleanup kill $mpid
mon_mark "$B"
nt "$B" tunnel peer add nt0 id 10 endpoint 192.168.1.1:5000 \
	allowed-ips 10.9.0.0/24,fd09::/64
p "$A" 10.9.1.1
has_contact() { ours | grep -q '"contact"'; }
check "first contact is an event" wait_for 10 has_contact
kill $mpid 2>/dev/null
rm -f "$mon" "$mon.cap" "$mon.err"

# --- tracepoints -------------------------------------------------------------
# A drop on transmit (inner addresses), a spoofed inner source (inner,
# after decapsulation), an unknown sender (outer), and a first contact.
tracing() {
	trace_event nt_tun/nt_tun_drop "$1" && trace_event nt_tun/nt_tun_contact "$1"
}
if tracing 1; then
	echo > $NT_TRACE/trace
	ip netns exec "$A" ping -c 1 -W 1 10.9.7.7 >/dev/null
	ip netns exec "$B" ping -c 1 -W 1 -I 10.9.5.1 10.9.0.1 >/dev/null
	ip netns exec "$B" $WIRE send 192.168.1.9 192.168.1.1 5000 1004000000000000 \
		ping4 10.9.1.1 10.9.0.1
	nt "$B" tunnel peer del nt0 id 10
	nt "$B" tunnel peer add nt0 id 10 endpoint 192.168.1.1:5000 \
		allowed-ips 10.9.0.0/24,fd09::/64
	p "$A" 10.9.1.1
	# a keepalive to an endpoint with no route, dropped before it has
	# any header: the event must show no addresses, not stale bytes
	nt "$A" tunnel peer add nt0 id 4 endpoint 198.51.100.4:9 keepalive 1
	ka() { grep -q "peer=4 reason=no-route" $NT_TRACE/trace; }
	wait_for 10 ka
	nt "$A" tunnel peer del nt0 id 4
	tracing 0
	tl() { grep -q "$1" $NT_TRACE/trace; }
	check "tracepoint nt_tun_drop: no peer on transmit, inner destination" \
		tl "nt_tun_drop: dev=nt0 peer=0 reason=no-peer src=.* dst=::ffff:10.9.7.7$"
	check "tracepoint nt_tun_drop: spoofed, from peer 1, inner addresses" \
		tl "nt_tun_drop: dev=nt0 peer=1 reason=spoofed src=::ffff:10.9.5.1 dst=::ffff:10.9.0.1$"
	check "tracepoint nt_tun_drop: unknown sender, outer addresses" \
		tl "nt_tun_drop: dev=nt0 peer=0 reason=unknown-sender src=::ffff:192.168.1.9 dst=::ffff:192.168.1.1$"
	check "tracepoint nt_tun_drop: a keepalive with no route, no addresses" \
		tl "nt_tun_drop: dev=nt0 peer=4 reason=no-route src=:: dst=::$"
	ktap_log "keepalive drop: $(grep -m1 'peer=4 reason=no-route' $NT_TRACE/trace | sed 's/.*reason=//')"
	check "tracepoint nt_tun_contact: peer 10 and its endpoint" \
		tl "nt_tun_contact: dev=nt0 peer=10 endpoint=\[::ffff:192.168.1.1\]:5000$"
	ktap_log "trace: $(grep -m6 nt_tun_ $NT_TRACE/trace | sed 's/.*: nt_tun_/nt_tun_/' | tr '\n' '|')"
else
	nt_fail "tracepoints nt_tun:nt_tun_drop and nt_tun_contact are not in tracefs"
fi

# --- the device moves; its socket stays -----------------------------------
B2=$(host b2)
ip -n "$B" link set nt0 netns "$B2"
addr "$B2" nt0 10.9.1.1/32
ip -n "$B2" link set nt0 up
ip -n "$B2" route add 10.9.0.0/16 dev nt0
check "after a netns move the device still carries traffic" p "$A" 10.9.1.1
check "its UDP socket stayed in the creating netns" \
	grep -q ':5001' <(ip netns exec "$B" ss -uanH)
moved() {
	local n
	n=$(ip netns exec "$B2" "$NTCTL" -j tunnel show nt0 | jq '.[0].peer_count')
	[ "$n" = 1 ] || { ktap_log "peers: $n"; ip netns exec "$B2" "$NTCTL" tunnel show >&2; return 1; }
}
check "the moved device is configured in its new netns" moved

# --- many peers, many allowed-ips -------------------------------------------
batch=$(mktemp)
for i in $(seq 1000 1999); do
	echo "tunnel peer add nt0 id $i endpoint 198.18.$((i / 250)).$((i % 250 + 1)):7000 allowed-ips 10.$((100 + i / 250)).$((i % 250)).0/24"
done >"$batch"
check "1,000 peers added in one batch" nt "$A" -b "$batch"
check "1,000 more peers listed" \
	test "$(nt "$A" -j tunnel peer show nt0 | jq length)" = 1002
check "traffic still finds its peer among 1,002" p "$A" 10.9.1.1
list=$(python3 -c 'print(",".join("fd77:%x::/32" % i for i in range(1500)))')
check "one peer with 1,500 allowed-ips" \
	nt "$A" tunnel peer set nt0 id 1999 allowed-ips "$list"
check "its dump spans messages and comes back whole" \
	test "$(nt "$A" -j tunnel peer show nt0 id 1999 | jq '.[0].allowed_ips | length')" = 1500
counts=$(nt "$A" -j tunnel show nt0 | jq -r '"\(.[0].peer_count) \(.[0].allowed_ip_count)"')
check "device counts: 1,002 peers, 2,503 allowed-ips" test "$counts" = "1002 2503"
rm -f "$batch"

# --- permissions and malformed settings ----------------------------------
as_nobody() { ip netns exec "$A" setpriv --reuid 65534 --regid 65534 --clear-groups "$NTCTL" "$@"; }
check_fails "an unprivileged user may not read (endpoints are private)" \
	as_nobody tunnel show nt0
check_fails "an unprivileged user may not add a peer" \
	as_nobody tunnel peer add nt0 id 5 endpoint 192.0.2.5:1
check_fails "nor change settings" as_nobody tunnel set nt0 vni 1
check_fails "nor delete a peer" as_nobody tunnel peer del nt0 id 1
# refused MESSAGE-REGEX NTCTL-ARGS...: exit 2 and the kernel's message
refused() {
	local re=$1 out rc
	shift
	out=$(nt "$A" "$@" 2>&1)
	rc=$?
	[ $rc = 2 ] && grep -qE "$re" <<<"$out" || { echo "# rc=$rc: $out"; return 1; }
}
# ntctl's own refusals: exit 1, its message, nothing sent
usage_refused() {
	local re=$1 out rc
	shift
	out=$(nt "$A" "$@" 2>&1)
	rc=$?
	[ $rc = 1 ] && grep -qE "$re" <<<"$out" || { echo "# rc=$rc: $out"; return 1; }
}
dscp_was=$(nt "$A" -j tunnel show nt0 | jq -r '.[0].dscp')
check "dscp 64 (what inherit is stored as) refused by ntctl: 0..63 or inherit" \
	usage_refused "from 0 to 63, or inherit" tunnel set nt0 dscp 64
check "dscp 65 refused by ntctl: 0..63 or inherit" \
	usage_refused "from 0 to 63, or inherit" tunnel set nt0 dscp 65
check "the device's dscp did not change ($dscp_was)" \
	test "$(nt "$A" -j tunnel show nt0 | jq -r '.[0].dscp')" = "$dscp_was"
check "source port 0 refused" refused "sport-range" tunnel set nt0 sport-range 0-10
check "source port range min > max refused" refused "min <= max" tunnel set nt0 sport-range 9000-8000
check "keepalive 3601 refused with its range" \
	refused "keepalive.*0\.\.3600" tunnel peer set nt0 id 1 keepalive 3601
check "peer id 0 refused by ntctl, which names 1..4294967295" \
	usage_refused "from 1 to 4294967295" tunnel peer add nt0 id 0 endpoint 192.0.2.1:1
check "a keyword given twice refused by ntctl" \
	usage_refused "keepalive given twice" tunnel peer set nt0 id 1 keepalive 1 keepalive 2
check "allowed-ips with an empty element refused by ntctl" \
	usage_refused "an empty element" tunnel peer set nt0 id 1 allowed-ips 10.9.0.0/24,
check "endpoint port 0 refused" refused "port must be 1\.\.65535" \
	tunnel peer add nt0 id 5 endpoint 192.0.2.5:0
check "multicast endpoint refused" refused "unicast" \
	tunnel peer add nt0 id 5 endpoint 224.0.0.1:1
check "duplicate id refused" refused "exists" \
	tunnel peer add nt0 id 1 endpoint 192.0.2.77:1
check "duplicate endpoint refused" refused "another peer" \
	tunnel peer add nt0 id 5 endpoint 192.168.1.2:5001
check "unknown peer refused" refused "no such peer" tunnel peer del nt0 id 77
check "unknown device refused" refused "no such nttun device" tunnel set ub vni 1
check "the max_peers limit is a clear error" bash -c "
	echo 1002 > /sys/module/nt_tun/parameters/max_peers
	out=\$(ip netns exec $A $NTCTL tunnel peer add nt0 id 5 endpoint 192.0.2.5:1 2>&1)
	rc=\$?
	echo 65536 > /sys/module/nt_tun/parameters/max_peers
	[ \$rc = 2 ] && grep -q max_peers <<<\"\$out\""

# --- peer changes are all or nothing --------------------------------------
# A refused PEER_NEW or PEER_SET changes nothing: the dump (ids, endpoints,
# keepalives, allowed-ips in order) is the same after it, and traffic to
# the allowed-ip it would have moved (B's 10.9.1.0/24, peer 1's) still
# leaves by peer 1.
snap() { nt "$A" -j tunnel peer show nt0 | jq -c 'map({id, endpoint, keepalive, allowed_ips})'; }
by_peer1() {
	local t1
	t1=$(pc "$A" 1 tx_packets)
	p "$A" 10.9.1.1 && test "$(pc "$A" 1 tx_packets)" -ge $((t1 + 2))
}
# unchanged DESCRIPTION NTCTL-ARGS...
unchanged() {
	local desc=$1 before rc
	shift
	before=$(snap)
	nt "$A" "$@" >/dev/null 2>&1
	rc=$?
	check "$desc: refused" test $rc != 0
	check "... every peer as it was" test "$(snap)" = "$before"
	check "... and 10.9.1.0/24 still leaves by peer 1" by_peer1
}
devcount() { nt "$A" -j tunnel show nt0 | jq -r ".[0].$1"; }
PARAM=/sys/module/nt_tun/parameters
echo "$(devcount peer_count)" > $PARAM/max_peers
unchanged "a new peer past max_peers" tunnel peer add nt0 id 60 \
	endpoint 192.0.2.60:1 keepalive 5 allowed-ips 10.9.1.0/24
echo 65536 > $PARAM/max_peers
echo "$(devcount allowed_ip_count)" > $PARAM/max_allowedips
unchanged "a new peer past max_allowedips" tunnel peer add nt0 id 60 \
	endpoint 192.0.2.60:1 allowed-ips 10.9.1.0/24,10.61.0.0/16
unchanged "a peer set past max_allowedips" tunnel peer set nt0 id 1000 \
	endpoint 192.0.2.61:1 keepalive 5 \
	allowed-ips 10.9.1.0/24,10.61.0.0/16,10.62.0.0/16
echo 262144 > $PARAM/max_allowedips
unchanged "a new peer with a taken id" tunnel peer add nt0 id 2 \
	endpoint 192.0.2.62:1 allowed-ips 10.9.1.0/24
unchanged "a new peer with a taken endpoint" tunnel peer add nt0 id 60 \
	endpoint 192.168.1.2:5001 allowed-ips 10.9.1.0/24
unchanged "a peer set to a taken endpoint" tunnel peer set nt0 id 1000 \
	endpoint 192.168.1.2:5001 keepalive 5 allowed-ips 10.9.1.0/24
check "a peer set that moves 10.9.1.0/24 takes it" \
	nt "$A" tunnel peer set nt0 id 1000 allowed-ips 10.9.1.0/24,10.104.0.0/24
check_fails "... from peer 1" by_peer1
check "and peer 1 takes it back" \
	nt "$A" tunnel peer set nt0 id 1 allowed-ips 10.9.1.0/24,fd09:1::/64
check "... and carries it again" by_peer1

# --- a tunnel in a tunnel -------------------------------------------------
# A decapsulated packet goes up the stack at once, but one decapsulated
# inside that delivery is queued (gro_cells), so nesting cannot recurse.
# Tunnel k (port 6000+k, 10.10.k.1 on A, 10.10.k.2 on B) is carried by
# tunnel k-1. Two levels carry ping and TCP; then a hand-made packet 40
# deep (it fits veth's 1,500 bytes) must reach B's 40th tunnel. Taken
# up at once all the way down, it overflows the kernel's stack.
DEEP=40
ba=$(mktemp); bb=$(mktemp); nba=$(mktemp); nbb=$(mktemp)
on_cleanup rm -f "$ba" "$bb" "$nba" "$nbb"
pa=192.168.1.1; pb=192.168.1.2
for i in $(seq 1 $DEEP); do
	mtu=""
	[ "$i" -le 2 ] && mtu="mtu $((1500 - 36 * i))"
	[ "$i" -le 2 ] && cat >>"$ba" <<-EOT
		link add t$i $mtu type nttun
		link set t$i up
		addr add 10.10.$i.1/32 dev t$i
		route add 10.10.$i.2/32 dev t$i
	EOT
	[ "$i" -le 2 ] && cat >>"$nba" <<-EOT
		tunnel set t$i listen-port $((6000 + i))
		tunnel peer add t$i id 1 endpoint $pb:$((6000 + i)) allowed-ips 10.10.$i.2/32
	EOT
	cat >>"$bb" <<-EOT
		link add t$i $mtu type nttun
		link set t$i up
		addr add 10.10.$i.2/32 dev t$i
		route add 10.10.$i.1/32 dev t$i
	EOT
	cat >>"$nbb" <<-EOT
		tunnel set t$i listen-port $((6000 + i))
		tunnel peer add t$i id 1 endpoint $pa:$((6000 + i)) allowed-ips 10.10.$i.1/32
	EOT
	pa=10.10.$i.1; pb=10.10.$i.2
done
nest() { ip -n "$A" -b "$ba" && ip -n "$B" -b "$bb" && nt "$A" -b "$nba" && nt "$B" -b "$nbb"; }
check "$DEEP nested tunnels set up on B, 2 on A" nest
check "two nested tunnels carry ping" p "$A" 10.10.2.2
n=$(xfer "$B" "$A" 10.10.2.2 7010 1000000)
check "... and TCP (1 MB arrives whole)" test "$n" = 1000000
deep() { nt "$B" -j tunnel peer show t$DEEP id 1 | jq -e '.[0].rx_packets == 1'; }
ip netns exec "$A" $WIRE send 192.168.1.1 192.168.1.2 6001 \
	1004000000000000 nest4 $DEEP 6000
check "a packet $DEEP tunnels deep reaches the innermost" wait_for 5 deep

# --- listen-port 0: a port free for IPv4 and IPv6 alike ----------------------
# Where a try's IPv6 port is taken, its IPv4 socket is given back at once
# (not yet a tunnel, it waits for no grace period) and another port tried.
P=$(host p)
ip netns exec "$P" sysctl -qw net.ipv4.ip_local_port_range="40000 40002"
held=$(mktemp)
on_cleanup rm -f "$held"
ip netns exec "$P" python3 -c '
import socket, time
s = []
for p in (40000, 40001):
    x = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    x.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    x.bind(("::", p))
    s.append(x)
print("held", flush=True)
time.sleep(120)' >"$held" &
holder=$!
on_cleanup "kill $holder"
wait_for 10 grep -q held "$held"
ip -n "$P" link add nt0 type nttun
check "listen-port 0 with IPv6 ports 40000-40001 taken: the device comes up" \
	ip -n "$P" link set nt0 up
check "... on 40002, the one port free for both" \
	test "$(nt "$P" -j tunnel show nt0 | jq '.[0].bound_port')" = 40002
v4left() {
	ip netns exec "$P" ss -Hnul '( sport = :40000 or sport = :40001 )' |
		grep -v '\[::\]'
}
check "... and no IPv4 socket of a try given up stays bound" \
	test -z "$(v4left)"
kill "$holder" 2>/dev/null

# --- deletion and unload under traffic ------------------------------------
ip netns exec "$A" ping -f -W 1 10.9.2.1 >/dev/null 2>&1 &
f1=$!
ip netns exec "$C" ping -f -W 1 10.9.0.1 >/dev/null 2>&1 &
f2=$!
# the floods cross the tunnel both ways before anything goes
t2=$(pc "$A" 2 rx_packets)
t20=$(pc "$C" 20 rx_packets)
crossing() {
	[ "$(pc "$A" 2 rx_packets)" -ge $((t2 + 200)) ] &&
		[ "$(pc "$C" 20 rx_packets)" -ge $((t20 + 200)) ]
}
check "the floods cross the tunnel" wait_for 30 crossing
check "device deleted under traffic" ip -n "$C" link del nt0
sleep 0.5
check "module unloads with devices and traffic" \
	wait_for 10 modprobe -r nt_tun
kill $f1 $f2 2>/dev/null
wait $f1 $f2 2>/dev/null
check "every nttun device went with the module" \
	bash -c "! ip -n $A link show nt0 2>/dev/null"
nt_finish
