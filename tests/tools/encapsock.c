// SPDX-License-Identifier: GPL-2.0
/*
 * encapsock: what charon does to receive ESP in UDP on the stock kernel:
 * UDP sockets bound to PORT (default 4500) for IPv4 and IPv6, marked
 * UDP_ENCAP_ESPINUDP, so that the kernel's XFRM takes the ESP arriving on
 * them, with bypass policies both ways (the stock kernel checks the IN
 * policies on the UDP datagram before it looks for ESP in it). Prints
 * "encapsock: PORT" once both are set, then waits forever.
 *
 *   encapsock [PORT]
 */
#include <linux/ipsec.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef UDP_ENCAP
#define UDP_ENCAP 100
#endif
#ifndef IP_XFRM_POLICY
#define IP_XFRM_POLICY 17
#endif
#ifndef IPV6_XFRM_POLICY
#define IPV6_XFRM_POLICY 35
#endif

/* A policy that lets the socket's traffic in (or out) unprotected. */
static int bypass(int fd, int family, int dir)
{
	struct xfrm_userpolicy_info p;

	memset(&p, 0, sizeof(p));
	p.sel.family = family;
	p.dir = dir;
	p.action = XFRM_POLICY_ALLOW;
	p.lft.soft_byte_limit = XFRM_INF;
	p.lft.hard_byte_limit = XFRM_INF;
	p.lft.soft_packet_limit = XFRM_INF;
	p.lft.hard_packet_limit = XFRM_INF;
	if (family == AF_INET)
		return setsockopt(fd, IPPROTO_IP, IP_XFRM_POLICY, &p, sizeof(p));
	return setsockopt(fd, IPPROTO_IPV6, IPV6_XFRM_POLICY, &p, sizeof(p));
}
#ifndef UDP_ENCAP_ESPINUDP
#define UDP_ENCAP_ESPINUDP 2
#endif

static int encap_socket(int family, int port)
{
	struct sockaddr_storage ss = { 0 };
	int type = UDP_ENCAP_ESPINUDP, one = 1, fd;
	socklen_t len;

	fd = socket(family, SOCK_DGRAM, 0);
	if (fd < 0)
		return -1;
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		len = sizeof(*sin6);
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	}
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 ||
	    bypass(fd, family, XFRM_POLICY_IN) < 0 ||
	    bypass(fd, family, XFRM_POLICY_OUT) < 0 ||
	    setsockopt(fd, IPPROTO_UDP, UDP_ENCAP, &type, sizeof(type)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 4500;

	if (encap_socket(AF_INET, port) < 0 || encap_socket(AF_INET6, port) < 0) {
		perror("encapsock");
		return 1;
	}
	printf("encapsock: %d\n", port);
	fflush(stdout);
	for (;;)
		pause();
}
