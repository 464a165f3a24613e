// SPDX-License-Identifier: GPL-2.0
/*
 * espreplay: send again, as captured or damaged, an IP packet that tcpdump
 * wrote to a pcap file (Ethernet link type), through a raw socket with the
 * IP header included; for tests that feed oxfrm replayed, corrupted,
 * truncated or stretched ESP.
 *
 *   espreplay FILE [-i INDEX] [-f OFFSET | -F] [-t LEN] [-a EXTRA] [-s SPI] [-n COUNT]
 *
 * INDEX picks the packet (0: the first). OFFSET flips every bit of the
 * byte at that offset from the ESP header; -F sends one copy per byte of
 * the ESP part, each with only that byte flipped; LEN cuts the ESP part to LEN
 * bytes; EXTRA appends that many bytes; SPI replaces the SPI. The IP
 * header's lengths follow (IPv4 total length and checksum, IPv6 payload
 * length). COUNT sends it that many times. Exits non-zero on failure.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef IPV6_HDRINCL
#define IPV6_HDRINCL 36
#endif

static unsigned char pkt[70000];

static uint16_t csum(const void *p, size_t len)
{
	const uint16_t *w = p;
	uint32_t sum = 0;

	for (; len > 1; len -= 2)
		sum += *w++;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

/* The INDEX-th packet's IP bytes into pkt; its length, or -1. */
static long load(const char *file, long index)
{
	unsigned char rec[16], hdr[24];
	uint32_t caplen;
	FILE *f = fopen(file, "rb");
	long i;

	if (!f || fread(hdr, 1, sizeof(hdr), f) != sizeof(hdr))
		return -1;
	for (i = 0;; i++) {
		if (fread(rec, 1, sizeof(rec), f) != sizeof(rec))
			return -1;
		memcpy(&caplen, rec + 8, 4);
		if (caplen > sizeof(pkt) || fread(pkt, 1, caplen, f) != caplen)
			return -1;
		if (i == index)
			break;
	}
	fclose(f);
	if (caplen < 14)
		return -1;
	memmove(pkt, pkt + 14, caplen - 14);
	return caplen - 14;
}

/* COUNT copies of pkt's first LEN bytes to SS; non-zero on failure. */
static int send_copies(int fd, long len, const struct sockaddr_storage *ss,
		       socklen_t slen, long count)
{
	long i;

	for (i = 0; i < count; i++) {
		if (sendto(fd, pkt, len, 0, (const struct sockaddr *)ss, slen) < 0) {
			perror("espreplay: sendto");
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	long index = 0, flip = -1, cut = -1, extra = 0, count = 1, len, i;
	unsigned long spi = 0;
	int c, fd, v6, one = 1, hl, have_spi = 0, each = 0;
	struct sockaddr_storage ss = { 0 };
	socklen_t slen;

	while ((c = getopt(argc, argv, "i:f:Ft:a:s:n:")) != -1) {
		switch (c) {
		case 'i': index = atol(optarg); break;
		case 'f': flip = atol(optarg); break;
		case 'F': each = 1; break;
		case 't': cut = atol(optarg); break;
		case 'a': extra = atol(optarg); break;
		case 's': spi = strtoul(optarg, NULL, 0); have_spi = 1; break;
		case 'n': count = atol(optarg); break;
		default: goto usage;
		}
	}
	if (optind != argc - 1 || (each && flip >= 0))
		goto usage;
	len = load(argv[optind], index);
	if (len < 20) {
		fprintf(stderr, "espreplay: no packet %ld in %s\n", index, argv[optind]);
		return 1;
	}
	v6 = (pkt[0] >> 4) == 6;
	hl = v6 ? 40 : (pkt[0] & 15) * 4;
	if (cut >= 0 && hl + cut < len)
		len = hl + cut;
	if (extra > 0 && len + extra <= (long)sizeof(pkt)) {
		for (i = 0; i < extra; i++)
			pkt[len + i] = (unsigned char)(i * 7 + 1);
		len += extra;
	}
	if (flip >= 0 && hl + flip < len)
		pkt[hl + flip] ^= 0xff;
	if (have_spi && len >= hl + 4) {
		uint32_t n = htonl(spi);

		memcpy(pkt + hl, &n, 4);
	}

	if (v6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		uint16_t pl = htons(len - 40);

		memcpy(pkt + 4, &pl, 2);
		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, pkt + 24, 16);
		slen = sizeof(*s6);
		fd = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW);
		if (fd >= 0)
			setsockopt(fd, IPPROTO_IPV6, IPV6_HDRINCL, &one, sizeof(one));
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		uint16_t tl = htons(len);

		memcpy(pkt + 2, &tl, 2);
		pkt[10] = pkt[11] = 0;
		tl = csum(pkt, hl);
		memcpy(pkt + 10, &tl, 2);
		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, pkt + 16, 4);
		slen = sizeof(*s4);
		fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	}
	if (fd < 0) {
		perror("espreplay: socket");
		return 1;
	}
	if (each) {
		for (i = hl; i < len; i++) {
			pkt[i] ^= 0xff;
			if (send_copies(fd, len, &ss, slen, count))
				return 1;
			pkt[i] ^= 0xff;
		}
		return 0;
	}
	return send_copies(fd, len, &ss, slen, count);
usage:
	fprintf(stderr, "usage: espreplay FILE [-i INDEX] [-f OFFSET | -F] [-t LEN] [-a EXTRA] [-s SPI] [-n COUNT]\n");
	return 2;
}
