// SPDX-License-Identifier: GPL-2.0
/*
 * A test-only generic netlink family, "nt_test", so that the tests of
 * `ntctl status` have a known family to find: version 1, two operations
 * (one open, one needing CAP_NET_ADMIN) and a multicast group "events".
 */
#include <linux/module.h>
#include <net/genetlink.h>

enum { NT_TEST_CMD_UNSPEC, NT_TEST_CMD_GET, NT_TEST_CMD_SET };
enum { NT_TEST_A_UNSPEC, NT_TEST_A_VALUE, __NT_TEST_A_MAX };

static const struct nla_policy nt_test_policy[__NT_TEST_A_MAX] = {
	[NT_TEST_A_VALUE] = { .type = NLA_U32 },
};

static int nt_test_noop(struct sk_buff *skb, struct genl_info *info)
{
	return 0;
}

static const struct genl_small_ops nt_test_ops[] = {
	{ .cmd = NT_TEST_CMD_GET, .doit = nt_test_noop },
	{ .cmd = NT_TEST_CMD_SET, .doit = nt_test_noop,
	  .flags = GENL_UNS_ADMIN_PERM },
};

static const struct genl_multicast_group nt_test_mcgrps[] = {
	{ .name = "events" },
};

static struct genl_family nt_test_family __ro_after_init = {
	.name = "nt_test",
	.version = 1,
	.maxattr = __NT_TEST_A_MAX - 1,
	.policy = nt_test_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.small_ops = nt_test_ops,
	.n_small_ops = ARRAY_SIZE(nt_test_ops),
	.mcgrps = nt_test_mcgrps,
	.n_mcgrps = ARRAY_SIZE(nt_test_mcgrps),
};

static int __init nt_genl_test_init(void)
{
	return genl_register_family(&nt_test_family);
}

static void __exit nt_genl_test_exit(void)
{
	genl_unregister_family(&nt_test_family);
}

module_init(nt_genl_test_init);
module_exit(nt_genl_test_exit);
MODULE_DESCRIPTION("ntkit test-only generic netlink family");
MODULE_LICENSE("GPL");
