#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the given test scripts as kselftest does: KTAP, one result a script,
# each script's own lines indented as comments, exit 4 meaning skip, the
# timeout from ./settings (kselftest_override_timeout=SECONDS in the
# environment overrides it, as in kselftest's runner).
cd "$(dirname "$0")" || exit 1
timeout=${kselftest_override_timeout:-$(sed -n 's/^timeout=//p' settings 2>/dev/null)}
n=0
failed=0
echo "TAP version 13"
echo "1..$#"
for t in "$@"; do
	n=$((n + 1))
	echo "# selftests: ntkit: $t"
	out=$(mktemp)
	t0=$(date +%s)
	timeout "${timeout:-600}" "./$t" > "$out" 2>&1
	rc=$?
	sed 's/^/# /' "$out"
	echo "# $t took $(($(date +%s) - t0)) s"
	reason=$(sed -n 's/^# SKIP: //p' "$out" | head -n 1)
	rm -f "$out"
	case $rc in
	0) echo "ok $n selftests: ntkit: $t" ;;
	4) echo "ok $n selftests: ntkit: $t # SKIP ${reason:-skipped}" ;;
	124) echo "not ok $n selftests: ntkit: $t # TIMEOUT ${timeout}s"; failed=1 ;;
	*) echo "not ok $n selftests: ntkit: $t # exit=$rc"; failed=1 ;;
	esac
done
exit $failed
