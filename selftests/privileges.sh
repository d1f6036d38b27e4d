#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Who may do what: every ntctl command, ip link add/set/del of nttun, and
# tcp_nt's sysctl and setsockopt, run as
#   root       root in a netns of the initial user namespace;
#   nobody     uid 65534 in that netns;
#   dropped    root that opened its netlink socket, then became uid 65534
#              (tools/nt_dropuid.so): judged as the sender, not the opener;
#   tenant     root of a user namespace of uid 65534 in its own netns.
# root and the tenant may change and read everything they own; nobody and
# dropped are refused every change (exit 2, a message naming
# CAP_NET_ADMIN) and every read of nt_policy and nt_tun, which are as
# private as nft list and wg show; tcp_nt's profiles and routes are open
# to read, as routes and sysctls are. Whatever nobody, dropped and the
# tenant do, every dump of the host's netns and of init_net, and the UDP
# sockets there, stay as they were. (A device moved from the host into a
# tenant's netns: tenant.sh.)
source "$(dirname "$0")/lib.sh"
require_root
require_ntctl
require_cmd ip jq nsenter unshare setpriv ss python3 sysctl modprobe
make -s -C "$NT_LIBDIR/tools" >/dev/null || skip "cannot build tools/"
DROP=$NT_LIBDIR/tools/nt_dropuid.so
for m in tcp_nt nt_policy nt_tun; do modprobe $m || skip "cannot load $m"; done

H=$(host h)
tenant_start || skip "cannot create an unprivileged user namespace"

# as WHO CMD...: CMD as one of the identities, in its netns.
as() {
	local who=$1
	shift
	case $who in
	root) ip netns exec "$H" "$@" ;;
	nobody) ip netns exec "$H" setpriv --reuid 65534 --regid 65534 \
		--clear-groups -- "$@" ;;
	dropped) ip netns exec "$H" env LD_PRELOAD="$DROP" NT_DROP_UID=65534 "$@" ;;
	tenant) tenant "$@" ;;
	esac
}

