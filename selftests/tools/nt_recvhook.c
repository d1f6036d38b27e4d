// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD=nt_recvhook.so NT_RECV_HOOK=CMD NT_RECV_HOOK_AT=N PROG...:
 * right before PROG's N-th recvmsg() on a netlink socket (counted from 1;
 * 1 if unset), run CMD with sh, once. With NT_RECV_HOOK_DUMP_AT=N
 * instead, the N-th read after PROG sent its first dump request: N = 1
 * runs CMD after the kernel built the dump's first part, before it
 * builds the second. CMD sees NT_NL_PORTID (the
 * socket's port) and NT_NL_SEQ (the sequence number of the last request
 * PROG sent on it), so that it can change state between two parts of a
 * dump, or forge a reply to the request PROG waits on. CMD runs without
 * NT_RECV_HOOK and LD_PRELOAD: what it starts is not hooked.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>

static unsigned int last_seq;
static int dump_sent;

static int is_netlink(int fd)
{
	struct sockaddr_nl a;
	socklen_t len = sizeof(a);

	return !getsockname(fd, (struct sockaddr *)&a, &len) &&
	       a.nl_family == AF_NETLINK;
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *to, socklen_t tolen)
{
	static ssize_t (*real)(int, const void *, size_t, int,
			       const struct sockaddr *, socklen_t);

	if (!real)
		real = dlsym(RTLD_NEXT, "sendto");
	if (len >= sizeof(struct nlmsghdr) && is_netlink(fd)) {
		const struct nlmsghdr *h = buf;

		last_seq = h->nlmsg_seq;
		if ((h->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP)
			dump_sent = 1;
	}
	return real(fd, buf, len, flags, to, tolen);
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	static ssize_t (*real)(int, struct msghdr *, int);
	static unsigned int calls;
	const char *cmd = getenv("NT_RECV_HOOK");
	const char *at = getenv("NT_RECV_HOOK_AT");
	const char *dump_at = getenv("NT_RECV_HOOK_DUMP_AT");
	struct sockaddr_nl a;
	socklen_t len = sizeof(a);
	char v[16], *c;

	if (!real)
		real = dlsym(RTLD_NEXT, "recvmsg");
	if (cmd && !getsockname(fd, (struct sockaddr *)&a, &len) &&
	    a.nl_family == AF_NETLINK && (!dump_at || dump_sent) &&
	    ++calls == strtoul(dump_at ? dump_at : at ? at : "1", NULL, 10)) {
		snprintf(v, sizeof(v), "%u", a.nl_pid);
		setenv("NT_NL_PORTID", v, 1);
		snprintf(v, sizeof(v), "%u", last_seq);
		setenv("NT_NL_SEQ", v, 1);
		c = strdup(cmd);
		unsetenv("NT_RECV_HOOK");
		unsetenv("LD_PRELOAD");
		if (!c || system(c) != 0)
			fprintf(stderr, "nt_recvhook: \"%s\" failed\n", c ? c : "?");
		free(c);
	}
	return real(fd, msg, flags);
}
