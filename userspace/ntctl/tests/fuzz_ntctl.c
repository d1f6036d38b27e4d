// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: ntctl's command-line and file parsers, down to the
 * requests they build, against the fake kernel (tests/fake_kernel.c), so
 * no netlink socket is needed. The first byte picks what the rest is:
 *
 *   0  a command line: words separated by NUL bytes, as argv holds them
 *   1  a batch file (-b FILE), run without -force
 *   2  a batch file, run with -force (every line, not the first bad one)
 *   3  a commit file (policy commit FILE)
 *
 * and bit 2 of it asks for JSON output. A request whose attributes do not
 * nest exactly within it aborts in the fake kernel; ASan and UBSan catch
 * the rest. Built and run by `make -C userspace/ntctl fuzz`.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "ntctl.h"
#include "fake_kernel.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd = open("/dev/null", O_RDWR);

	(void)argc;
	(void)argv;
	/* "policy commit -" reads stdin: give it nothing, never a terminal */
	dup2(fd, 0);
	/* show output goes nowhere; errors too (-close_fd_mask=2 for those) */
	dup2(fd, 1);
	close(fd);
	return 0;
}

static int run_words(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), **argv;
	size_t i, n = 1;
	int argc = 0, ret;

	memcpy(buf, data, size);
	buf[size] = 0;
	for (i = 0; i < size; i++)
		n += !buf[i];
	argv = malloc((n + 1) * sizeof(*argv));
	argv[argc++] = buf;
	for (i = 0; i < size; i++)
		if (!buf[i])
			argv[argc++] = buf + i + 1;
	argv[argc] = NULL;
	ret = ntctl_run(argc, argv);
	free(argv);
	free(buf);
	return ret;
}

static int run_file(const uint8_t *data, size_t size, int mode)
{
	char path[64], *argv[] = { "policy", "commit", path, NULL };
	int fd = memfd_create("ntctl-fuzz", MFD_CLOEXEC), ret;

	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (mode == 3)
		ret = ntctl_run(3, argv);
	else
		ret = ntctl_batch(path, mode == 2);
	close(fd);
	return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int mode, ret;

	if (!size)
		return 0;
	mode = data[0] & 3;
	opts.json = data[0] & 4;
	opts.pretty = data[0] & 8;
	fake_reset();
	if (mode == 0)
		ret = run_words(data + 1, size - 1);
	else
		ret = run_file(data + 1, size - 1, mode);
	/* an exit status ntctl documents, and a refusal sends nothing */
	if (ret != EXIT_OK && ret != EXIT_USAGE && ret != EXIT_KERNEL)
		abort();
	if (ret == EXIT_USAGE && mode == 3 && fake.sent)
		abort();
	return 0;
}
