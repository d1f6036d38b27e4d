// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for nt_tun's wire arithmetic (kmod/tunnel/wire.c): header
 * build and parse (truncated, unknown version, unknown inner protocol),
 * the RFC 6040 encapsulation and decapsulation tables, and the outer
 * source port staying within its range for every hash.
 */
#include <kunit/test.h>
#include <linux/prandom.h>
#include <net/inet_ecn.h>
#include "../wire.c"

static void nt_hdr_roundtrip(struct kunit *test)
{
	static const u8 protos[] = { NT_TUN_PROTO_NONE, NT_TUN_PROTO_IPV4,
				     NT_TUN_PROTO_IPV6 };
	static const u32 vnis[] = { 0, 1, 0x00abcdef, 0xfffffffe, 0xffffffff };
	struct nt_tun_hdr h;
	unsigned int i, j;
	u8 proto;
	u32 vni;

	KUNIT_EXPECT_EQ(test, sizeof(h), (size_t)NT_TUN_HDR_LEN);
	for (i = 0; i < ARRAY_SIZE(protos); i++)
		for (j = 0; j < ARRAY_SIZE(vnis); j++) {
			nt_tun_hdr_build(&h, protos[i], vnis[j]);
			KUNIT_EXPECT_EQ(test,
					nt_tun_hdr_parse(&h, sizeof(h), &proto,
							 &vni),
					NT_TUN_PARSE_OK);
			KUNIT_EXPECT_EQ(test, proto, protos[i]);
			KUNIT_EXPECT_EQ(test, vni, vnis[j]);
		}
	/* the documented bytes: version 1 in the high nibble, then proto */
	nt_tun_hdr_build(&h, NT_TUN_PROTO_IPV6, 0x01020304);
	KUNIT_EXPECT_EQ(test, ((u8 *)&h)[0], 0x10);
	KUNIT_EXPECT_EQ(test, ((u8 *)&h)[1], 41);
	KUNIT_EXPECT_EQ(test, ((u8 *)&h)[2], 0);
	KUNIT_EXPECT_EQ(test, ((u8 *)&h)[3], 0);
	KUNIT_EXPECT_EQ(test, ((u8 *)&h)[4], 1);
	KUNIT_EXPECT_EQ(test, ((u8 *)&h)[7], 4);
}

static void nt_hdr_bad(struct kunit *test)
{
	u8 buf[NT_TUN_HDR_LEN], proto = 0xaa;
	unsigned int len, v, p;
	u32 vni = 0xdead;

	nt_tun_hdr_build((struct nt_tun_hdr *)buf, NT_TUN_PROTO_IPV4, 7);
	for (len = 0; len < NT_TUN_HDR_LEN; len++)
		KUNIT_EXPECT_EQ(test, nt_tun_hdr_parse(buf, len, &proto, &vni),
				NT_TUN_PARSE_SHORT);
	for (v = 0; v < 16; v++) {
		buf[0] = v << 4 | (v & 0xf);	/* flags are ignored */
		KUNIT_EXPECT_EQ(test, nt_tun_hdr_parse(buf, sizeof(buf), &proto,
						       &vni),
				v == NT_TUN_VERSION ? NT_TUN_PARSE_OK :
						      NT_TUN_PARSE_VERSION);
	}
	buf[0] = NT_TUN_VERSION << 4;
	for (p = 0; p < 256; p++) {
		bool ok = p == 0 || p == 4 || p == 41;

		buf[1] = p;
		KUNIT_EXPECT_EQ(test, nt_tun_hdr_parse(buf, sizeof(buf), &proto,
						       &vni),
				ok ? NT_TUN_PARSE_OK : NT_TUN_PARSE_PROTO);
	}
	/* outputs untouched by a failed parse */
	buf[1] = 99;
	proto = 0xaa;
	vni = 0xdead;
	nt_tun_hdr_parse(buf, sizeof(buf), &proto, &vni);
	KUNIT_EXPECT_EQ(test, proto, 0xaa);
	KUNIT_EXPECT_EQ(test, vni, 0xdeadU);
}

