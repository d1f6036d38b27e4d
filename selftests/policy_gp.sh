#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nt_policy's changes and netns teardown wait for no RCU grace period in
# its own code (kprobes on synchronize_rcu() and its expedited form, and
# the stack of each wait). Needs kprobe events (Debian's kernel); skipped
# elsewhere.
source "$(dirname "$0")/lib.sh"
require_root
require_ntctl
require_cmd ip jq modprobe awk
modprobe nt_policy || skip "cannot load nt_policy"
nt() { local ns=$1; shift; ip netns exec "$ns" "$NTCTL" "$@"; }

# --- grace periods ---------------------------------------------------------
# No change waits for an RCU grace period in nt_policy's code: a flush
# that drops ten hook registrations (before: one synchronize_net() each,
# under the ruleset's lock, so that every change waited ten times), nor
# netns exit (before: one each, so that a batch of teardowns waited once
# per namespace; now the core's one wait between pre_exit and exit).
# kprobes on synchronize_rcu() and its expedited form (what
# synchronize_net() calls) record the stack of every wait.
K=$NT_TRACE/kprobe_events
kprobes() {
	[ -d $NT_TRACE/events ] || mount -t tracefs nodev $NT_TRACE 2>/dev/null
	[ -w $K ] || return 1
	on_cleanup "echo 0 > $NT_TRACE/events/ntgp/enable; unprobe"
	echo 'p:ntgp/sync synchronize_rcu' >> $K &&
		echo 'p:ntgp/exp synchronize_rcu_expedited' >> $K &&
		echo 'p:ntgp/exit nt_pol_net_exit' >> $K || return 1
	trace_event ntgp 1 || return 1
	echo 1 > $NT_TRACE/options/stacktrace
	on_cleanup "echo 0 > $NT_TRACE/options/stacktrace"
}
# (only ours: others' probes stay)
unprobe() { local e; for e in sync exp exit; do echo "-:ntgp/$e" >> $K; done 2>/dev/null; }
# waits in nt_policy's code since the trace was cleared
our_waits() {
	awk '/<stack trace>/ { next }
	     /\((synchronize_rcu|synchronize_rcu_expedited)\+/ { w = 1; next }
	     / => / && w && /nt_pol/ { n++; w = 0 }
	     !/ => / { w = 0 } END { print n + 0 }' $NT_TRACE/trace
}
exits() { grep -c '(nt_pol_net_exit+' $NT_TRACE/trace; }
if kprobes; then
	G=$(host g)
	all=$(mktemp)
	for hk in prerouting input forward output postrouting; do
		echo "hook $hk family ip proto udp dport 9 action count"
		echo "hook $hk family ip6 proto udp dport 9 action count"
	done > "$all"
	nt "$G" policy commit "$all" >/dev/null
	regs=$(nt "$G" -j policy hook show | jq '[.[] | select(.registered)] | length')
	echo > $NT_TRACE/trace
	nt "$G" policy flush
	ktap_log "a flush that unhooked $regs hooks: $(grep -c '(synchronize_rcu' $NT_TRACE/trace) waits in all, $(our_waits) in nt_policy"
	check "a flush that drops $regs hooks' registrations waits for no grace period in nt_policy" \
		test "$regs $(our_waits)" = "5 0"
	gone=()
	for i in 1 2 3 4; do
		gone+=("$(host gp$i)")
		nt "${gone[-1]}" policy commit "$all" >/dev/null
	done
	echo > $NT_TRACE/trace
	for g in "${gone[@]}"; do ip netns del "$g"; done
	four() { [ "$(exits)" -ge 4 ]; }
	wait_for 60 four
	ktap_log "4 namespaces with 10 hooks each torn down: $(exits) exits, $(our_waits) waits in nt_policy"
	# (other namespaces may end meanwhile: at least our 4 exits)
	check "the teardown of 4 namespaces with hooks waits for no grace period in nt_policy" \
		test "$(exits)" -ge 4 -a "$(our_waits)" = 0
	echo 0 > $NT_TRACE/options/stacktrace
	echo 0 > $NT_TRACE/events/ntgp/enable
	unprobe
	ip netns del "$G"
	rm -f "$all"
else
	skip "no kprobe events in this kernel"
fi


nt_finish
