// SPDX-License-Identifier: GPL-2.0
/*
 * xfrmsa: what charon does to SAs that `ip xfrm` cannot, over raw
 * NETLINK_XFRM, printing each answer decoded and free of clock times so
 * that the stock kernel's and oxfrm's outputs can be compared.
 *
 *   xfrmsa getae DADDR SPI [FLAGS]     GETAE; print the NEWAE reply
 *   xfrmsa newae DADDR SPI SEQ OSEQ BITMAP BYTES PACKETS
 *                                      NEWAE (NLM_F_REPLACE) restoring them
 *   xfrmsa move DADDR SPI              charon's NAT/MOBIKE update: GETSA,
 *                                      GETAE, DELSA, then NEWSA with the
 *                                      GETSA reply sent back verbatim plus
 *                                      REPLAY_VAL and LTIME_VAL
 *   xfrmsa expire DADDR SPI HARD       a user-sent EXPIRE
 *   xfrmsa acquire DADDR SPI SADDR NTMPL
 *                                      a user-sent ACQUIRE for 10.1/16 to
 *                                      10.2/16, its policy with NTMPL ESP
 *                                      tunnel templates to DADDR (reqid
 *                                      1, 2, ...)
 *   xfrmsa migrate DIR SSRC/PLEN SDST/PLEN MODE REQID OSRC ODST NSRC NDST
 *          [OPTION...]                 MIGRATE the policy of that selector
 *                                      and the SA between OSRC and ODST to
 *                                      NSRC and NDST; print the ack and the
 *                                      XFRMNLGRP_MIGRATE event, byte by
 *                                      byte. Options: ifid=N, type=sub,
 *                                      proto=N (selector), encap, kma,
 *                                      dup (the migration twice), also=REQID
 *                                      (a second one), short (a truncated
 *                                      XFRMA_MIGRATE), none (no XFRMA_MIGRATE)
 *
 * ESP only; DADDR of either family; the SA's mark must be zero.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#ifndef NETLINK_XFRM
#define NETLINK_XFRM 6
#endif

static int fd;
static unsigned int seq;
static unsigned char reply[1 << 16];

struct req {
	struct nlmsghdr nh;
	unsigned char data[8192];
};

static void *put(struct req *r, const void *p, size_t len)
{
	void *at = (char *)r + NLMSG_ALIGN(r->nh.nlmsg_len);

	memcpy(at, p, len);
	r->nh.nlmsg_len = NLMSG_ALIGN(r->nh.nlmsg_len) + len;
	return at;
}

static void put_attr(struct req *r, int type, const void *p, size_t len)
{
	struct nlattr a = { .nla_len = NLA_HDRLEN + len, .nla_type = type };

	put(r, &a, sizeof(a));
	put(r, p, len);
}

static void init(struct req *r, int type, int flags)
{
	memset(r, 0, sizeof(*r));
	r->nh.nlmsg_len = NLMSG_HDRLEN;
	r->nh.nlmsg_type = type;
	r->nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	r->nh.nlmsg_seq = ++seq;
}

/*
 * Sends @r; returns the errno of its ack (0: ok), and the first message
 * that answered it in reply[] (*got set) if one did.
 */
