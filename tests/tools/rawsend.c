// SPDX-License-Identifier: GPL-2.0
/*
 * rawsend: send raw IP payloads of a given protocol, for guest tests that
 * feed oxfrm packets no real peer would send.
 *
 *   rawsend [-6] -p PROTO -d DST [-n COUNT] [-l LEN] [-s SPI] [-q SEQ]
 *
 * The payload is LEN bytes: a 4-byte SPI and a 4-byte sequence number (when
 * LEN allows), then a counting pattern. Exits non-zero when a send fails.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_storage ss = { 0 };
	unsigned long count = 1, len = 64, spi = 0x100, seq = 1;
	const char *dst = NULL;
	unsigned char buf[65536];
	int family = AF_INET, proto = -1, fd, c;
	socklen_t slen;
	unsigned long i;

	while ((c = getopt(argc, argv, "6p:d:n:l:s:q:")) != -1) {
		switch (c) {
		case '6': family = AF_INET6; break;
		case 'p': proto = atoi(optarg); break;
		case 'd': dst = optarg; break;
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 'l': len = strtoul(optarg, NULL, 0); break;
		case 's': spi = strtoul(optarg, NULL, 0); break;
		case 'q': seq = strtoul(optarg, NULL, 0); break;
		default: goto usage;
		}
	}
	if (proto < 0 || !dst || len > sizeof(buf))
		goto usage;

	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		if (inet_pton(AF_INET, dst, &sin->sin_addr) != 1)
			goto usage;
		slen = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		if (inet_pton(AF_INET6, dst, &sin6->sin6_addr) != 1)
			goto usage;
		slen = sizeof(*sin6);
	}

	fd = socket(family, SOCK_RAW, proto);
	if (fd < 0) {
		perror("rawsend: socket");
		return 1;
	}
	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)i;
	for (i = 0; i < count; i++) {
		uint32_t v;

		if (len >= 4) {
			v = htonl((uint32_t)spi);
			memcpy(buf, &v, 4);
		}
		if (len >= 8) {
			v = htonl((uint32_t)(seq + i));
			memcpy(buf + 4, &v, 4);
		}
		if (sendto(fd, buf, len, 0, (struct sockaddr *)&ss, slen) < 0) {
			perror("rawsend: sendto");
			return 1;
		}
	}
	close(fd);
	return 0;
usage:
	fprintf(stderr, "usage: rawsend [-6] -p PROTO -d DST [-n COUNT] [-l LEN] [-s SPI] [-q SEQ]\n");
	return 2;
}
