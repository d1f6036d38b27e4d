#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The harness itself: two hosts over veth with netem between them carry
# IPv4 and IPv6 traffic, netem really shapes that traffic, and the hosts
# are gone after the test however it ends.
source "$(dirname "$0")/lib.sh"
require_root
require_cmd ip tc ping python3
# The harness is the same on every kernel, and nothing of ntkit runs here:
# Debian's kernel proves it, the slow debug kernel does not repeat it.
[ "$NT_SCALE" = 100 ] || skip "the harness is tested on Debian's kernel; nothing of ntkit runs in it"

a=$(host a) && b=$(host b) || skip "cannot create network namespaces"
link "$a" veth0 "$b" veth0
addr "$a" veth0 10.99.0.1/24 2001:db8:99::1/64
addr "$b" veth0 10.99.0.2/24 2001:db8:99::2/64
tc -n "$a" qdisc add dev veth0 root netem delay 5ms

check "IPv4 ping a -> b" ip netns exec "$a" ping -c 2 -i 0.2 -W 2 10.99.0.2
check "IPv6 ping a -> b" ip netns exec "$a" ping -6 -c 2 -i 0.2 -W 2 2001:db8:99::2

# netem is on the path: its counters move, and 100% loss stops traffic.
sent=$(tc -n "$a" -s qdisc show dev veth0 | awk '/Sent/ { print $4; exit }')
check "netem qdisc counted the pings ($sent packets)" test "${sent:-0}" -ge 4
tc -n "$a" qdisc change dev veth0 root netem loss 100%
check_fails "netem loss 100% drops the traffic" \
	ip netns exec "$a" ping -c 2 -i 0.2 -W 1 10.99.0.2
tc -n "$a" qdisc change dev veth0 root netem delay 1ms

# A TCP bulk transfer over IPv4 and IPv6 delivers every byte.
size=$(scaled 4194304 524288)
for dst in 10.99.0.2 2001:db8:99::2; do
	got=$(xfer "$b" "$a" "$dst" 5201 "$size")
	check "TCP transfer to $dst delivered $size bytes (got ${got:-0})" \
		test "${got:-0}" = "$size"
done

# Cleanup: a child test that creates hosts and ends normally, fails, or is
# killed must leave no netns and no veth behind.
child() {
	bash -c '
		source "$1/lib.sh"
		x=$(host x); y=$(host y)
		link "$x" v0 "$y" v0
		echo "$NT_PREFIX $(ip netns list | grep -c "^$NT_PREFIX-")"
		case "$2" in
		exit) exit 0 ;;
		fail) false; exit 1 ;;
		kill) kill -TERM $$; sleep 5 ;;
		esac' child "$(dirname "$0")" "$1" 2>/dev/null
}
for how in exit fail kill; do
	# $(...) waits for the child to end, cleanup included.
	out=$(child $how)
	read -r prefix made <<<"$out"
	left=$(ip netns list | grep -c "^$prefix-" || true)
	check "a test that ends by $how made $made hosts and left $left" \
		test -n "$prefix" -a "${made:-0}" = 2 -a "$left" = 0
done

nt_finish
