// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl-cli monitor [--json]: print the module's events as they come, one
 * line each, until SIGINT or SIGTERM. What is printed is event.c's; this
 * file subscribes to the "events" group and runs the receive loop.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <sys/socket.h>

#include <linux/netlink.h>

#include "cli.h"
#include "event.h"
#include "nl.h"

/*
 * Events come in bursts (a denied `find` raises one per file); the kernel
 * drops what does not fit in the receive buffer and says so with ENOBUFS.
 */
#define MONITOR_RCVBUF	(8 * 1024 * 1024)

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * SO_RCVBUFFORCE passes net.core.rmem_max but needs CAP_NET_ADMIN, which
 * joining the group needed anyway; SO_RCVBUF is capped by rmem_max. Best
 * effort: a smaller buffer only loses events sooner, and says so.
 */
static void grow_rcvbuf(int fd)
{
	int size = MONITOR_RCVBUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

/*
 * One datagram, without waiting. Returns its length, 0 for one that did
 * not come from the kernel (dropped: only the kernel speaks for the
 * module), or a negative errno: -EAGAIN when there is none, -ENOBUFS after
 * an overflow, -EMSGSIZE for one larger than @size.
 */
static ssize_t recv_kernel(int fd, void *buf, size_t size)
{
	struct sockaddr_nl addr;
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	struct msghdr msg = {
		.msg_name = &addr,
		.msg_namelen = sizeof(addr),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	ssize_t n;

	n = recvmsg(fd, &msg, MSG_DONTWAIT);
	if (n < 0)
		return -errno;
	if (msg.msg_flags & MSG_TRUNC)
		return -EMSGSIZE;
	if (msg.msg_namelen != sizeof(addr) || addr.nl_pid != 0)
		return 0;
	return n;
}

/*
 * Datagrams received between two ppoll()s: the signals are blocked in
 * between, and a flood of events must not keep them out for long.
 */
#define DRAIN_BATCH	256

/*
 * Receive until there is nothing left, or DRAIN_BATCH datagrams. Returns
 * 0, a negative errno if receiving failed, or 1 if writing the output
 * failed.
 */
static int drain(struct ioi_nl *nl, struct ioi_monitor *m)
{
	int fd = mnl_socket_get_fd(nl->sock);
	unsigned int i;
	ssize_t len;

	for (i = 0; i < DRAIN_BATCH; i++) {
		len = recv_kernel(fd, nl->buf, IOI_NL_BUF_SIZE);
		if (len == -EAGAIN || len == -EINTR)
			return 0;
		if (len == -ENOBUFS) {
			if (ioi_monitor_overflow(m))
				return 1;
			continue;
		}
		if (len == -EMSGSIZE) {
			fprintf(m->err, "%s monitor: skipping an event too large to receive\n",
				PROG_NAME);
			continue;
		}
		if (len < 0)
			return (int)len;
		if (ioi_monitor_feed(m, nl->buf, (size_t)len))
			return 1;
	}
	return 0;
}

/*
 * The loop. SIGINT and SIGTERM are blocked but while ppoll() waits, so a
 * signal can never slip in between the check of @stop and the wait.
 */
static int run(struct ioi_nl *nl, struct ioi_monitor *m)
{
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	struct pollfd pfd = {
		.fd = mnl_socket_get_fd(nl->sock),
		.events = POLLIN,
	};
	sigset_t block, old_mask;
	int ret = IOI_EXIT_OK, err, saved_errno = 0;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old_mask);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	stop = 0;

	while (!stop) {
		if (ppoll(&pfd, 1, NULL, &old_mask) < 0) {
			err = -errno;
			if (err == -EINTR)
				continue;
			ret = ioi_nl_report(stderr, "monitor", err, NULL);
			break;
		}
		err = drain(nl, m);
		if (err == 1) {
			/* cli.c's finish() reports it, with this errno. */
			saved_errno = errno;
			ret = IOI_EXIT_FAIL;
			break;
		}
		if (err) {
			ret = ioi_nl_report(stderr, "monitor", err, NULL);
			break;
		}
	}

	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	if (saved_errno)
		errno = saved_errno;
	return ret;
}

static void show_help(FILE *f)
{
	fprintf(f,
		"Usage: %s monitor [--json]\n\n"
		"Print the module's events (denials, audits, integrity failures, plaintext\n"
		"and missing-key refusals, policy and key changes) as they happen, one line\n"
		"each, until interrupted. File names and other strings are escaped. Events\n"
		"the kernel could not deliver are reported as \"lost N events (seq A..B)\".\n\n"
		"Options:\n"
		"  -j, --json  print one JSON object per line instead of text\n"
		"  -h, --help  show this help\n",
		PROG_NAME);
}

int ioi_monitor_main(int argc, char *argv[])
{
	struct ioi_monitor m = { .out = stdout, .err = stderr };
	struct ioi_nl nl;
	int ret, err;
	const struct ioi_cli_flag flags[] = {
		{ "json", 'j', &m.json },
		{ NULL, 0, NULL }
	};

	ret = ioi_cli_options(argc, argv, flags, show_help, NULL);
	if (ret >= 0)
		return ret;

	ret = ioi_nl_open(&nl, 0);
	if (ret)
		return ret;
	m.family_id = nl.family_id;

	err = ioi_nl_join_events(&nl);
	if (err == -ENOENT) {
		fprintf(stderr, "%s: monitor: the module has no \"%s\" multicast group (too old?)\n",
			PROG_NAME, IOI_MCGRP_EVENTS);
		ret = IOI_EXIT_FAIL;
		goto out;
	}
	if (err) {
		ret = ioi_nl_report(stderr, "monitor", err, NULL);
		goto out;
	}
	grow_rcvbuf(mnl_socket_get_fd(nl.sock));
	ret = run(&nl, &m);
out:
	ioi_nl_close(&nl);
	return ret;
}
