// SPDX-License-Identifier: GPL-2.0
/*
 * A KUnit suite with one passing and one failing case, built only for the
 * test of make check's KUnit plumbing: its failing case must show up as a
 * failure in the summary, its passing case as a pass.
 */
#include <kunit/test.h>

static void nt_planted_passes(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 1 + 1, 2);
}

static void nt_planted_fails(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 1 + 1, 3);
}

static struct kunit_case nt_planted_cases[] = {
	KUNIT_CASE(nt_planted_passes),
	KUNIT_CASE(nt_planted_fails),
	{}
};

static struct kunit_suite nt_planted_suite = {
	.name = "nt_planted",
	.test_cases = nt_planted_cases,
};

kunit_test_suite(nt_planted_suite);

MODULE_DESCRIPTION("ntkit test-only KUnit suite with a planted failure");
MODULE_LICENSE("GPL");
