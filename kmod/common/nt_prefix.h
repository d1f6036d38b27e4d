/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntkit prefix table: longest-prefix match over IPv4 and IPv6 prefixes.
 *
 * A path-compressed binary trie per family. Readers run under
 * rcu_read_lock() and take no lock; writers are serialized by a mutex the
 * caller owns and names at init (lockdep checks it). Lookup visits at most
 * one node per distinct prefix length on the path, so its cost is bounded
 * by the address length (32 or 128), whatever the number of entries.
 *
 * nt_common.ko exports these in the NTKIT symbol namespace:
 * users say MODULE_IMPORT_NS(NTKIT).
 *
 * Values are opaque non-NULL pointers owned by the caller. When the table
 * hands a value back (replace, delete, flush) a reader may still hold it:
 * the caller frees it after a grace period. Trie nodes are freed by the
 * table after a grace period.
 */
#ifndef _NT_PREFIX_H
#define _NT_PREFIX_H

#include <linux/types.h>
#include <linux/rcupdate.h>
#include <linux/mutex.h>
#include <linux/socket.h>

struct nt_prefix_node;

struct nt_prefix_table {
	struct nt_prefix_node __rcu *root4;
	struct nt_prefix_node __rcu *root6;
	struct mutex *lock;	/* the caller's writer lock */
	unsigned int entries;	/* prefixes holding a value */
	unsigned int nodes;	/* entries + internal (glue) nodes */
	u64 generation;		/* bumped by every change */
};

/* One prefix: family AF_INET or AF_INET6, address in network order. */
struct nt_prefix {
	u8 family;
	u8 cidr;
	union {
		__be32 ip4;
		struct in6_addr ip6;
		u8 bytes[16];
	} addr;
};

void nt_prefix_table_init(struct nt_prefix_table *t, struct mutex *lock);

/*
 * Insert @p with @value. An existing exact prefix is replaced unless
 * @noreplace, in which case -EEXIST is returned; the replaced value is
 * stored in *@old (NULL if none). The address bits past the prefix length
 * are ignored. Returns 0, -EINVAL (bad family/cidr/NULL value), -EEXIST or
 * -ENOMEM.
 */
int nt_prefix_insert(struct nt_prefix_table *t, const struct nt_prefix *p,
		     void *value, bool noreplace, void **old, gfp_t gfp);

/*
 * Nodes set aside so that inserts cannot fail for memory: a change that
 * must be all-or-nothing reserves first, before it touches the table,
 * then inserts with nt_prefix_insert_reserved(). Owned by the caller,
 * zeroed before first use ({}); what is left over is freed with
 * nt_prefix_reserve_free(). Not tied to a table.
 */
struct nt_prefix_reserve {
	struct nt_prefix_node *free;	/* linked through child[0] */
	unsigned int count;
};

/*
 * Set aside enough nodes for @inserts more inserts (at most two each).
 * Returns 0 or -ENOMEM; on -ENOMEM what was set aside stays in @r.
 */
int nt_prefix_reserve(struct nt_prefix_reserve *r, unsigned int inserts,
		      gfp_t gfp);

void nt_prefix_reserve_free(struct nt_prefix_reserve *r);

/*
 * nt_prefix_insert() taking its nodes from @r, never from the allocator:
 * with enough reserved it fails only with -EINVAL or -EEXIST; -ENOMEM
 * means @r ran short, and leaves the table unchanged.
 */
int nt_prefix_insert_reserved(struct nt_prefix_table *t,
			      const struct nt_prefix *p, void *value,
			      bool noreplace, void **old,
			      struct nt_prefix_reserve *r);

/* Remove the exact prefix @p; returns its value or NULL if absent. */
void *nt_prefix_delete(struct nt_prefix_table *t, const struct nt_prefix *p);

/* The value of the exact prefix @p, or NULL. Under the lock or RCU. */
void *nt_prefix_get(struct nt_prefix_table *t, const struct nt_prefix *p);

/*
 * Longest-prefix match of @addr (network order, 4 or 16 bytes by @family).
 * Under rcu_read_lock(). Returns the value or NULL; the matched prefix
 * length goes to *@cidr when @cidr is not NULL.
 */
void *nt_prefix_lookup(const struct nt_prefix_table *t, int family,
		       const void *addr, u8 *cidr);

typedef int (*nt_prefix_walk_fn)(const struct nt_prefix *p, void *value,
				 void *arg);

/*
 * Call @fn for every entry of @family (AF_UNSPEC: IPv4 then IPv6) that
 * comes after the prefix @after (NULL: from the first), under the lock.
 * The order is IPv4 before IPv6, then by address, a prefix before the
 * longer ones it covers: (address, cidr) order. @after need not be in the
 * table, so a netlink dump resumes after the last prefix it sent even if
 * that one was deleted since, and finding the place costs one descent,
 * not a walk over what was sent. Stops at the first non-zero return of
 * @fn and returns it; -EINVAL if @after is not a valid prefix.
 */
int nt_prefix_walk(struct nt_prefix_table *t, int family,
		   const struct nt_prefix *after, nt_prefix_walk_fn fn,
		   void *arg);

/*
 * Remove every entry, calling @fn (may be NULL) on each value so that the
 * caller can release it after a grace period. Under the lock.
 */
void nt_prefix_flush(struct nt_prefix_table *t,
		     void (*fn)(void *value, void *arg), void *arg);

/* Parse helpers shared by the modules' netlink code. */
static inline unsigned int nt_prefix_max_cidr(int family)
{
	return family == AF_INET ? 32 : family == AF_INET6 ? 128 : 0;
}

/*
 * Clear the address bits of @p past its length: 10.1.2.3/8 becomes
 * 10.0.0.0/8. The table ignores them; a caller that compares prefixes or
 * prints them back masks first.
 */
static inline void nt_prefix_mask(struct nt_prefix *p)
{
	unsigned int i, bits = p->cidr;
	unsigned int len = p->family == AF_INET ? 4 : 16;

	for (i = 0; i < sizeof(p->addr.bytes); i++) {
		p->addr.bytes[i] &= i >= len ? 0 : bits >= 8 ? 0xff :
				    (u8)(0xff00 >> bits);
		bits = bits > 8 ? bits - 8 : 0;
	}
}

#endif /* _NT_PREFIX_H */
