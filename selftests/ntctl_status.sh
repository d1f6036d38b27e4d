#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ntctl core: `ntctl status` against the kernel's own view of the generic
# netlink families (iproute2's genl), JSON output, netns, batch mode,
# keyword prefixes, help and exit statuses.
source "$(dirname "$0")/lib.sh"
require_root
require_ntctl
require_cmd genl jq ip

# Every ntkit family genl knows is "loaded" in ntctl, and only those.
# Asking for a family by name loads its module (MODULE_ALIAS_GENL_FAMILY),
# so genl is asked first and ntctl's dump, which loads nothing, after.
declare -A genl_has
for fam in nt_cc nt_policy nt_tun; do
	if genl ctrl get name "$fam" >/dev/null 2>&1; then genl_has[$fam]=true; else genl_has[$fam]=false; fi
done
json=$("$NTCTL" -j status)
check "status -j exits 0 with valid JSON" jq -e 'type == "array"' <<<"$json"
for fam in nt_cc nt_policy nt_tun; do
	want=${genl_has[$fam]}
	check "status: $fam loaded=$want, as genl says" \
		jq -e --arg f "$fam" --argjson w "$want" \
		'[.[] | select(.family == $f)] | length == 1 and .[0].loaded == $w' <<<"$json"
done
check "status text and prefix-matched keyword agree" \
	diff <("$NTCTL" status) <("$NTCTL" st)

# A known family: the test-only nt_test (version 1, two ops, "events").
mod=${NTKIT_TEST_MODULES:-}/nt_genl_test.ko
if [ -f "$mod" ] && insmod "$mod" 2>/dev/null; then
	on_cleanup rmmod nt_genl_test
	json=$("$NTCTL" -j status)
	id=$(genl ctrl get name nt_test | sed -n 's/.*ID: \(0x[0-9a-f]*\).*/\1/p')
	check "status finds nt_test with genl's id ($id)" \
		jq -e --argjson id "$((id))" \
		'.[] | select(.family == "nt_test") | .loaded and .id == $id and .version == 1' <<<"$json"
	check "status lists nt_test's two ops, SET needing CAP_NET_ADMIN" \
		jq -e '.[] | select(.family == "nt_test") | .n_ops == 2 and
			([.ops[] | select(.cmd == 2) | .flags | index("uns-admin")] | length == 1) and
			([.ops[] | select(.cmd == 1) | .flags | index("uns-admin")] == [null])' <<<"$json"
	check "status lists nt_test's multicast group events" \
		jq -e '.[] | select(.family == "nt_test") | [.groups[].name] == ["events"]' <<<"$json"
	check "status nt_test resolves the one family by name" \
		jq -e --argjson id "$((id))" 'length == 1 and .[0].id == $id' \
		<<<"$("$NTCTL" -j status nt_test)"
	check "status text shows nt_test" \
		bash -c "'$NTCTL' status | grep -q '^nt_test .* version 1 .* groups events'"
	rmmod nt_genl_test
	check "status forgets nt_test once unloaded" \
		bash -c "! '$NTCTL' -j status | jq -e '.[] | select(.family == \"nt_test\")'"
else
	ktap_log "nt_genl_test.ko not available: family checks limited"
fi

# A family that is not there is the kernel's refusal: exit 2, and said.
for fam in nt_cc nt_policy nt_tun; do
	genl ctrl get name "$fam" >/dev/null 2>&1 && continue
	out=$("$NTCTL" status "$fam" 2>&1)
	rc=$?
	check "status $fam (not loaded) exits 2 and names the module" \
		test $rc = 2 -a -n "$(grep "Error: family $fam is not in this kernel" <<<"$out")"
done
"$NTCTL" status nlctrl >/dev/null 2>&1
check "status of a family outside nt_* is a usage error (exit 1)" test $? = 1

# -n NETNS enters the namespace; a missing one is a usage error.
ns=$(host n)
check "-n NETNS runs status inside the namespace" "$NTCTL" -n "$ns" status
"$NTCTL" -n "$NT_PREFIX-missing" status >/dev/null 2>&1
check "-n with a missing namespace exits 1" test $? = 1

# Usage errors exit 1 with a message; help exits 0 at every level.
out=$("$NTCTL" nosuchobject 2>&1)
rc=$?
check "unknown object exits 1 and says so" \
	test $rc = 1 -a -n "$(grep 'Error: object "nosuchobject" is unknown' <<<"$out")"
"$NTCTL" status extra >/dev/null 2>&1
check "unknown argument exits 1" test $? = 1
check "ntctl help exits 0" "$NTCTL" help
check "ntctl status help exits 0" "$NTCTL" status help
check "ntctl -V prints the version" bash -c "'$NTCTL' -V | grep -q '^ntctl '"

# Batch: the failing line is named; -force goes on past it.
batch=$(mktemp)
on_cleanup rm -f "$batch"
printf 'status\n# comment\n\nstatus bogus\nstatus\n' > "$batch"
out=$("$NTCTL" -b "$batch" 2>&1)
rc=$?
check "batch stops at the failing line, named FILE:4, exit 1" \
	test $rc = 1 -a "$(grep -c "Command failed $batch:4" <<<"$out")" = 1 \
	-a "$(grep -c '^nt_cc ' <<<"$out")" = 1
out=$("$NTCTL" -force -b "$batch" 2>&1)
check "batch -force runs the lines after the failure" \
	test "$(grep -c '^nt_cc ' <<<"$out")" = 2
out=$(printf 'status\n' | "$NTCTL" -j -b - 2>&1)
check "batch from stdin" jq -e 'type == "array"' <<<"$out"

nt_finish
