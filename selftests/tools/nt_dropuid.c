// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD=nt_dropuid.so NT_DROP_UID=U CMD...: CMD opens its netlink
 * sockets with the privileges it was started with, and right after the
 * first one drops to uid and gid U with no groups and no capabilities: a
 * process that opened its socket while privileged and then dropped them.
 * The kernel must judge the requests it then sends by both: the socket's
 * opener and the sender (netlink_ns_capable).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int socket(int domain, int type, int protocol)
{
	static int (*real)(int, int, int);
	static int dropped;
	const char *e = getenv("NT_DROP_UID");
	int fd;

	if (!real)
		real = dlsym(RTLD_NEXT, "socket");
	fd = real(domain, type, protocol);
	if (fd >= 0 && domain == AF_NETLINK && e && !dropped) {
		uid_t u = strtoul(e, NULL, 10);

		if (setgroups(0, NULL) || setresgid(u, u, u) ||
		    setresuid(u, u, u)) {
			perror("nt_dropuid");
			exit(125);
		}
		dropped = 1;
	}
	return fd;
}