# The state an owner sets up before the commands run (in H as root, in
# the tenant's netns as the tenant), and the commands, in an order that
# works for an owner. Each line: KIND NAME... where KIND says what the
# unprivileged get: "change" (refused), "read" (refused), "open" (allowed).
setup() {
	local w=$1
	as "$w" ip link set lo up
	as "$w" ip link add nt0 type nttun
	as "$w" "$NTCTL" tunnel peer add nt0 id 1 endpoint 192.0.2.1:5000 \
		allowed-ips 10.66.1.0/24
	as "$w" "$NTCTL" cc profile add p0 cwnd-gain 250
	as "$w" "$NTCTL" cc profile add base
	as "$w" "$NTCTL" cc route add 10.66.0.0/16 profile p0
	as "$w" "$NTCTL" policy add hook input proto tcp dport 23 action drop
}
# A commit file everyone may read: what is refused is the commit.
rules=$(mktemp) && [ -f "$rules" ] || skip "mktemp failed"
echo "hook input proto udp dport 9 action drop" > "$rules"
chmod 644 "$rules"
on_cleanup "rm -f $rules"
SETSOCK='import socket, sys
s = socket.socket()
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b"nt")
got = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, 16)
sys.exit(got.rstrip(b"\0") != b"nt")'
CMDS=(
	"open   cc profile show"
	"open   cc route show"
	"open   cc stats"
	"change cc profile add p1 cwnd-gain 300"
	"change cc profile set base cwnd-gain 300"
	"change cc route add 10.77.0.0/16 profile base"
	"change cc route del 10.66.0.0/16"
	"change cc profile del p0"
	"read   policy show"
	"read   policy export"
	"read   policy stats"
	"read   policy hook show"
	"change policy add hook input proto udp dport 7 action drop"
	"change policy commit $rules"
	"change policy del id ID"
	"change policy hook set input priority -100"
	"change policy flush"
	"read   tunnel show"
	"read   tunnel peer show nt0"
	"change tunnel set nt0 vni 5 ttl 9"
	"change tunnel set nt0 listen-port 7001 fwmark 3"
	"change tunnel peer add nt0 id 9 endpoint 192.0.2.9:1 allowed-ips 10.66.9.0/24"
	"change tunnel peer set nt0 id 1 keepalive 5"
	"change tunnel peer del nt0 id 1"
)
OTHER=(
	"change ip link add ntx type nttun"
	"change ip link set nt0 mtu 1300"
	"change ip link del nt0"
	"change sysctl -w net.ipv4.tcp_congestion_control=nt"
	"open   setsock"
)
# The commands run in one shell for each identity (a process each, not
# three: the debug kernel makes every exec slow). cmd LINE: the shell
# command of a line of CMDS or OTHER; a policy del takes the first rule
# the identity sees (rule 1 where it sees none).
res=$(mktemp -d) && [ -d "$res" ] || skip "mktemp failed"
chmod 755 "$res"
on_cleanup "rm -rf $res"
echo "$SETSOCK" > "$res/setsock.py"
cmd() {
	set -- $1
	shift
	case "$*" in
	"policy del id ID")
		echo "{ id=\$(\"$NTCTL\" -j policy show 2>/dev/null | jq '.[0].id // empty');" \
			"\"$NTCTL\" policy del id \${id:-1}; }" ;;
	setsock) echo "python3 $res/setsock.py" ;;
	ip*|sysctl*) echo "$*" ;;
	*) echo "\"$NTCTL\" $*" ;;
	esac
}
# batch WHO LINE...: the lines as WHO, in order, in one shell; line i's
# output in $out/i, its status in $out/i.rc
out=$(mktemp -d) && [ -d "$out" ] || skip "mktemp failed"
chmod 777 "$out"
on_cleanup "rm -rf $out"
batch() {
	local who=$1 i=0 l
	shift
	rm -f "$out"/*
	for l in "$@"; do
		i=$((i + 1))
		echo "$(cmd "$l") > $out/$i 2>&1; echo \$? > $out/$i.rc"
	done > "$res/script"
	as "$who" bash "$res/script"
}

# What the unprivileged must not change: every dump of H and of init_net,
# less the counters traffic moves, and the UDP sockets there.
STATIC='walk(if type == "object" then with_entries(select(.key |
	test("packets|bytes|drops|last_|verdicts") | not)) else . end)'
# world [NETNS]: the state of NETNS (default init_net).
world() {
	local x=()
	[ -n "${1:-}" ] && x=(ip netns exec "$1")
	"${x[@]}" "$NTCTL" -j cc profile show
	"${x[@]}" "$NTCTL" -j cc route show
	"${x[@]}" "$NTCTL" -j policy show | jq -cS "$STATIC"
	"${x[@]}" "$NTCTL" -j policy hook show | jq -cS "$STATIC"
	"${x[@]}" "$NTCTL" -j tunnel show | jq -cS "$STATIC"
	"${x[@]}" ip -j -d link show | jq -cS 'map(del(.ifindex))'
	"${x[@]}" sysctl -n net.ipv4.tcp_congestion_control
	"${x[@]}" ss -uanH | sort
}

init_before=$(world)
setup root
before=$(world "$H")
for who in nobody dropped; do
	bad=
	lines=("${CMDS[@]}")
	for line in "${OTHER[@]}"; do
		# No netlink socket, so nothing to open before dropping.
		[ $who = dropped ] && [[ $line != *" ip "* ]] && continue
		lines+=("$line")
	done
	batch $who "${lines[@]}"
	i=0
	for line in "${lines[@]}"; do
		i=$((i + 1))
		kind=${line%% *}
		rc=$(cat "$out/$i.rc")
		o=$(cat "$out/$i")
		case $kind:$line in
		open:*) [ "$rc" = 0 ] || bad+="[${line#* } refused: $o] " ;;
		*" ip "*|*sysctl*) [ "$rc" != 0 ] || bad+="[${line#* } allowed] " ;;
		*) [ "$rc" = 2 ] && grep -q CAP_NET_ADMIN <<<"$o" ||
			bad+="[${line#* } allowed or unclear: $rc $o] " ;;
		esac
	done
	check "$who: each change refused with exit 2 and a message naming CAP_NET_ADMIN; policy and tunnel unreadable; cc readable" \
		test -z "$bad"
	[ -z "$bad" ] || ktap_log "$who: $bad"
	check "$who: ... and nothing in the netns changed" \
		test "$(world "$H")" = "$before"
done
# Events: nobody's monitor of policy or tunnel ends at once, refused; its
# monitor of cc sees the change root makes (made again until it shows, as
# the monitor may not be listening yet).
nobody_mon() {
	ip netns exec "$H" setpriv --reuid 65534 --regid 65534 --clear-groups -- \
		"$NTCTL" monitor "$@"
}
mon_refused() {
	local out rc
	out=$(timeout 120 ip netns exec "$H" setpriv --reuid 65534 --regid 65534 \
		--clear-groups -- "$NTCTL" monitor "$1" 2>&1)
	rc=$?
	ktap_log "monitor $1 as nobody: status $rc: $out"
	[ $rc != 124 ] && [ $rc != 0 ] && grep -q "not permitted" <<<"$out"
}
check "nobody: may not listen to policy events" mon_refused policy
check "nobody: may not listen to tunnel events" mon_refused tunnel
mon=$(mktemp) && [ -f "$mon" ] || skip "mktemp failed"
on_cleanup "rm -f $mon"
nobody_mon cc > "$mon" 2>&1 &
on_cleanup "kill $!"
cc_event() {
	as root "$NTCTL" cc profile set base cwnd-gain 310 &&
		grep -q base "$mon"
}
check "nobody: may listen to cc events" wait_for 60 cc_event

# The owners: root in H, the tenant in its own netns, every command works.
setup tenant
for who in root tenant; do
	bad=
	batch $who "${CMDS[@]}" "${OTHER[@]}"
	i=0
	for line in "${CMDS[@]}" "${OTHER[@]}"; do
		i=$((i + 1))
		[ "$(cat "$out/$i.rc")" = 0 ] || bad+="[${line#* }: $(cat "$out/$i")] "
	done
	check "$who: every command works on what it owns" test -z "$bad"
	[ -z "$bad" ] || ktap_log "$who: $bad"
done
check "nobody, dropped, the tenant: nothing in init_net changed" \
	test "$(world)" = "$init_before"

nt_finish