static int talk(struct req *r, struct nlmsghdr **got)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlmsghdr *nh;
	ssize_t n;

	*got = NULL;
	if (sendto(fd, r, r->nh.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		return -errno;
	for (;;) {
		n = recv(fd, reply, sizeof(reply), 0);
		if (n < 0)
			return -ETIMEDOUT;
		for (nh = (struct nlmsghdr *)reply; NLMSG_OK(nh, (size_t)n);
		     nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_seq != r->nh.nlmsg_seq)
				continue;
			if (nh->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
			/* A GET's answer comes without an ack. */
			*got = nh;
			return 0;
		}
	}
}

static void sa_id(struct xfrm_usersa_id *id, const char *daddr, const char *spi)
{
	memset(id, 0, sizeof(*id));
	id->family = strchr(daddr, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(id->family, daddr, &id->daddr) != 1) {
		fprintf(stderr, "xfrmsa: bad address %s\n", daddr);
		exit(2);
	}
	id->spi = htonl(strtoul(spi, NULL, 0));
	id->proto = IPPROTO_ESP;
}

static struct nlattr *find_attr(struct nlmsghdr *nh, size_t hdr, int type)
{
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(hdr);
	struct nlattr *a;

	while (off + NLA_HDRLEN <= nh->nlmsg_len) {
		a = (struct nlattr *)((char *)nh + off);
		if (a->nla_len < NLA_HDRLEN)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		off += NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

static void print_ae(struct nlmsghdr *nh)
{
	struct xfrm_aevent_id *id = NLMSG_DATA(nh);
	struct xfrm_replay_state_esn *esn;
	struct xfrm_replay_state *rs;
	struct xfrm_lifetime_cur *lt;
	struct nlattr *a;
	unsigned int i;

	printf("newae spi 0x%x reqid %u flags 0x%x len %u\n",
	       ntohl(id->sa_id.spi), id->reqid, id->flags, nh->nlmsg_len);
	a = find_attr(nh, sizeof(*id), XFRMA_REPLAY_VAL);
	if (a) {
		rs = (void *)(a + 1);
		printf("  replay len %u seq %u oseq %u bitmap 0x%08x\n",
		       a->nla_len, rs->seq, rs->oseq, rs->bitmap);
	}
	a = find_attr(nh, sizeof(*id), XFRMA_REPLAY_ESN_VAL);
	if (a) {
		esn = (void *)(a + 1);
		printf("  esn len %u bmp_len %u seq %u/%u oseq %u/%u window %u bmp",
		       a->nla_len, esn->bmp_len, esn->seq_hi, esn->seq,
		       esn->oseq_hi, esn->oseq, esn->replay_window);
		for (i = 0; i < esn->bmp_len && i < 4; i++)
			printf(" %08x", esn->bmp[i]);
		printf("\n");
	}
	a = find_attr(nh, sizeof(*id), XFRMA_LTIME_VAL);
	if (a) {
		lt = (void *)(a + 1);
		printf("  ltime len %u bytes %llu packets %llu use_time %s\n",
		       a->nla_len, (unsigned long long)lt->bytes,
		       (unsigned long long)lt->packets,
		       lt->use_time ? "set" : "0");
	}
	a = find_attr(nh, sizeof(*id), XFRMA_REPLAY_THRESH);
	if (a)
		printf("  rthresh %u\n", *(__u32 *)(a + 1));
	a = find_attr(nh, sizeof(*id), XFRMA_ETIMER_THRESH);
	if (a)
		printf("  etimer %u\n", *(__u32 *)(a + 1));
}

static int getae(struct xfrm_usersa_id *id, unsigned int flags,
		 struct xfrm_replay_state *rs, struct xfrm_lifetime_cur *lt)
{
	struct xfrm_aevent_id ae = { .sa_id = *id, .flags = flags };
	struct nlmsghdr *got;
	struct nlattr *a;
	struct req r;
	int err;

	init(&r, XFRM_MSG_GETAE, 0);
	put(&r, &ae, sizeof(ae));
	err = talk(&r, &got);
	if (err || !got)
		return err ? err : -ENODATA;
	if (!rs) {
		print_ae(got);
		return 0;
	}
	a = find_attr(got, sizeof(ae), XFRMA_REPLAY_VAL);
	if (a)
		memcpy(rs, a + 1, sizeof(*rs));
	a = find_attr(got, sizeof(ae), XFRMA_LTIME_VAL);
	if (a)
		memcpy(lt, a + 1, sizeof(*lt));
	return 0;
}

static int move(struct xfrm_usersa_id *id)
{
	struct xfrm_replay_state rs = { 0 };
	struct xfrm_lifetime_cur lt = { 0 };
	static struct req sa;
	struct nlmsghdr *got;
	struct req r;
	int err;

	init(&r, XFRM_MSG_GETSA, 0);
	put(&r, id, sizeof(*id));
	err = talk(&r, &got);
	printf("getsa %d\n", err);
	if (err || !got)
		return 1;
	/* The reply, verbatim, becomes the new request's payload. */
	init(&sa, XFRM_MSG_NEWSA, 0);
	put(&sa, NLMSG_DATA(got), got->nlmsg_len - NLMSG_HDRLEN);
	err = getae(id, 0, &rs, &lt);
	printf("getae %d\n", err);
	init(&r, XFRM_MSG_DELSA, 0);
	put(&r, id, sizeof(*id));
	printf("delsa %d\n", talk(&r, &got));
	put_attr(&sa, XFRMA_REPLAY_VAL, &rs, sizeof(rs));
	put_attr(&sa, XFRMA_LTIME_VAL, &lt, sizeof(lt));
	printf("newsa %d\n", talk(&sa, &got));
	return 0;
}

static int family_of(const char *addr)
{
	return strchr(addr, ':') ? AF_INET6 : AF_INET;
}

static void addr(const char *s, xfrm_address_t *a, __u8 *plen)
{
	char buf[64], *slash;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = 0;
		*plen = atoi(slash + 1);
	}
	memset(a, 0, sizeof(*a));
	if (inet_pton(family_of(buf), buf, a) != 1) {
		fprintf(stderr, "xfrmsa: bad address %s\n", s);
		exit(2);
	}
}

/* Prints every XFRMNLGRP_MIGRATE message waiting on @mfd, in hex. */
static void print_migrate_events(int mfd)
{
	ssize_t n = recv(mfd, reply, sizeof(reply), 0);
	struct nlmsghdr *nh;
	unsigned int i;

	if (n < 0) {
		printf("event none\n");
		return;
	}
	for (nh = (struct nlmsghdr *)reply; NLMSG_OK(nh, (size_t)n);
	     nh = NLMSG_NEXT(nh, n)) {
		printf("event type %u len %u flags 0x%x seq %u pid %u\n",
		       nh->nlmsg_type, nh->nlmsg_len, nh->nlmsg_flags,
		       nh->nlmsg_seq, nh->nlmsg_pid);
		for (i = NLMSG_HDRLEN; i < nh->nlmsg_len; i++)
			printf("%02x%s", ((unsigned char *)nh)[i],
			       (i - NLMSG_HDRLEN) % 32 == 31 ? "\n" : "");
		printf("\n");
	}
}

static int migrate(int argc, char **argv)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1 << (XFRMNLGRP_MIGRATE - 1),
	};
	struct timeval tv = { .tv_usec = 300000 };
	struct xfrm_user_migrate um[2];
	struct xfrm_userpolicy_id pi;
	struct xfrm_user_kmaddress kma;
	struct xfrm_encap_tmpl encap;
	size_t len = sizeof(um[0]);
	struct nlmsghdr *got;
	__u8 plen = 0;
	struct req r;
	int i, mfd;

	memset(&pi, 0, sizeof(pi));
	memset(um, 0, sizeof(um));
	pi.dir = atoi(argv[2]);
	addr(argv[3], &pi.sel.saddr, &pi.sel.prefixlen_s);
	addr(argv[4], &pi.sel.daddr, &pi.sel.prefixlen_d);
	pi.sel.family = family_of(argv[3]);
	um[0].proto = IPPROTO_ESP;
	um[0].mode = !strcmp(argv[5], "tunnel") ? XFRM_MODE_TUNNEL :
						  XFRM_MODE_TRANSPORT;
	um[0].reqid = strtoul(argv[6], NULL, 0);
	addr(argv[7], &um[0].old_saddr, &plen);
	addr(argv[8], &um[0].old_daddr, &plen);
	addr(argv[9], &um[0].new_saddr, &plen);
	addr(argv[10], &um[0].new_daddr, &plen);
	um[0].old_family = family_of(argv[7]);
	um[0].new_family = family_of(argv[9]);
	um[1] = um[0];

	init(&r, XFRM_MSG_MIGRATE, 0);
	put(&r, &pi, sizeof(pi));
	for (i = 11; i < argc; i++) {
		if (!strncmp(argv[i], "ifid=", 5)) {
			__u32 v = strtoul(argv[i] + 5, NULL, 0);

			put_attr(&r, XFRMA_IF_ID, &v, sizeof(v));
		} else if (!strcmp(argv[i], "type=sub")) {
			struct xfrm_userpolicy_type upt = {
				.type = XFRM_POLICY_TYPE_SUB,
			};

			put_attr(&r, XFRMA_POLICY_TYPE, &upt, sizeof(upt));
		} else if (!strncmp(argv[i], "proto=", 6)) {
			((struct xfrm_userpolicy_id *)NLMSG_DATA(&r.nh))->sel.proto =
				atoi(argv[i] + 6);
		} else if (!strcmp(argv[i], "encap")) {
			memset(&encap, 0, sizeof(encap));
			encap.encap_type = 2;	/* UDP_ENCAP_ESPINUDP */
			encap.encap_sport = htons(4500);
			encap.encap_dport = htons(4501);
			put_attr(&r, XFRMA_ENCAP, &encap, sizeof(encap));
		} else if (!strcmp(argv[i], "kma")) {
			memset(&kma, 0, sizeof(kma));
			kma.local = um[0].new_saddr;
			kma.remote = um[0].new_daddr;
			kma.family = um[0].new_family;
			kma.reserved = 7;
			put_attr(&r, XFRMA_KMADDRESS, &kma, sizeof(kma));
		} else if (!strcmp(argv[i], "dup")) {
			len = 2 * sizeof(um[0]);
		} else if (!strncmp(argv[i], "also=", 5)) {
			um[1].reqid = strtoul(argv[i] + 5, NULL, 0);
			len = 2 * sizeof(um[0]);
		} else if (!strcmp(argv[i], "short")) {
			len = sizeof(um[0]) - 8;
		} else if (!strcmp(argv[i], "none")) {
			len = 0;
		} else {
			fprintf(stderr, "xfrmsa: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (len)
		put_attr(&r, XFRMA_MIGRATE, um, len);

	/* Joining the group needs privilege too: unprivileged, see no event. */
	mfd = socket(AF_NETLINK, SOCK_RAW, NETLINK_XFRM);
	if (mfd >= 0 && bind(mfd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		printf("group %d\n", -errno);
		close(mfd);
		mfd = -1;
	}
	printf("migrate %d\n", talk(&r, &got));
	if (mfd >= 0) {
		setsockopt(mfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		print_migrate_events(mfd);
		close(mfd);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct timeval tv = { .tv_sec = 2 };
	struct xfrm_usersa_id id;
	struct nlmsghdr *got;
	struct req r;
	int one = 1;

	if (argc < 4)
		goto usage;
	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_XFRM);
	if (fd < 0) {
		perror("xfrmsa: socket");
		return 1;
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (!strcmp(argv[1], "migrate") && argc >= 11)
		return migrate(argc, argv);
	sa_id(&id, argv[2], argv[3]);

	if (!strcmp(argv[1], "getae")) {
		printf("getae %d\n", getae(&id, argc > 4 ? strtoul(argv[4], NULL, 0) : 0,
					   NULL, NULL));
		return 0;
	}
	if (!strcmp(argv[1], "newae") && argc == 9) {
		struct xfrm_aevent_id ae = { .sa_id = id };
		struct xfrm_replay_state rs = {
			.seq = strtoul(argv[4], NULL, 0),
			.oseq = strtoul(argv[5], NULL, 0),
			.bitmap = strtoul(argv[6], NULL, 0),
		};
		struct xfrm_lifetime_cur lt = {
			.bytes = strtoull(argv[7], NULL, 0),
			.packets = strtoull(argv[8], NULL, 0),
		};

		init(&r, XFRM_MSG_NEWAE, NLM_F_REPLACE);
		put(&r, &ae, sizeof(ae));
		put_attr(&r, XFRMA_REPLAY_VAL, &rs, sizeof(rs));
		put_attr(&r, XFRMA_LTIME_VAL, &lt, sizeof(lt));
		printf("newae %d\n", talk(&r, &got));
		/* Without NLM_F_REPLACE the stock kernel refuses. */
		r.nh.nlmsg_flags &= ~NLM_F_REPLACE;
		r.nh.nlmsg_seq = ++seq;
		printf("newae without replace %d\n", talk(&r, &got));
		return 0;
	}
	if (!strcmp(argv[1], "move"))
		return move(&id);
	if (!strcmp(argv[1], "expire") && argc == 5) {
		struct xfrm_user_expire ue = { 0 };

		ue.state.id.daddr = id.daddr;
		ue.state.id.spi = id.spi;
		ue.state.id.proto = id.proto;
		ue.state.family = id.family;
		ue.hard = atoi(argv[4]);
		init(&r, XFRM_MSG_EXPIRE, 0);
		put(&r, &ue, sizeof(ue));
		printf("expire %d\n", talk(&r, &got));
		return 0;
	}
	if (!strcmp(argv[1], "acquire") && argc == 6) {
		struct xfrm_user_tmpl t[8];
		struct xfrm_user_acquire ua;
		int i, n = atoi(argv[5]);

		if (n < 0 || n > 8)
			goto usage;
		memset(&ua, 0, sizeof(ua));
		memcpy(&ua.id.daddr, &id.daddr, sizeof(id.daddr));
		ua.id.spi = id.spi;
		ua.id.proto = IPPROTO_ESP;
		inet_pton(id.family, argv[4], &ua.saddr);
		ua.sel.family = AF_INET;
		inet_pton(AF_INET, "10.1.0.0", &ua.sel.saddr);
		inet_pton(AF_INET, "10.2.0.0", &ua.sel.daddr);
		ua.sel.prefixlen_s = 16;
		ua.sel.prefixlen_d = 16;
		ua.policy.sel = ua.sel;
		ua.policy.dir = XFRM_POLICY_OUT;
		ua.policy.priority = 100;
		ua.policy.lft.soft_byte_limit = ~0ULL;
		ua.policy.lft.hard_byte_limit = ~0ULL;
		ua.policy.lft.soft_packet_limit = ~0ULL;
		ua.policy.lft.hard_packet_limit = ~0ULL;
		ua.aalgos = ua.ealgos = ua.calgos = ~0U;
		memset(t, 0, sizeof(t));
		for (i = 0; i < n; i++) {
			t[i].id = ua.id;
			t[i].family = id.family;
			t[i].saddr = ua.saddr;
			t[i].reqid = i + 1;
			t[i].mode = XFRM_MODE_TUNNEL;
			t[i].aalgos = t[i].ealgos = t[i].calgos = 0x5;
		}
		init(&r, XFRM_MSG_ACQUIRE, 0);
		put(&r, &ua, sizeof(ua));
		if (n)
			put_attr(&r, XFRMA_TMPL, t, n * sizeof(t[0]));
		printf("acquire %d\n", talk(&r, &got));
		return 0;
	}
usage:
	fprintf(stderr, "usage: xfrmsa getae|newae|move|expire|acquire|migrate ... ...\n");
	return 2;
}
