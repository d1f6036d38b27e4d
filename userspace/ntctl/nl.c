// SPDX-License-Identifier: GPL-2.0
/* ntctl: generic netlink over libmnl, with extack reporting. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include "nl.h"

static struct mnl_socket *nl_sock;
static uint32_t nl_portid;
static uint32_t nl_seq;
static char *nl_rxbuf;
#define NL_RXBUF_SIZE (MNL_SOCKET_BUFFER_SIZE * 8)

#define FAMILY_CACHE 8
static struct nl_family family_cache[FAMILY_CACHE];
static unsigned int family_cached;

int nl_open(void)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	int one = 1;

	if (nl_sock)
		return 0;
	nl_sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl_sock)
		return -errno;
	mnl_socket_setsockopt(nl_sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl_sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl_sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = -errno;

		mnl_socket_close(nl_sock);
		nl_sock = NULL;
		return err;
	}
	/*
	 * Connected to the kernel (port 0): no other process can unicast a
	 * forged reply or error into this socket. What came before the
	 * connect, and events multicast by another process (root of a user
	 * namespace may, in its netns), nl_recv() drops by their sender.
	 */
	if (connect(mnl_socket_get_fd(nl_sock), (struct sockaddr *)&kernel,
		    sizeof(kernel)) < 0) {
		int err = -errno;

		mnl_socket_close(nl_sock);
		nl_sock = NULL;
		return err;
	}
	nl_portid = mnl_socket_get_portid(nl_sock);
	nl_seq = time(NULL);
	nl_rxbuf = malloc(NL_RXBUF_SIZE);
	if (!nl_rxbuf)
		return -ENOMEM;
	return 0;
}

void nl_close(void)
{
	if (nl_sock)
		mnl_socket_close(nl_sock);
	nl_sock = NULL;
	free(nl_rxbuf);
	nl_rxbuf = NULL;
	family_cached = 0;
}

static int talk(struct nl_req *r, nl_msg_cb cb, void *arg,
		const struct nl_attr_desc *names, unsigned int n_names,
		bool report);

/* Read what the kernel (port 0) sent: another sender's message is dropped. */
static ssize_t nl_recv(void)
{
	struct sockaddr_nl from;
	struct iovec iov = { .iov_base = nl_rxbuf, .iov_len = NL_RXBUF_SIZE };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	for (;;) {
		m.msg_name = &from;
		m.msg_namelen = sizeof(from);
		n = recvmsg(mnl_socket_get_fd(nl_sock), &m, 0);
		if (n < 0)
			return -1;
		if (m.msg_flags & MSG_TRUNC) {
			errno = ENOSPC;
			return -1;
		}
		if (m.msg_namelen == sizeof(from) && from.nl_pid == 0)
			return n;
	}
}

static int family_cb(const struct nlmsghdr *nlh, void *arg)
{
	return nl_parse_family(nlh, arg);
}

int nl_family(const char *name, struct nl_family *out)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nl_req r;
	unsigned int i;
	int err;

	for (i = 0; i < family_cached; i++) {
		if (!strcmp(family_cache[i].name, name)) {
			*out = family_cache[i];
			return 0;
		}
	}
	err = nl_open();
	if (err)
		return err;
	nl_req_init(&r, buf, sizeof(buf), GENL_ID_CTRL, 1, CTRL_CMD_GETFAMILY,
		    NLM_F_ACK);
	nl_put_strz(&r, CTRL_ATTR_FAMILY_NAME, name);
	/* A missing family is not an error to print: the caller says it. */
	err = talk(&r, family_cb, out, NULL, 0, false);
	if (err)
		return err;
	if (family_cached < FAMILY_CACHE)
		family_cache[family_cached++] = *out;
	return 0;
}

static int talk(struct nl_req *r, nl_msg_cb cb, void *arg,
		const struct nl_attr_desc *names, unsigned int n_names,
		bool report)
{
	struct nlmsghdr *req = r->nlh;
	/* NLM_F_DUMP is two bits; NLM_F_REPLACE alone shares one of them */
	bool dump = (req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	bool intr = false;
	uint32_t seq;
	ssize_t n;
	int err;

	nl_err_offset = -1;
	err = nl_req_refuse(r, names, n_names);
	if (err)
		return err;
	err = nl_open();
	if (err)
		return err;
	seq = ++nl_seq;
	req->nlmsg_seq = seq;
	req->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl_sock, req, req->nlmsg_len) < 0)
		return -errno;

	for (;;) {
		const struct nlmsghdr *nlh;
		int len;

		n = nl_recv();
		if (n < 0)
			return -errno;
		len = n;
		for (nlh = (const struct nlmsghdr *)nl_rxbuf;
		     mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_seq != seq ||
			    nlh->nlmsg_pid != nl_portid)
				continue;
			/* the kernel's dump_gen moved while it answered */
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = true;
			if (nlh->nlmsg_type == NLMSG_ERROR ||
			    (nlh->nlmsg_type == NLMSG_DONE &&
			     mnl_nlmsg_get_payload_len(nlh) >= sizeof(int) &&
			     *(const int *)mnl_nlmsg_get_payload(nlh))) {
				const struct nlmsgerr *e =
					mnl_nlmsg_get_payload(nlh);
				int error = nlh->nlmsg_type == NLMSG_DONE ?
					*(const int *)e : e->error;
				char msg[512];

				if (!error) {
					if (!dump)
						return 0;
					continue;
				}
				if (report) {
					nl_format_error(nlh, req, names,
							n_names, msg,
							sizeof(msg));
					fprintf(stderr, "Error: %s.\n", msg);
				}
				return error;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				if (!intr)
					return 0;
				if (report)
					fprintf(stderr, "Error: the dump was interrupted by a change and may be inconsistent; run it again.\n");
				return -EINTR;
			}
			if (nlh->nlmsg_type == NLMSG_NOOP ||
			    nlh->nlmsg_type == NLMSG_OVERRUN)
				continue;
			if (cb) {
				err = cb(nlh, arg);
				if (err)
					return err;
			}
		}
	}
}

int nl_talk(struct nl_req *r, nl_msg_cb cb, void *arg,
	    const struct nl_attr_desc *names, unsigned int n_names)
{
	return talk(r, cb, arg, names, n_names, true);
}

int nl_listen(const uint32_t *groups, unsigned int n, nl_msg_cb cb, void *arg)
{
	unsigned int i;
	ssize_t len;
	int err;

	err = nl_open();
	if (err)
		return err;
	for (i = 0; i < n; i++)
		if (mnl_socket_setsockopt(nl_sock, NETLINK_ADD_MEMBERSHIP,
					  (void *)&groups[i],
					  sizeof(groups[i])) < 0)
			return -errno;
	for (;;) {
		const struct nlmsghdr *nlh;
		int left;

		len = nl_recv();
		if (len < 0)
			return -errno;
		left = len;
		for (nlh = (const struct nlmsghdr *)nl_rxbuf;
		     mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
			/* events come from the kernel, unsolicited */
			if (nlh->nlmsg_pid || nlh->nlmsg_type < NLMSG_MIN_TYPE)
				continue;
			err = cb(nlh, arg);
			if (err)
				return err;
		}
	}
}
