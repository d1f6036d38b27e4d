/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nt_tun: the wire format and the per-packet arithmetic that needs no
 * socket or device (KUnit tests it in tests/nt_tun_kunit.c).
 */
#ifndef _NT_TUN_WIRE_H
#define _NT_TUN_WIRE_H

#include <linux/types.h>
#include <linux/nt_tun.h>

/* The 8 bytes after the UDP header; see uapi/linux/nt_tun.h. */
struct nt_tun_hdr {
	u8 ver_flags;		/* version << 4 | flags */
	u8 proto;		/* NT_TUN_PROTO_* */
	__be16 reserved;
	__be32 vni;
};

enum nt_tun_parse {
	NT_TUN_PARSE_OK,
	NT_TUN_PARSE_SHORT,	/* fewer than NT_TUN_HDR_LEN bytes */
	NT_TUN_PARSE_VERSION,	/* not NT_TUN_VERSION */
	NT_TUN_PARSE_PROTO,	/* unknown inner protocol */
};

void nt_tun_hdr_build(struct nt_tun_hdr *h, u8 proto, u32 vni);

/*
 * Check the @len bytes at @data as a header; on NT_TUN_PARSE_OK, *@proto
 * and *@vni hold its inner protocol and network id.
 */
enum nt_tun_parse nt_tun_hdr_parse(const void *data, unsigned int len,
				   u8 *proto, u32 *vni);

/*
 * RFC 6040 decapsulation: the ECN field (two low bits) to give the inner
 * packet from the arriving @inner and @outer fields, or -1 to drop (CE on
 * a Not-ECT inner).
 */
int nt_tun_ecn_decap(u8 inner, u8 outer);

/* RFC 6040 encapsulation, normal mode: the outer ECN field. */
static inline u8 nt_tun_ecn_encap(u8 inner)
{
	return inner & 3;
}

/* The outer source port for flow hash @hash, within [@min, @max]. */
u16 nt_tun_sport(u32 hash, u16 min, u16 max);

#endif /* _NT_TUN_WIRE_H */
