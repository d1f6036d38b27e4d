/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntkit: the kernel API differences between the kernels ntkit builds for,
 * in one place. Each is tested on the headers of the kernel built against
 * (the root Kbuild greps them and defines NT_HAVE_*), not guessed from a
 * version number, which a distribution's backports would belie.
 */
#ifndef _NT_COMPAT_H
#define _NT_COMPAT_H

#include <net/genetlink.h>

/*
 * What a family's pre_doit and post_doit are given: struct genl_split_ops
 * since 6.2 (NT_HAVE_GENL_SPLIT_OPS), struct genl_ops before.
 */
#ifdef NT_HAVE_GENL_SPLIT_OPS
#define nt_genl_split_ops genl_split_ops
#else
#define nt_genl_split_ops genl_ops
#endif

#endif /* _NT_COMPAT_H */
