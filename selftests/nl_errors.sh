#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# How the three families refuse a request that lacks a required
# attribute, which ntctl never sends (helpers/nl_missing.py sends them
# raw): each one the same way, EINVAL with the missing attribute's type in
# the extended ack (ntctl prints its name) and a message that names it,
# at the top level and inside a nest.
source "$(dirname "$0")/lib.sh"
require_root
require_cmd ip python3 modprobe

for m in tcp_nt nt_policy nt_tun; do
	modprobe $m || skip "cannot load $m"
done
X=$(host x) || skip "cannot create network namespaces"
ip -n "$X" link add nt0 type nttun
out=$(ip netns exec "$X" python3 "$NT_LIBDIR/helpers/nl_missing.py" nt0)
while IFS= read -r line; do ktap_log "  $line"; done <<<"$out"
for fam in nt_cc nt_policy nt_tun; do
	check "$fam: every missing attribute reported by type and in words" \
		test "$(grep -c "^ok $fam " <<<"$out")" -ge 2 -a \
		"$(grep -c "^bad $fam " <<<"$out")" = 0
done
check "8 requests, each answered" test "$(grep -c '^ok ' <<<"$out")" = 8

nt_finish
