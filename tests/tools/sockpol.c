// SPDX-License-Identifier: GPL-2.0
/*
 * sockpol: attach a per-socket IPsec policy as strongSwan does for its IKE
 * sockets (setsockopt IP_XFRM_POLICY / IPV6_XFRM_POLICY), print the result,
 * and optionally send a datagram through the socket.
 *
 *   sockpol [-6] [-o ip|ipv6] -d DIR -a ACTION [-p PREFIXLEN] [-l OPTLEN]
 *           [-t MODE [-O]] [-s] [-r PORT] [-w SECONDS]
 *
 * DIR: in, out, fwd or a number; ACTION: allow, block or a number; -t adds
 * one ESP template of MODE (transport, tunnel or a number), -O marks it
 * optional; -l truncates the option; -s sends one UDP datagram to port 9
 * of the loopback address; -r binds the socket to PORT (any address) and
 * waits up to -w SECONDS for one datagram, printing "received N bytes" or
 * "received nothing"; without -r, -w keeps the socket (and its policy)
 * open SECONDS before exiting. Prints "setsockopt: ok" or the error, and
 * with -s "sendto: ok" or the error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/ipsec.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#ifndef IP_XFRM_POLICY
#define IP_XFRM_POLICY 17
#endif
#ifndef IPV6_XFRM_POLICY
#define IPV6_XFRM_POLICY 35
#endif

static int named(const char *s, const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	return atoi(s);
}

/* Binds @fd to @port and waits @wait seconds for one datagram. */
static int receive(int fd, int family, int port, int wait)
{
	struct sockaddr_storage ss = { 0 };
	struct timeval tv = { .tv_sec = wait ? wait : 5 };
	socklen_t slen = sizeof(struct sockaddr_in);
	char buf[2048];
	ssize_t n;

	if (family == AF_INET) {
		((struct sockaddr_in *)&ss)->sin_family = AF_INET;
		((struct sockaddr_in *)&ss)->sin_port = htons(port);
	} else {
		((struct sockaddr_in6 *)&ss)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
		slen = sizeof(struct sockaddr_in6);
	}
	if (bind(fd, (struct sockaddr *)&ss, slen) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		perror("sockpol: bind");
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0)
		printf("received nothing\n");
	else
		printf("received %zd bytes\n", n);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const dirs[] = { "in", "out", "fwd" };
	static const char *const actions[] = { "allow", "block" };
	static const char *const modes[] = { "transport", "tunnel" };
	struct {
		struct xfrm_userpolicy_info info;
		struct xfrm_user_tmpl tmpl;
	} pol;
	int family = AF_INET, level = -1, opt, fd, c, send = 0, tmpl = -1;
	int optional = 0, prefix = 0, optlen = -1;
	int dir = 1, action = 0, wait = 0, port = 0;

	while ((c = getopt(argc, argv, "6o:d:a:p:l:t:Osr:w:")) != -1) {
		switch (c) {
		case '6': family = AF_INET6; break;
		case 'o': level = !strcmp(optarg, "ip") ? IPPROTO_IP : IPPROTO_IPV6; break;
		case 'd': dir = named(optarg, dirs, 3); break;
		case 'a': action = named(optarg, actions, 2); break;
		case 'p': prefix = atoi(optarg); break;
		case 'l': optlen = atoi(optarg); break;
		case 't': tmpl = named(optarg, modes, 2); break;
		case 'O': optional = 1; break;
		case 's': send = 1; break;
		case 'r': port = atoi(optarg); break;
		case 'w': wait = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: see tests/tools/sockpol.c\n");
			return 2;
		}
	}
	if (level < 0)
		level = family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
	opt = level == IPPROTO_IP ? IP_XFRM_POLICY : IPV6_XFRM_POLICY;

	memset(&pol, 0, sizeof(pol));
	pol.info.sel.family = family;
	pol.info.sel.prefixlen_d = prefix;
	pol.info.lft.soft_byte_limit = XFRM_INF;
	pol.info.lft.hard_byte_limit = XFRM_INF;
	pol.info.lft.soft_packet_limit = XFRM_INF;
	pol.info.lft.hard_packet_limit = XFRM_INF;
	pol.info.dir = dir;
	pol.info.action = action;
	if (optlen < 0)
		optlen = tmpl >= 0 ? sizeof(pol) : sizeof(pol.info);
	if (tmpl >= 0) {
		pol.tmpl.family = family;
		pol.tmpl.id.proto = IPPROTO_ESP;
		pol.tmpl.mode = tmpl;
		pol.tmpl.optional = optional;
		pol.tmpl.aalgos = ~0U;
		pol.tmpl.ealgos = ~0U;
		pol.tmpl.calgos = ~0U;
	}

	fd = socket(family, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("sockpol: socket");
		return 1;
	}
	if (setsockopt(fd, level, opt, &pol, optlen) < 0)
		printf("setsockopt: %s\n", strerror(errno));
	else
		printf("setsockopt: ok\n");

	if (send) {
		struct sockaddr_storage ss = { 0 };
		socklen_t slen;

		if (family == AF_INET) {
			struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

			sin->sin_family = AF_INET;
			sin->sin_port = htons(9);
			sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			slen = sizeof(*sin);
		} else {
			struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

			sin6->sin6_family = AF_INET6;
			sin6->sin6_port = htons(9);
			sin6->sin6_addr = in6addr_loopback;
			slen = sizeof(*sin6);
		}
		if (sendto(fd, "x", 1, 0, (struct sockaddr *)&ss, slen) < 0)
			printf("sendto: %s\n", strerror(errno));
		else
			printf("sendto: ok\n");
	}
	fflush(stdout);
	if (port)
		return receive(fd, family, port, wait);
	if (wait)
		sleep(wait);
	close(fd);
	return 0;
}
