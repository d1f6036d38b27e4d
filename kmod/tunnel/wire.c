// SPDX-License-Identifier: GPL-2.0
/*
 * nt_tun: header build and parse, the RFC 6040 ECN tables, source ports.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <net/inet_ecn.h>
#include "wire.h"

void nt_tun_hdr_build(struct nt_tun_hdr *h, u8 proto, u32 vni)
{
	h->ver_flags = NT_TUN_VERSION << 4;
	h->proto = proto;
	h->reserved = 0;
	h->vni = cpu_to_be32(vni);
}

enum nt_tun_parse nt_tun_hdr_parse(const void *data, unsigned int len,
				   u8 *proto, u32 *vni)
{
	const struct nt_tun_hdr *h = data;

	if (len < NT_TUN_HDR_LEN)
		return NT_TUN_PARSE_SHORT;
	if (h->ver_flags >> 4 != NT_TUN_VERSION)
		return NT_TUN_PARSE_VERSION;
	switch (h->proto) {
	case NT_TUN_PROTO_NONE:
	case NT_TUN_PROTO_IPV4:
	case NT_TUN_PROTO_IPV6:
		break;
	default:
		return NT_TUN_PARSE_PROTO;
	}
	*proto = h->proto;
	*vni = be32_to_cpu(h->vni);
	return NT_TUN_PARSE_OK;
}

/*
 * RFC 6040 section 4.2, figure 4: rows are the arriving inner field,
 * columns the arriving outer field, both Not-ECT, ECT(1), ECT(0), CE in
 * the order of their codepoints (0, 1, 2, 3).
 */
static const s8 nt_tun_ecn_decap_table[4][4] = {
	/* outer:      Not-ECT         ECT(1)          ECT(0)          CE */
	[INET_ECN_NOT_ECT] = { INET_ECN_NOT_ECT, INET_ECN_NOT_ECT,
			       INET_ECN_NOT_ECT, -1 },
	[INET_ECN_ECT_1] = { INET_ECN_ECT_1, INET_ECN_ECT_1,
			     INET_ECN_ECT_1, INET_ECN_CE },
	[INET_ECN_ECT_0] = { INET_ECN_ECT_0, INET_ECN_ECT_1,
			     INET_ECN_ECT_0, INET_ECN_CE },
	[INET_ECN_CE] = { INET_ECN_CE, INET_ECN_CE, INET_ECN_CE, INET_ECN_CE },
};

int nt_tun_ecn_decap(u8 inner, u8 outer)
{
	return nt_tun_ecn_decap_table[inner & 3][outer & 3];
}

u16 nt_tun_sport(u32 hash, u16 min, u16 max)
{
	if (max <= min)
		return min;
	return min + reciprocal_scale(hash, (u32)(max - min) + 1);
}
