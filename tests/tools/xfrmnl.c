// SPDX-License-Identifier: GPL-2.0
/*
 * xfrmnl: send one raw NETLINK_XFRM message and print every reply, for
 * guest tests that need what `ip xfrm` cannot send (short or malformed
 * messages, unknown types, exact byte layouts).
 *
 *   xfrmnl [-f FLAGS] TYPE [HEXPAYLOAD]
 *
 * Sends TYPE with NLM_F_REQUEST|NLM_F_ACK|FLAGS and the payload given in
 * hex, then prints one line per reply message:
 *   error N (strerror) [ext ack message]
 *   msg TYPE LEN HEXPAYLOAD
 * until the ack, NLMSG_DONE, or two seconds of silence ("no reply").
 */
#include <errno.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#ifndef NETLINK_XFRM
#define NETLINK_XFRM 6
#endif

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void print_hex(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02x", p[i]);
}

static void print_ext_ack(struct nlmsghdr *nh, struct nlmsgerr *e)
{
	size_t off = sizeof(*nh) + sizeof(*e);
	struct nlattr *a;

	if (!(nh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nh->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - sizeof(e->msg);
	while (off + sizeof(*a) <= nh->nlmsg_len) {
		a = (struct nlattr *)((char *)nh + off);
		if (a->nla_len < sizeof(*a))
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
			printf(" [%.*s]", (int)(a->nla_len - sizeof(*a) - 1),
			       (char *)(a + 1));
		off += NLA_ALIGN(a->nla_len);
	}
}

int main(int argc, char **argv)
{
	static unsigned char buf[1 << 16];
	unsigned long flags = 0;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 2 };
	struct nlmsghdr *nh = (struct nlmsghdr *)buf;
	const char *hex = "";
	int fd, c, one = 1;
	size_t plen = 0, i;
	ssize_t n;

	while ((c = getopt(argc, argv, "f:")) != -1) {
		if (c != 'f')
			goto usage;
		flags = strtoul(optarg, NULL, 0);
	}
	if (optind >= argc)
		goto usage;
	if (optind + 1 < argc)
		hex = argv[optind + 1];
	if (strlen(hex) % 2 || strlen(hex) / 2 > sizeof(buf) - NLMSG_HDRLEN)
		goto usage;
	for (i = 0; hex[2 * i]; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			goto usage;
		buf[NLMSG_HDRLEN + i] = (unsigned char)(hi << 4 | lo);
	}
	plen = i;
	nh->nlmsg_len = NLMSG_HDRLEN + plen;
	nh->nlmsg_type = (unsigned short)strtoul(argv[optind], NULL, 0);
	nh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nh->nlmsg_seq = 1;

	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_XFRM);
	if (fd < 0) {
		perror("xfrmnl: socket");
		return 1;
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (sendto(fd, buf, nh->nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0) {
		perror("xfrmnl: sendto");
		return 1;
	}
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			printf("no reply\n");
			return errno == EAGAIN ? 0 : 1;
		}
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (size_t)n);
		     nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nh);

				printf("error %d (%s)", e->error,
				       e->error ? strerror(-e->error) : "ok");
				print_ext_ack(nh, e);
				printf("\n");
				return 0;
			}
			if (nh->nlmsg_type == NLMSG_DONE) {
				printf("done\n");
				return 0;
			}
			printf("msg %u %u ", nh->nlmsg_type, nh->nlmsg_len);
			print_hex(NLMSG_DATA(nh), nh->nlmsg_len - NLMSG_HDRLEN);
			printf("\n");
		}
	}
usage:
	fprintf(stderr, "usage: xfrmnl [-f FLAGS] TYPE [HEXPAYLOAD]\n");
	return 2;
}
