// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection for one request: the N-th kernel allocation that a
 * netlink request makes fails (/proc/thread-self/fail-nth, a debug kernel
 * with CONFIG_FAULT_INJECTION). Two ways in:
 *
 *  - LD_PRELOAD=nt_failnth.so NT_FAIL_NTH=N CMD...: every request that
 *    CMD (ntctl, ip) sends on a netlink socket, except dumps and the
 *    generic-netlink controller's, is sent with fail-nth set to N. The
 *    kernel runs a request in the sender's sendmsg(), so the count covers
 *    the request's whole life in the kernel: the message's own buffer,
 *    the handler, its event and its acknowledgement.
 *  - nt_failnth N insmod FILE [ARGS] | N unshare-net: a module load, or a
 *    new network namespace (every pernet init), with fail-nth set to N;
 *    with N "count", prints how many allocations the operation makes.
 *
 * Either way a line "fail-nth: N reached" or "fail-nth: N not reached"
 * on stderr tells whether the N-th allocation came; "not reached" means
 * the request completed with fewer, and a caller counting up from 1 has
 * walked every one of its failure points.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>

/* The calling thread's: ntctl may send from more than one. */
static int fail_fd = -1;

static int failnth_arm(unsigned int n)
{
	char buf[16];
	int len;

	fail_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (fail_fd < 0)
		return -1;
	len = snprintf(buf, sizeof(buf), "%u", n);
	if (pwrite(fail_fd, buf, len, 0) == len)
		return 0;
	close(fail_fd);
	return -1;
}

/*
 * Disarms; says whether the fault came (the count ran down to 0), or with
 * NT_FAILNTH_COUNT (N very large) how many allocations there were.
 */
#define NT_FAILNTH_COUNT 1000000000u
static void failnth_disarm(unsigned int n)
{
	char buf[16] = "";
	int saved = errno;

	if (pread(fail_fd, buf, sizeof(buf) - 1, 0) < 0)
		buf[0] = '?';
	if (pwrite(fail_fd, "0", 1, 0) != 1)
		buf[0] = '?';
	close(fail_fd);
	if (n == NT_FAILNTH_COUNT)
		fprintf(stderr, "fail-nth: %lu allocations\n",
			n - strtoul(buf, NULL, 10));
	else
		fprintf(stderr, "fail-nth: %u %s\n", n,
			atoi(buf) == 0 ? "reached" : "not reached");
	errno = saved;
}

#ifdef NT_FAILNTH_PRELOAD
static unsigned int preload_nth(int fd, const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	const char *e = getenv("NT_FAIL_NTH");

	if (!e || !*e || len < sizeof(*nlh) ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl) ||
	    ss.ss_family != AF_NETLINK)
		return 0;
	if ((nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP ||
	    nlh->nlmsg_type == GENL_ID_CTRL || nlh->nlmsg_type < NLMSG_MIN_TYPE)
		return 0;
	return strcmp(e, "count") ? strtoul(e, NULL, 10) : NT_FAILNTH_COUNT;
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *to, socklen_t tolen)
{
	static ssize_t (*real)(int, const void *, size_t, int,
			       const struct sockaddr *, socklen_t);
	unsigned int n = preload_nth(fd, buf, len);
	ssize_t ret;

	if (!real)
		real = dlsym(RTLD_NEXT, "sendto");
	if (n && failnth_arm(n))
		n = 0;
	ret = real(fd, buf, len, flags, to, tolen);
	if (n)
		failnth_disarm(n);
	return ret;
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	static ssize_t (*real)(int, const struct msghdr *, int);
	unsigned int n = 0;
	ssize_t ret;

	if (!real)
		real = dlsym(RTLD_NEXT, "sendmsg");
	if (msg->msg_iovlen >= 1)
		n = preload_nth(fd, msg->msg_iov[0].iov_base,
				msg->msg_iov[0].iov_len);
	if (n && failnth_arm(n))
		n = 0;
	ret = real(fd, msg, flags);
	if (n)
		failnth_disarm(n);
	return ret;
}
#else
int main(int argc, char **argv)
{
	unsigned int n;
	int fd, ret;

	if (argc < 3) {
		fprintf(stderr, "usage: nt_failnth N|count|env insmod FILE [ARGS] | N|count|env unshare-net\n");
		return 2;
	}
	/*
	 * 0: no fault; "count": how many allocations the operation makes;
	 * "env": N from NT_FAIL_NTH, as the preloaded library takes it.
	 */
	if (!strcmp(argv[1], "env"))
		argv[1] = getenv("NT_FAIL_NTH") ? : "0";
	n = strcmp(argv[1], "count") ? strtoul(argv[1], NULL, 10) :
				       NT_FAILNTH_COUNT;
	if (!strcmp(argv[2], "insmod") && argc >= 4) {
		fd = open(argv[3], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			perror(argv[3]);
			return 2;
		}
		if (n && failnth_arm(n)) {
			perror("fail-nth");
			return 2;
		}
		ret = syscall(SYS_finit_module, fd, argc > 4 ? argv[4] : "", 0);
		if (n)
			failnth_disarm(n);
	} else if (!strcmp(argv[2], "unshare-net")) {
		if (n && failnth_arm(n)) {
			perror("fail-nth");
			return 2;
		}
		ret = unshare(CLONE_NEWNET);
		if (n)
			failnth_disarm(n);
	} else {
		fprintf(stderr, "nt_failnth: unknown operation %s\n", argv[2]);
		return 2;
	}
	if (ret) {
		fprintf(stderr, "nt_failnth: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	return 0;
}
#endif
