#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A hostile tenant: uid 65534 on the host, root of its own user namespace
# and netns (unshare -Urn), as any container on a fleet host may be. What
# it owns it may change; what lives in a netns it does not own, it may not;
# nothing it does may crash the host.
#  - an nttun device whose registration fails after ndo_init (an ifindex
#    that is taken) is refused cleanly, by the tenant and by root;
#  - a device the host created and moved into the tenant's netns: the
#    tenant may bring it up and change its peers and vni, but not the
#    listen port, fwmark, source ports, ttl or dscp, which act in the
#    host's netns; root may;
#  - the outer packets of a moved device leave the tenant's conntrack
#    entry behind (a cross-netns send is scrubbed).
source "$(dirname "$0")/lib.sh"
require_root
require_ntctl
require_cmd ip jq nft nsenter unshare setpriv ss ping modprobe

modprobe nt_tun 2>/dev/null

tenant_start || skip "cannot create an unprivileged user namespace"
tenant ip link set lo up

# --- registration fails after ndo_init --------------------------------------
# lo is ifindex 1 in every netns: the clash comes after ndo_init, and the
# kernel must unwind it (it used to unlist a device it had never listed).
out=$(tenant ip link add nt9 index 1 type nttun 2>&1)
check "tenant: an nttun with a taken ifindex is refused" \
	grep -qi "exists\|busy" <<<"$out"
check "tenant: ... and leaves no device behind" \
	test -z "$(tenant ip -o link show type nttun)"
check "tenant: it can still create an nttun of its own" \
	tenant ip link add nt8 type nttun
H=$(host h)
out=$(ip link add nt9 index 1 netns "$H" type nttun 2>&1)
check "root: the same, created into another netns, is refused" \
	grep -qi "exists\|busy" <<<"$out"
check "root: ... and leaves no device behind" \
	test -z "$(ip -n "$H" -o link show type nttun)"

# --- a device the host moved into the tenant's netns ------------------------
# H: the host's side, owned by the initial user namespace; P: a peer site
# over an IPv6 underlay. nt0 is created in H and moved to the tenant.
P=$(host p)
link "$H" hp "$P" ph
addr "$H" hp fd03::1/64
addr "$P" ph fd03::2/64
ip -n "$H" link add nt0 type nttun
ip -n "$P" link add nt0 type nttun
ip netns exec "$H" "$NTCTL" tunnel set nt0 listen-port 6000
ip netns exec "$P" "$NTCTL" tunnel set nt0 listen-port 6001
ip netns exec "$H" "$NTCTL" tunnel peer add nt0 id 1 \
	endpoint "[fd03::2]:6001" allowed-ips 10.8.1.0/24
ip netns exec "$P" "$NTCTL" tunnel peer add nt0 id 1 \
	endpoint "[fd03::1]:6000" allowed-ips 10.8.0.0/24
ip -n "$H" link set nt0 netns "/proc/$TPID/ns/net"
addr "$P" nt0 10.8.1.1/32
ip -n "$P" link set nt0 up
ip -n "$P" route add 10.8.0.0/16 dev nt0

tshow() { tenant "$NTCTL" -j tunnel show nt0 | jq -r ".[0].$1"; }
t_up() {
	tenant ip addr add 10.8.0.1/32 dev nt0 && tenant ip link set nt0 up &&
		tenant ip route add 10.8.0.0/16 dev nt0
}
check "tenant: sets the address, brings the moved device up" t_up
check "tenant: its up opened the socket in the host's netns, on the host's port" \
	grep -q ':6000 ' <(ip netns exec "$H" ss -uanH)
check "tenant: changes a setting of its own (vni)" \
	tenant "$NTCTL" tunnel set nt0 vni 9
check "tenant: ... and it took" test "$(tshow vni)" = 9

before=$(ip netns exec "$H" ss -uanH | sort)
# refused CMD...: CMD exits 2 and its message names CAP_NET_ADMIN.
refused() {
	local out rc
	out=$("$@" 2>&1)
	rc=$?
	ktap_log "ntctl said: $out"
	[ $rc = 2 ] && grep -q CAP_NET_ADMIN <<<"$out"
}
check "tenant: listen-port refused (exit 2) with a message naming CAP_NET_ADMIN" \
	refused tenant "$NTCTL" tunnel set nt0 listen-port 7000
check "tenant: ... the host's sockets did not change" \
	test "$(ip netns exec "$H" ss -uanH | sort)" = "$before"
check "tenant: ... the setting did not change" test "$(tshow listen_port)" = 6000
check "tenant: fwmark refused (exit 2) with a message naming CAP_NET_ADMIN" \
	refused tenant "$NTCTL" tunnel set nt0 fwmark 7
check "tenant: ... the mark did not change" test "$(tshow fwmark)" = 0
for s in "ttl 9" "dscp 46" "sport-range 53-53"; do
	check "tenant: $s refused, as it shapes the host's packets" \
		refused tenant "$NTCTL" tunnel set nt0 $s
done
check "tenant: ... none of them changed" \
	test "$(tshow ttl) $(tshow dscp) $(tshow sport_range)" = "inherit inherit 49152-65535"
check "tenant: a listen-port with other settings is refused whole" \
	refused tenant "$NTCTL" tunnel set nt0 vni 11 listen-port 7000
check "tenant: ... and none of them changed" test "$(tshow vni)" = 9
tenant "$NTCTL" tunnel set nt0 vni 0
check "root: sets the listen port of the device in the tenant's netns" \
	in_t "$NTCTL" tunnel set nt0 listen-port 6000 fwmark 0

# --- the outer packets leave the tenant's conntrack behind -----------------
# The tenant's netns tracks the inner ping; the host counts its outer UDP
# packets by the conntrack entry they carry out of its OUTPUT hook: the
# host's own (ct protocol udp), or the tenant's (ct protocol icmp) when
# the cross-netns send is not scrubbed.
in_t nft add table inet t
in_t nft add chain inet t o '{ type filter hook output priority 0; }'
in_t nft add rule inet t o ct state new,established counter
ctr=1
ip netns exec "$H" nft -f - 2>/dev/null <<'EOF' || ctr=0
table inet t {
	chain o {
		type filter hook output priority 0;
		udp dport 6001 ct protocol icmp counter name leaked
		udp dport 6001 ct protocol udp counter name own
	}
	counter leaked { }
	counter own { }
}
EOF
hcount() {
	ip netns exec "$H" nft -j list counter inet t "$1" |
		jq '.nftables[] | select(.counter) | .counter.packets'
}
check "tenant: ping through the moved device reaches the peer" \
	in_t ping -c 3 -i 0.2 -W 2 10.8.1.1
if [ $ctr = 1 ]; then
	check "host: the outer packets carry the host's conntrack entry" \
		test "$(hcount own)" -ge 3
	check "host: ... never the tenant's" test "$(hcount leaked)" = 0
	ktap_log "outer packets with the host's entry: $(hcount own), the tenant's: $(hcount leaked)"
else
	# the debug kernel's config has no nft named counters (NFT_OBJREF)
	why="this kernel's nftables has no named counters (CONFIG_NFT_OBJREF)"
	nt_ok "host: the outer packets carry the host's conntrack entry # SKIP $why"
	nt_ok "host: ... never the tenant's # SKIP $why"
fi

nt_finish
