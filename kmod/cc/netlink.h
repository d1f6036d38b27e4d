/* SPDX-License-Identifier: GPL-2.0 */
/* tcp_nt: the nt_cc generic netlink family (uapi/linux/nt_cc.h). */
#ifndef _NT_CC_NETLINK_H
#define _NT_CC_NETLINK_H

int nt_cc_genl_init(void);
void nt_cc_genl_exit(void);

#endif /* _NT_CC_NETLINK_H */
