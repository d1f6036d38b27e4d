// SPDX-License-Identifier: GPL-2.0
/*
 * ntctl: the ntkit objects and their generic netlink families, in one
 * table that every command, status and monitor use: the family's name,
 * the module that registers it, its attribute names for errors, and the
 * events it multicasts.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/nt_cc.h>
#include <linux/nt_policy.h>
#include <linux/nt_tun.h>
#include <linux/ntkit.h>

#include "ntctl.h"
#include "cc.h"
#include "nl.h"
#include "policy.h"
#include "tunnel.h"

#define EVENTS(e) .events = e, .n_events = sizeof(e) / sizeof(e[0])

static const struct nl_event cc_events[] = {
	{ NT_CC_CMD_PROFILE_NEW, "profile", "add" },
	{ NT_CC_CMD_PROFILE_SET, "profile", "set" },
	{ NT_CC_CMD_PROFILE_DEL, "profile", "del" },
	{ NT_CC_CMD_ROUTE_NEW, "route", "add" },
	{ NT_CC_CMD_ROUTE_DEL, "route", "del" },
};

static const struct nl_event policy_events[] = {
	{ NT_POL_CMD_COMMIT, "policy", "commit" },
	{ NT_POL_CMD_HOOK_SET, "hook", "set" },
};

static const struct nl_event tunnel_events[] = {
	{ NT_TUN_CMD_DEV_SET, "tunnel", "set" },
	{ NT_TUN_CMD_PEER_NEW, "peer", "add" },
	{ NT_TUN_CMD_PEER_SET, "peer", "set" },
	{ NT_TUN_CMD_PEER_DEL, "peer", "del" },
	{ NT_TUN_CMD_PEER_CONTACT, "peer", "contact" },
};

const struct nl_object nl_objects[NL_N_OBJECTS] = {
	[NL_OBJ_CC] = { "cc", NT_CC_GENL_NAME, "tcp_nt",
			cc_attr_names, NT_CC_A_MAX + 1,
			EVENTS(cc_events), cc_print_event },
	[NL_OBJ_POLICY] = { "policy", NT_POLICY_GENL_NAME, "nt_policy",
			    policy_attr_names, NT_POL_A_MAX + 1,
			    EVENTS(policy_events), policy_print_event },
	[NL_OBJ_TUNNEL] = { "tunnel", NT_TUN_GENL_NAME, "nt_tun",
			    tunnel_attr_names, NT_TUN_A_MAX + 1,
			    EVENTS(tunnel_events), tunnel_print_event },
};

int nl_object_family(const struct nl_object *o, struct nl_family *f)
{
	int err = nl_family(o->family, f);

	if (err == -ENOENT)
		fprintf(stderr, "Error: family %s is not in this kernel (is module %s loaded?).\n",
			o->family, o->module);
	else if (err)
		fprintf(stderr, "Error: cannot resolve family %s: %s.\n",
			o->family, strerror(-err));
	return err;
}

int nl_object_talk(const struct nl_object *o, struct nl_req *r, nl_msg_cb cb,
		   void *arg)
{
	if (!nl_talk(r, cb, arg, o->names, o->n_names))
		return EXIT_OK;
	return r->err ? EXIT_USAGE : EXIT_KERNEL;
}

struct nlmsghdr *nl_object_req(struct nl_req *r, void *buf, size_t size,
			       const struct nl_family *f, uint8_t cmd,
			       uint16_t flags)
{
	return nl_req_init(r, buf, size, f->id, NTKIT_GENL_VERSION, cmd, flags);
}
