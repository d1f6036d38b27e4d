/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntkit: the kernel API differences between the kernels ntkit builds for,
 * in one place. Each is tested on the headers of the kernel built against
 * (the root Kbuild greps them and defines NT_HAVE_*), not guessed from a
 * version number, which a distribution's backports would belie.
 */
#ifndef _NT_COMPAT_H
#define _NT_COMPAT_H

#include <linux/netdevice.h>
#include <net/genetlink.h>

/* get_unaligned_be64() and friends: <linux/unaligned.h> since 6.12. */
#ifdef NT_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * What a family's pre_doit and post_doit are given: struct genl_split_ops
 * since 6.2 (NT_HAVE_GENL_SPLIT_OPS), struct genl_ops before.
 */
#ifdef NT_HAVE_GENL_SPLIT_OPS
#define nt_genl_split_ops genl_split_ops
#else
#define nt_genl_split_ops genl_ops
#endif

/* The attributes of a dump's request: in its struct genl_info since 6.6. */
static inline struct nlattr **nt_genl_dump_attrs(struct netlink_callback *cb)
{
#ifdef NT_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/* kvrealloc() lost its old-size argument in 6.12. */
#ifdef NT_HAVE_KVREALLOC_SIZE
#define nt_kvrealloc(p, oldsize, newsize, gfp)	kvrealloc(p, newsize, gfp)
#else
#define nt_kvrealloc(p, oldsize, newsize, gfp)	kvrealloc(p, oldsize, newsize, gfp)
#endif

/*
 * A trace event's string field: __assign_str() takes the source from the
 * field's __string() since 6.10.
 */
#ifdef NT_HAVE_ASSIGN_STR_DST
#define nt_assign_str(dst, src)	__assign_str(dst)
#else
#define nt_assign_str(dst, src)	__assign_str(dst, src)
#endif

/*
 * tcp_congestion_ops.cong_control is given the ACK's sequence and flags
 * (FLAG_*) since 6.10. NT_CONG_CONTROL(name, fn) defines @name, the
 * kernel's hook, calling fn(sk, ack, flag, rs); before 6.10 ack and flag
 * are 0 (unknown).
 */
#ifdef NT_HAVE_CONG_CONTROL_ACK
#define NT_CONG_CONTROL(name, fn)					\
static void name(struct sock *sk, u32 ack, int flag,			\
		 const struct rate_sample *rs)				\
{									\
	fn(sk, ack, flag, rs);						\
}
#else
#define NT_CONG_CONTROL(name, fn)					\
static void name(struct sock *sk, const struct rate_sample *rs)	\
{									\
	fn(sk, 0, 0, rs);						\
}
#endif

/* Lockless transmit: a flag of its own since 6.12, a feature before. */
static inline void nt_netdev_lltx(struct net_device *dev)
{
#ifdef NT_HAVE_NETDEV_LLTX
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

#endif /* _NT_COMPAT_H */
