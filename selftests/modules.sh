#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every ntkit module installed for the running kernel loads with modprobe
# (dependencies resolved by depmod) and unloads again, leaving nothing.
source "$(dirname "$0")/lib.sh"
require_root
require_cmd modprobe modinfo

krel=$(uname -r)
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$NT_LIBDIR/../dkms.conf")
check "dkms.conf names the version (${version:-none})" test -n "$version"
mods=$(find "/lib/modules/$krel" -path '*/ntkit/*.ko' -o -path '*/dkms/nt*.ko' 2>/dev/null |
	xargs -r -n1 basename | sed 's/\.ko$//' | sort -u)
[ -n "$mods" ] || skip "no ntkit module installed for $krel (make install)"

for m in $mods; do
	if grep -q "^$m " /proc/modules; then
		ktap_log "$m already loaded: not unloading it"
		continue
	fi
	check "modprobe $m" modprobe "$m"
	check "$m is live" grep -q "^$m .* Live " /proc/modules
	check "modinfo $m: GPL, version $version (dkms.conf's)" \
		test "$(modinfo -F license "$m") $(modinfo -F version "$m")" = "GPL $version"
	check "modprobe -r $m" modprobe -r "$m"
	check_fails "$m is gone" grep -q "^$m " /proc/modules
done

nt_finish