/* RFC 6040 figure 4, written out cell by cell (-1: drop). */
static void nt_ecn_rfc6040(struct kunit *test)
{
	enum { N = INET_ECN_NOT_ECT, E1 = INET_ECN_ECT_1, E0 = INET_ECN_ECT_0,
	       CE = INET_ECN_CE };
	static const struct { u8 inner, outer; int want; } cells[] = {
		{ N, N, N }, { N, E0, N }, { N, E1, N }, { N, CE, -1 },
		{ E0, N, E0 }, { E0, E0, E0 }, { E0, E1, E1 }, { E0, CE, CE },
		{ E1, N, E1 }, { E1, E0, E1 }, { E1, E1, E1 }, { E1, CE, CE },
		{ CE, N, CE }, { CE, E0, CE }, { CE, E1, CE }, { CE, CE, CE },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cells); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    nt_tun_ecn_decap(cells[i].inner,
						     cells[i].outer),
				    cells[i].want, "inner %u outer %u",
				    cells[i].inner, cells[i].outer);
	/* encapsulation, normal mode: the outer copies the inner field */
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, nt_tun_ecn_encap(i), (u8)i);
	/* only the ECN bits count */
	KUNIT_EXPECT_EQ(test, nt_tun_ecn_encap(0xb8 | E0), (u8)E0);
	KUNIT_EXPECT_EQ(test, nt_tun_ecn_decap(0xfc | E0, 0xfc | CE), CE);
}

static void nt_sport_range(struct kunit *test)
{
	static const u16 ranges[][2] = {
		{ 1, 1 }, { 1, 65535 }, { 49152, 65535 }, { 1000, 1001 },
		{ 65535, 65535 }, { 4789, 4789 }, { 5000, 5999 },
	};
	struct rnd_state rnd;
	unsigned int i, k;

	prandom_seed_state(&rnd, 6040);
	for (i = 0; i < ARRAY_SIZE(ranges); i++) {
		u16 lo = ranges[i][0], hi = ranges[i][1];
		u32 span = hi - lo + 1;
		bool seen_lo = false, seen_hi = false;

		for (k = 0; k < 100000; k++) {
			u32 hash = k < 2 ? (k ? U32_MAX : 0) :
				   prandom_u32_state(&rnd);
			u16 p = nt_tun_sport(hash, lo, hi);

			KUNIT_ASSERT_GE(test, p, lo);
			KUNIT_ASSERT_LE(test, p, hi);
			seen_lo |= p == lo;
			seen_hi |= p == hi;
		}
		/* both ends are reachable in small ranges */
		if (span <= 1000) {
			KUNIT_EXPECT_TRUE(test, seen_lo);
			KUNIT_EXPECT_TRUE(test, seen_hi);
		}
		/* hash 0 and U32_MAX map to the ends */
		KUNIT_EXPECT_EQ(test, nt_tun_sport(0, lo, hi), lo);
		KUNIT_EXPECT_EQ(test, nt_tun_sport(U32_MAX, lo, hi), hi);
	}
	/* a reversed range never leaves it */
	KUNIT_EXPECT_EQ(test, nt_tun_sport(12345, 2000, 1000), 2000);
}

static struct kunit_case nt_tun_wire_cases[] = {
	KUNIT_CASE(nt_hdr_roundtrip),
	KUNIT_CASE(nt_hdr_bad),
	KUNIT_CASE(nt_ecn_rfc6040),
	KUNIT_CASE(nt_sport_range),
	{}
};

static struct kunit_suite nt_tun_wire_suite = {
	.name = "nt_tun_wire",
	.test_cases = nt_tun_wire_cases,
};

kunit_test_suite(nt_tun_wire_suite);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for nt_tun's wire format");
