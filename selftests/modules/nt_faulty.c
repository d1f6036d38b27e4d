// SPDX-License-Identifier: GPL-2.0
/*
 * A deliberately faulty module, built only for the tests of the VM runner:
 * loading it with fault=KIND makes the kernel report that kind of bug, and
 * the runner must then fail the run even though the command succeeded.
 *
 *   none     load cleanly (the control)
 *   warn     WARN()
 *   oops     NULL pointer dereference
 *   uaf      use after free (KASAN)
 *   leak     lose an allocation (kmemleak)
 *   sleep    a GFP_KERNEL allocation under a spinlock (DEBUG_ATOMIC_SLEEP)
 *   rcu      rcu_dereference() outside a read-side section (PROVE_RCU)
 *   lockdep  take two locks in both orders (PROVE_LOCKING)
 *   ubsan    shift past the width of the type (UBSAN)
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/rcupdate.h>
#include <linux/mutex.h>

static char *fault = "none";
module_param(fault, charp, 0444);
MODULE_PARM_DESC(fault, "none|warn|oops|uaf|leak|sleep|rcu|lockdep|ubsan");

static unsigned int shift = 40;
module_param(shift, uint, 0444);
MODULE_PARM_DESC(shift, "shift count for fault=ubsan");

static void *nt_faulty_leaked;
static int __rcu *nt_faulty_rcu_ptr;
static DEFINE_SPINLOCK(nt_faulty_lock);
static DEFINE_MUTEX(nt_faulty_a);
static DEFINE_MUTEX(nt_faulty_b);

static noinline int nt_faulty_read(int *p)
{
	return READ_ONCE(*p);
}

static int __init nt_faulty_init(void)
{
	int *p;

	pr_info("nt_faulty: fault=%s\n", fault);
	if (!strcmp(fault, "none"))
		return 0;
	if (!strcmp(fault, "warn")) {
		WARN(1, "nt_faulty: planted warning\n");
		return 0;
	}
	if (!strcmp(fault, "oops"))
		return nt_faulty_read(NULL);
	if (!strcmp(fault, "uaf")) {
		p = kmalloc(sizeof(*p), GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		kfree(p);
		pr_info("nt_faulty: read %d\n", nt_faulty_read(p));
		return 0;
	}
	if (!strcmp(fault, "leak")) {
		nt_faulty_leaked = kmalloc(64, GFP_KERNEL);
		nt_faulty_leaked = NULL;
		return 0;
	}
	if (!strcmp(fault, "sleep")) {
		spin_lock(&nt_faulty_lock);
		p = kmalloc(sizeof(*p), GFP_KERNEL);
		spin_unlock(&nt_faulty_lock);
		kfree(p);
		return 0;
	}
	if (!strcmp(fault, "rcu")) {
		p = rcu_dereference(nt_faulty_rcu_ptr);
		pr_info("nt_faulty: %p\n", p);
		return 0;
	}
	if (!strcmp(fault, "lockdep")) {
		/* A then B, later B then A: an inversion lockdep must report. */
		mutex_lock(&nt_faulty_a);
		mutex_lock(&nt_faulty_b);
		mutex_unlock(&nt_faulty_b);
		mutex_unlock(&nt_faulty_a);
		mutex_lock(&nt_faulty_b);
		mutex_lock(&nt_faulty_a);
		mutex_unlock(&nt_faulty_a);
		mutex_unlock(&nt_faulty_b);
		return 0;
	}
	if (!strcmp(fault, "ubsan")) {
		/* @shift is a parameter: the compiler cannot fold this. */
		pr_info("nt_faulty: %u\n", 1U << shift);
		return 0;
	}
	return -EINVAL;
}

static void __exit nt_faulty_exit(void)
{
}

module_init(nt_faulty_init);
module_exit(nt_faulty_exit);
MODULE_DESCRIPTION("ntkit test module that plants kernel bugs on purpose");
MODULE_LICENSE("GPL");
