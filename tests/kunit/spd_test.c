// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the SPD. Index allocation and its direction bits, identity,
 * insertion, replacement and deletion as the stock kernel has them,
 * priority ties, and the classifier against a brute-force reference over
 * random overlapping policy sets.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/in.h>
#include <linux/kthread.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <oxfrm/policy.h>

static struct oxfrm_spd *oxfrm_spd_test_spd(struct kunit *test)
{
	struct oxfrm_spd *spd = kunit_kzalloc(test, sizeof(*spd), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, spd);
	KUNIT_ASSERT_EQ(test, oxfrm_spd_init(spd), 0);
	return spd;
}

static void oxfrm_spd_test_sel4(struct xfrm_selector *sel, u32 saddr,
				u8 plen_s, u32 daddr, u8 plen_d)
{
	memset(sel, 0, sizeof(*sel));
	sel->family = AF_INET;
	sel->saddr.a4 = htonl(saddr);
	sel->prefixlen_s = plen_s;
	sel->daddr.a4 = htonl(daddr);
	sel->prefixlen_d = plen_d;
}

static struct oxfrm_policy *oxfrm_spd_test_new(struct kunit *test,
					       struct oxfrm_spd *spd, u8 dir,
					       const struct xfrm_selector *sel,
					       u32 priority)
{
	struct oxfrm_policy *pol = oxfrm_policy_alloc(spd, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, pol);
	pol->sel = *sel;
	pol->dir = dir;
	pol->priority = priority;
	pol->type = XFRM_POLICY_TYPE_MAIN;
	return pol;
}

/* Inserts @pol and drops the caller's reference; returns the errno. */
static int oxfrm_spd_test_insert(struct oxfrm_policy *pol, bool excl)
{
	int err = oxfrm_spd_insert(pol, excl);

	oxfrm_policy_put(pol);
	return err;
}

static struct oxfrm_policy *oxfrm_spd_test_add(struct kunit *test,
					       struct oxfrm_spd *spd, u8 dir,
					       u32 saddr, u8 plen_s, u32 daddr,
					       u8 plen_d, u32 priority)
{
	struct xfrm_selector sel;
	struct oxfrm_policy *pol;

	oxfrm_spd_test_sel4(&sel, saddr, plen_s, daddr, plen_d);
	pol = oxfrm_spd_test_new(test, spd, dir, &sel, priority);
	KUNIT_ASSERT_EQ(test, oxfrm_spd_insert(pol, true), 0);
	oxfrm_policy_put(pol);
	return pol;
}

static void oxfrm_spd_test_index(struct kunit *test)
{
	struct oxfrm_spd *spd = oxfrm_spd_test_spd(test);
	struct xfrm_mark m = { };
	struct oxfrm_policy *p[6], *found;
	struct xfrm_selector sel;

	/* Generated: generator | dir, the generator stepping by 8; 0 is 8. */
	p[0] = oxfrm_spd_test_add(test, spd, XFRM_POLICY_IN, 0x0a000001, 32,
				  0x0a000002, 32, 0);
	KUNIT_EXPECT_EQ(test, p[0]->index, 8U);
	p[1] = oxfrm_spd_test_add(test, spd, XFRM_POLICY_IN, 0x0a000003, 32,
				  0x0a000002, 32, 0);
	KUNIT_EXPECT_EQ(test, p[1]->index, 16U);	/* 8 was taken */
	p[2] = oxfrm_spd_test_add(test, spd, XFRM_POLICY_OUT, 0x0a000001, 32,
				  0x0a000002, 32, 0);
	KUNIT_EXPECT_EQ(test, p[2]->index, 24U | XFRM_POLICY_OUT);
	p[3] = oxfrm_spd_test_add(test, spd, XFRM_POLICY_FWD, 0x0a000000, 8,
				  0x0b000000, 8, 0);
	KUNIT_EXPECT_EQ(test, p[3]->index, 32U | XFRM_POLICY_FWD);

	/* Wanted: kept if free, else generated. */
	oxfrm_spd_test_sel4(&sel, 0x0c000000, 8, 0x0d000000, 8);
	p[4] = oxfrm_spd_test_new(test, spd, XFRM_POLICY_OUT, &sel, 0);
	p[4]->index = 0x101;
	KUNIT_ASSERT_EQ(test, oxfrm_spd_insert(p[4], true), 0);
	oxfrm_policy_put(p[4]);
	KUNIT_EXPECT_EQ(test, p[4]->index, 0x101U);
	oxfrm_spd_test_sel4(&sel, 0x0c000000, 8, 0x0e000000, 8);
	p[5] = oxfrm_spd_test_new(test, spd, XFRM_POLICY_OUT, &sel, 0);
	p[5]->index = 0x101;
	KUNIT_ASSERT_EQ(test, oxfrm_spd_insert(p[5], true), 0);
	oxfrm_policy_put(p[5]);
	KUNIT_EXPECT_EQ(test, p[5]->index, 40U | XFRM_POLICY_OUT);

	/* By index: the direction must agree, and type, mark and if_id. */
	found = oxfrm_spd_find_index(spd, XFRM_POLICY_OUT,
				     XFRM_POLICY_TYPE_MAIN, 0x101, &m, 0);
	KUNIT_EXPECT_PTR_EQ(test, found, p[4]);
	if (found)
		oxfrm_policy_put(found);
	KUNIT_EXPECT_NULL(test, oxfrm_spd_find_index(spd, XFRM_POLICY_IN,
						     XFRM_POLICY_TYPE_MAIN,
						     0x101, &m, 0));
	KUNIT_EXPECT_NULL(test, oxfrm_spd_find_index(spd, XFRM_POLICY_OUT,
						     XFRM_POLICY_TYPE_SUB,
						     0x101, &m, 0));
	KUNIT_EXPECT_NULL(test, oxfrm_spd_find_index(spd, XFRM_POLICY_OUT,
						     XFRM_POLICY_TYPE_MAIN,
						     0x101, &m, 1));
	KUNIT_EXPECT_EQ(test, spd->count[XFRM_POLICY_IN], 2U);
	KUNIT_EXPECT_EQ(test, spd->count[XFRM_POLICY_OUT], 3U);
	KUNIT_EXPECT_EQ(test, spd->count[XFRM_POLICY_FWD], 1U);
	oxfrm_spd_destroy(spd);
}

static void oxfrm_spd_test_identity(struct kunit *test)
{
	struct oxfrm_spd *spd = oxfrm_spd_test_spd(test);
	struct oxfrm_policy *a, *b, *c, *found;
	struct xfrm_mark m = { .v = 5, .m = 0xf };
	struct xfrm_selector sel;

	oxfrm_spd_test_sel4(&sel, 0x0a000000, 24, 0x0a010000, 24);
	a = oxfrm_spd_test_new(test, spd, XFRM_POLICY_OUT, &sel, 10);
	a->mark.v = 0x15;	/* stored masked: 5/0xf */
	a->mark.m = 0xf;
	KUNIT_ASSERT_EQ(test, oxfrm_spd_insert(a, true), 0);
	KUNIT_EXPECT_EQ(test, a->mark.v, 5U);

	/* Same identity, another priority: EEXIST for NEWPOLICY. */
	b = oxfrm_spd_test_new(test, spd, XFRM_POLICY_OUT, &sel, 20);
	b->mark = m;
	KUNIT_EXPECT_EQ(test, oxfrm_spd_insert(b, true), -EEXIST);
	KUNIT_EXPECT_FALSE(test, b->linked);

	/* ... replaced by UPDPOLICY, which keeps the index. */
	KUNIT_EXPECT_EQ(test, oxfrm_spd_insert(b, false), 0);
	KUNIT_EXPECT_TRUE(test, b->linked);
	KUNIT_EXPECT_FALSE(test, a->linked);
	KUNIT_EXPECT_EQ(test, b->index, a->index);
	KUNIT_EXPECT_EQ(test, spd->count[XFRM_POLICY_OUT], 1U);
	oxfrm_policy_put(a);

	/* Another if_id, type, direction or mark is another policy. */
	c = oxfrm_spd_test_new(test, spd, XFRM_POLICY_OUT, &sel, 20);
	c->mark = m;
	c->if_id = 3;
	KUNIT_EXPECT_EQ(test, oxfrm_spd_test_insert(c, true), 0);
	c = oxfrm_spd_test_new(test, spd, XFRM_POLICY_OUT, &sel, 20);
	c->mark = m;
	c->type = XFRM_POLICY_TYPE_SUB;
	KUNIT_EXPECT_EQ(test, oxfrm_spd_test_insert(c, true), 0);
	c = oxfrm_spd_test_new(test, spd, XFRM_POLICY_IN, &sel, 20);
	c->mark = m;
	KUNIT_EXPECT_EQ(test, oxfrm_spd_test_insert(c, true), 0);
	c = oxfrm_spd_test_new(test, spd, XFRM_POLICY_OUT, &sel, 20);
	KUNIT_EXPECT_EQ(test, oxfrm_spd_test_insert(c, true), 0);
	/* Host bits past the prefix are part of the selector. */
	sel.saddr.a4 = htonl(0x0a000001);
	c = oxfrm_spd_test_new(test, spd, XFRM_POLICY_OUT, &sel, 20);
	KUNIT_EXPECT_EQ(test, oxfrm_spd_test_insert(c, true), 0);
	sel.saddr.a4 = htonl(0x0a000000);
	KUNIT_EXPECT_EQ(test, spd->count[XFRM_POLICY_OUT], 5U);

	/* Lookups by selector compare the mark as sent. */
	found = oxfrm_spd_find_sel(spd, XFRM_POLICY_OUT, XFRM_POLICY_TYPE_MAIN,
				   &sel, &m, 0);
	KUNIT_EXPECT_PTR_EQ(test, found, b);
	if (found)
		oxfrm_policy_put(found);
	m.v = 0x15;
	KUNIT_EXPECT_NULL(test, oxfrm_spd_find_sel(spd, XFRM_POLICY_OUT,
						   XFRM_POLICY_TYPE_MAIN,
						   &sel, &m, 0));
	m.v = 5;
	sel.prefixlen_d = 33;
	KUNIT_EXPECT_NULL(test, oxfrm_spd_find_sel(spd, XFRM_POLICY_OUT,
						   XFRM_POLICY_TYPE_MAIN,
						   &sel, &m, 0));

	/* Deleted once; flush counts by type. */
	KUNIT_EXPECT_TRUE(test, oxfrm_spd_unlink(b));
	KUNIT_EXPECT_FALSE(test, oxfrm_spd_unlink(b));
	oxfrm_policy_put(b);
	KUNIT_EXPECT_EQ(test, oxfrm_spd_flush(spd, XFRM_POLICY_TYPE_SUB), 1U);
	KUNIT_EXPECT_EQ(test, oxfrm_spd_flush(spd, XFRM_POLICY_TYPE_SUB), 0U);
	KUNIT_EXPECT_EQ(test, oxfrm_spd_flush(spd, XFRM_POLICY_TYPE_MAIN), 4U);
	KUNIT_EXPECT_TRUE(test, list_empty(&spd->all));
	oxfrm_spd_destroy(spd);
}

static struct oxfrm_policy *oxfrm_spd_test_lookup4(struct oxfrm_spd *spd,
						   u8 dir, u32 saddr, u32 daddr)
{
	struct oxfrm_flow fl = { .family = AF_INET };
	struct oxfrm_policy *pol;

	fl.saddr.a4 = htonl(saddr);
	fl.daddr.a4 = htonl(daddr);
	pol = oxfrm_spd_lookup(spd, dir, &fl);
	if (pol)
		oxfrm_policy_put(pol);
	return pol;
}

/* Ties: lowest priority value, then first inserted; sub before main. */
static void oxfrm_spd_test_ties(struct kunit *test)
{
	struct oxfrm_spd *spd = oxfrm_spd_test_spd(test);
	struct oxfrm_policy *a, *b, *exact, *sub;
	struct xfrm_selector sel;
	u8 out = XFRM_POLICY_OUT;

	a = oxfrm_spd_test_add(test, spd, out, 0x0a000000, 8, 0, 0, 10);
	b = oxfrm_spd_test_add(test, spd, out, 0, 0, 0x0b000000, 8, 10);
	KUNIT_EXPECT_PTR_EQ(test, oxfrm_spd_test_lookup4(spd, out, 0x0a000001,
							 0x0b000001), a);
	KUNIT_EXPECT_NULL(test, oxfrm_spd_test_lookup4(spd, XFRM_POLICY_IN,
						       0x0a000001, 0x0b000001));

	/* Replaced at the same priority: keeps its place before b. */
	oxfrm_spd_test_sel4(&sel, 0x0a000000, 8, 0, 0);
	a = oxfrm_spd_test_new(test, spd, out, &sel, 10);
	KUNIT_ASSERT_EQ(test, oxfrm_spd_test_insert(a, false), 0);
	KUNIT_EXPECT_PTR_EQ(test, oxfrm_spd_test_lookup4(spd, out, 0x0a000001,
							 0x0b000001), a);
	/* At another priority it moves; back at 10 it comes after b. */
	a = oxfrm_spd_test_new(test, spd, out, &sel, 11);
	KUNIT_ASSERT_EQ(test, oxfrm_spd_test_insert(a, false), 0);
	KUNIT_EXPECT_PTR_EQ(test, oxfrm_spd_test_lookup4(spd, out, 0x0a000001,
							 0x0b000001), b);
	a = oxfrm_spd_test_new(test, spd, out, &sel, 10);
	KUNIT_ASSERT_EQ(test, oxfrm_spd_test_insert(a, false), 0);
	KUNIT_EXPECT_PTR_EQ(test, oxfrm_spd_test_lookup4(spd, out, 0x0a000001,
							 0x0b000001), b);

	/* An exact policy wins by priority only, not by being exact. */
	exact = oxfrm_spd_test_add(test, spd, out, 0x0a000001, 32, 0x0b000001,
				   32, 10);
	KUNIT_EXPECT_PTR_EQ(test, oxfrm_spd_test_lookup4(spd, out, 0x0a000001,
							 0x0b000001), b);
	exact = oxfrm_spd_test_add(test, spd, out, 0x0a000002, 32, 0x0b000001,
				   32, 9);
	KUNIT_EXPECT_PTR_EQ(test, oxfrm_spd_test_lookup4(spd, out, 0x0a000002,
							 0x0b000001), exact);

	/* A sub policy wins over any main one. */
	oxfrm_spd_test_sel4(&sel, 0, 0, 0, 0);
	sub = oxfrm_spd_test_new(test, spd, out, &sel, 1000);
	sub->type = XFRM_POLICY_TYPE_SUB;
	KUNIT_ASSERT_EQ(test, oxfrm_spd_insert(sub, true), 0);
	oxfrm_policy_put(sub);
	KUNIT_EXPECT_PTR_EQ(test, oxfrm_spd_test_lookup4(spd, out, 0x0a000002,
							 0x0b000001), sub);
	KUNIT_EXPECT_TRUE(test, oxfrm_spd_unlink(sub));
	KUNIT_EXPECT_PTR_EQ(test, oxfrm_spd_test_lookup4(spd, out, 0x0a000002,
							 0x0b000001), exact);
	oxfrm_spd_destroy(spd);
}

/* Lifetimes: a hard limit unlinks the policy; a soft one does not. */
static void oxfrm_spd_test_lifetime(struct kunit *test)
{
	struct oxfrm_spd *spd = oxfrm_spd_test_spd(test);
	struct oxfrm_policy *hard, *soft, *used;
	struct xfrm_selector sel;

	oxfrm_spd_test_sel4(&sel, 0x0a000000, 8, 0x0b000000, 8);
	hard = oxfrm_spd_test_new(test, spd, XFRM_POLICY_OUT, &sel, 0);
	hard->lft.hard_add_expires_seconds = 1;
	KUNIT_ASSERT_EQ(test, oxfrm_spd_insert(hard, true), 0);
	soft = oxfrm_spd_test_new(test, spd, XFRM_POLICY_IN, &sel, 0);
	soft->lft.soft_add_expires_seconds = 1;
	KUNIT_ASSERT_EQ(test, oxfrm_spd_insert(soft, true), 0);
	/* Use limits count from the addition while the policy is unused. */
	used = oxfrm_spd_test_new(test, spd, XFRM_POLICY_FWD, &sel, 0);
	used->lft.hard_use_expires_seconds = 1;
	KUNIT_ASSERT_EQ(test, oxfrm_spd_insert(used, true), 0);

	msleep(3500);
	KUNIT_EXPECT_FALSE(test, hard->linked);
	KUNIT_EXPECT_TRUE(test, soft->linked);
	KUNIT_EXPECT_FALSE(test, used->linked);
	KUNIT_EXPECT_EQ(test, spd->count[XFRM_POLICY_IN], 1U);
	KUNIT_EXPECT_EQ(test, spd->count[XFRM_POLICY_OUT], 0U);
	oxfrm_policy_put(hard);
	oxfrm_policy_put(soft);
	oxfrm_policy_put(used);
	oxfrm_spd_destroy(spd);
}

/* A dump part that takes at most @room policies, as a full message does. */
struct oxfrm_spd_test_dump {
	unsigned int room;
	unsigned int seen[64];
	unsigned int n;
};

static int oxfrm_spd_test_dump_one(struct oxfrm_policy *pol, void *arg)
{
	struct oxfrm_spd_test_dump *d = arg;

	if (!d->room)
		return -EMSGSIZE;
	d->room--;
	d->seen[d->n++] = pol->priority;
	return 0;
}

/*
 * A dump resumes after what it listed, whatever was linked or unlinked in
 * between: each policy linked throughout comes exactly once, newest first.
 */
static void oxfrm_spd_test_walk(struct kunit *test)
{
	struct oxfrm_spd *spd = oxfrm_spd_test_spd(test);
	struct oxfrm_spd_test_dump d = { };
	struct oxfrm_policy *p[10];
	struct oxfrm_spd_walk w;
	unsigned int i;

	/* The priority names the policy: 0 oldest ... 9 newest. */
	for (i = 0; i < 10; i++)
		p[i] = oxfrm_spd_test_add(test, spd, XFRM_POLICY_OUT,
					  0x0a000000 + i, 32, 0x0b000000, 32, i);
	oxfrm_spd_walk_init(&w);
	d.room = 3;
	KUNIT_EXPECT_EQ(test, oxfrm_spd_walk(spd, &w, oxfrm_spd_test_dump_one,
					     &d), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, d.n, 3U);		/* 9, 8, 7 */

	/* The next in line, one already listed, and a new one change. */
	KUNIT_EXPECT_TRUE(test, oxfrm_spd_unlink(p[6]));
	KUNIT_EXPECT_TRUE(test, oxfrm_spd_unlink(p[8]));
	oxfrm_spd_test_add(test, spd, XFRM_POLICY_OUT, 0x0a0000ff, 32,
			   0x0b000000, 32, 42);
	d.room = 4;
	KUNIT_EXPECT_EQ(test, oxfrm_spd_walk(spd, &w, oxfrm_spd_test_dump_one,
					     &d), -EMSGSIZE);
	d.room = 100;
	KUNIT_EXPECT_EQ(test, oxfrm_spd_walk(spd, &w, oxfrm_spd_test_dump_one,
					     &d), 0);
	/* Finished: a further call lists nothing. */
	KUNIT_EXPECT_EQ(test, oxfrm_spd_walk(spd, &w, oxfrm_spd_test_dump_one,
					     &d), 0);
	KUNIT_ASSERT_EQ(test, d.n, 9U);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, d.seen[i], 9 - i);
	for (i = 3; i < 9; i++)
		KUNIT_EXPECT_EQ(test, d.seen[i], 8 - i);
	KUNIT_EXPECT_TRUE(test, list_empty(&w.all));
	oxfrm_spd_walk_done(spd, &w);

	/* A dump that ends early leaves no marker behind. */
	oxfrm_spd_walk_init(&w);
	d.room = 1;
	oxfrm_spd_walk(spd, &w, oxfrm_spd_test_dump_one, &d);
	KUNIT_EXPECT_FALSE(test, list_empty(&w.all));
	oxfrm_spd_walk_done(spd, &w);
	KUNIT_EXPECT_TRUE(test, list_empty(&w.all));
	oxfrm_spd_destroy(spd);
}

/* Brute force: random policies, random flows near them. */
#define OXFRM_SPD_TEST_POLICIES	160
#define OXFRM_SPD_TEST_ROUNDS	20
#define OXFRM_SPD_TEST_LOOKUPS	5000	/* per round and family */

static const __be16 oxfrm_spd_test_ports[] = {
	htons(80), htons(443), htons(500), htons(4500), htons(0x1234)
};

static const u8 oxfrm_spd_test_protos[] = {
	IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP, IPPROTO_ESP
};

static u32 oxfrm_spd_test_rand(struct rnd_state *rnd, u32 n)
{
	return prandom_u32_state(rnd) % n;
}

/* Independent of the classifier's masking: whole words, then a shift. */
static bool oxfrm_spd_test_prefix(const xfrm_address_t *a,
				  const xfrm_address_t *b, unsigned int plen)
{
	unsigned int i;

	for (i = 0; plen >= 32; i++, plen -= 32)
		if (a->a6[i] != b->a6[i])
			return false;
	return !plen || !(ntohl(a->a6[i] ^ b->a6[i]) >> (32 - plen));
}

static bool oxfrm_spd_test_ref_match(const struct oxfrm_policy *pol, u8 dir,
				     const struct oxfrm_flow *fl)
{
	const struct xfrm_selector *sel = &pol->sel;

	return pol->dir == dir && sel->family == fl->family &&
	       pol->if_id == fl->if_id &&
	       (fl->mark & pol->mark.m) == pol->mark.v &&
	       oxfrm_spd_test_prefix(&fl->saddr, &sel->saddr, sel->prefixlen_s) &&
	       oxfrm_spd_test_prefix(&fl->daddr, &sel->daddr, sel->prefixlen_d) &&
	       (ntohs(fl->sport) & ntohs(sel->sport_mask)) ==
	       (ntohs(sel->sport) & ntohs(sel->sport_mask)) &&
	       (ntohs(fl->dport) & ntohs(sel->dport_mask)) ==
	       (ntohs(sel->dport) & ntohs(sel->dport_mask)) &&
	       (!sel->proto || sel->proto == fl->proto) &&
	       (!sel->ifindex || sel->ifindex == fl->oif);
}

/* The reference: every linked policy, sub before main, then (priority, age). */
static struct oxfrm_policy *oxfrm_spd_test_ref(struct oxfrm_spd *spd, u8 dir,
					       const struct oxfrm_flow *fl)
{
	struct oxfrm_policy *best = NULL, *pol;
	struct oxfrm_spd_walk *w;

	list_for_each_entry(w, &spd->all, all) {
		pol = container_of(w, struct oxfrm_policy, walk);
		if (!oxfrm_spd_test_ref_match(pol, dir, fl))
			continue;
		if (!best || pol->type > best->type ||
		    (pol->type == best->type &&
		     (pol->priority < best->priority ||
		      (pol->priority == best->priority && pol->seq < best->seq))))
			best = pol;
	}
	return best;
}

static u8 oxfrm_spd_test_plen(struct rnd_state *rnd, u16 family)
{
	static const u8 v4[] = { 0, 8, 16, 24, 28, 32, 32 };
	static const u8 v6[] = { 0, 16, 48, 64, 120, 128, 128 };
	u32 i = oxfrm_spd_test_rand(rnd, ARRAY_SIZE(v4) + 1);

	if (i == ARRAY_SIZE(v4))	/* now and then, any length */
		return oxfrm_spd_test_rand(rnd, family == AF_INET ? 33 : 129);
	return family == AF_INET ? v4[i] : v6[i];
}

/* Addresses from a small pool, so that policies overlap. */
static void oxfrm_spd_test_addr(struct rnd_state *rnd, u16 family,
				xfrm_address_t *a)
{
	memset(a, 0, sizeof(*a));
	if (family == AF_INET) {
		a->a4 = htonl(0x0a000000 | oxfrm_spd_test_rand(rnd, 4) << 16 |
			      oxfrm_spd_test_rand(rnd, 4) << 8 |
			      oxfrm_spd_test_rand(rnd, 4));
		return;
	}
	a->a6[0] = htonl(0xfd000000 | oxfrm_spd_test_rand(rnd, 4));
	a->a6[1] = htonl(oxfrm_spd_test_rand(rnd, 4) << 16);
	a->a6[3] = htonl(oxfrm_spd_test_rand(rnd, 4));
}

static void oxfrm_spd_test_random_policy(struct kunit *test,
					 struct oxfrm_spd *spd,
					 struct rnd_state *rnd, u16 family)
{
	struct oxfrm_policy *pol = oxfrm_policy_alloc(spd, GFP_KERNEL);
	struct xfrm_selector *sel;

	KUNIT_ASSERT_NOT_NULL(test, pol);
	sel = &pol->sel;
	sel->family = family;
	oxfrm_spd_test_addr(rnd, family, &sel->saddr);
	oxfrm_spd_test_addr(rnd, family, &sel->daddr);
	sel->prefixlen_s = oxfrm_spd_test_plen(rnd, family);
	sel->prefixlen_d = oxfrm_spd_test_plen(rnd, family);
	if (!oxfrm_spd_test_rand(rnd, 3)) {
		sel->dport = oxfrm_spd_test_ports[oxfrm_spd_test_rand(rnd, 5)];
		sel->dport_mask = oxfrm_spd_test_rand(rnd, 4) ? htons(0xffff) :
							       htons(0xff00);
	}
	if (!oxfrm_spd_test_rand(rnd, 4)) {
		sel->sport = oxfrm_spd_test_ports[oxfrm_spd_test_rand(rnd, 5)];
		sel->sport_mask = htons(0xffff);
	}
	if (!oxfrm_spd_test_rand(rnd, 3))
		sel->proto = oxfrm_spd_test_protos[oxfrm_spd_test_rand(rnd, 4)];
	if (!oxfrm_spd_test_rand(rnd, 8))
		sel->ifindex = 1 + oxfrm_spd_test_rand(rnd, 2);
	if (!oxfrm_spd_test_rand(rnd, 4)) {
		pol->mark.m = 1 + oxfrm_spd_test_rand(rnd, 15);
		pol->mark.v = oxfrm_spd_test_rand(rnd, 16);
	}
	pol->if_id = !oxfrm_spd_test_rand(rnd, 8);
	pol->dir = oxfrm_spd_test_rand(rnd, XFRM_POLICY_MAX);
	pol->type = !oxfrm_spd_test_rand(rnd, 8);
	pol->priority = oxfrm_spd_test_rand(rnd, 4);
	/* NEWPOLICY mostly; UPDPOLICY replaces a policy of the same identity. */
	oxfrm_spd_test_insert(pol, oxfrm_spd_test_rand(rnd, 4));
}

/* A flow near a random policy: its addresses, some bits flipped. */
static void oxfrm_spd_test_random_flow(struct rnd_state *rnd,
				       struct oxfrm_spd *spd, u16 family,
				       struct oxfrm_flow *fl)
{
	unsigned int bits = family == AF_INET ? 32 : 128, i;
	struct oxfrm_policy *pol = NULL;
	struct oxfrm_spd_walk *w;
	u32 n = oxfrm_spd_test_rand(rnd, OXFRM_SPD_TEST_POLICIES);

	memset(fl, 0, sizeof(*fl));
	fl->family = family;
	list_for_each_entry(w, &spd->all, all) {
		pol = container_of(w, struct oxfrm_policy, walk);
		if (pol->sel.family == family && !n--)
			break;
	}
	if (pol && pol->sel.family == family) {
		fl->saddr = pol->sel.saddr;
		fl->daddr = pol->sel.daddr;
	} else {
		oxfrm_spd_test_addr(rnd, family, &fl->saddr);
		oxfrm_spd_test_addr(rnd, family, &fl->daddr);
	}
	for (i = oxfrm_spd_test_rand(rnd, 3); i; i--) {
		u32 bit = oxfrm_spd_test_rand(rnd, bits);
		xfrm_address_t *a = i & 1 ? &fl->saddr : &fl->daddr;

		a->a6[bit / 32] ^= htonl(1U << (31 - bit % 32));
	}
	fl->sport = oxfrm_spd_test_ports[oxfrm_spd_test_rand(rnd, 5)];
	fl->dport = oxfrm_spd_test_ports[oxfrm_spd_test_rand(rnd, 5)];
	fl->proto = oxfrm_spd_test_protos[oxfrm_spd_test_rand(rnd, 4)];
	fl->oif = oxfrm_spd_test_rand(rnd, 3);
	fl->mark = oxfrm_spd_test_rand(rnd, 16);
	fl->if_id = !oxfrm_spd_test_rand(rnd, 8);
}

static void oxfrm_spd_test_brute(struct kunit *test, u16 family, u64 seed)
{
	struct oxfrm_spd *spd = oxfrm_spd_test_spd(test);
	unsigned int round, i, matched = 0, wrong = 0;
	struct oxfrm_policy *got, *want;
	struct oxfrm_spd_walk *w, *next;
	struct rnd_state rnd;
	struct oxfrm_flow fl;
	u8 dir;

	prandom_seed_state(&rnd, seed);
	for (round = 0; round < OXFRM_SPD_TEST_ROUNDS; round++) {
		/* Delete about a third, then top up with new and replacements. */
		list_for_each_entry_safe(w, next, &spd->all, all) {
			if (!oxfrm_spd_test_rand(&rnd, 3))
				oxfrm_spd_unlink(container_of(w, struct oxfrm_policy,
							      walk));
		}
		while (spd->count[0] + spd->count[1] + spd->count[2] <
		       OXFRM_SPD_TEST_POLICIES)
			oxfrm_spd_test_random_policy(test, spd, &rnd, family);

		for (i = 0; i < OXFRM_SPD_TEST_LOOKUPS; i++) {
			oxfrm_spd_test_random_flow(&rnd, spd, family, &fl);
			dir = oxfrm_spd_test_rand(&rnd, XFRM_POLICY_MAX);
			want = oxfrm_spd_test_ref(spd, dir, &fl);
			got = oxfrm_spd_lookup(spd, dir, &fl);
			if (got)
				oxfrm_policy_put(got);
			matched += !!want;
			if (got != want && wrong++ < 5)
				KUNIT_FAIL(test, "round %u lookup %u: got index %u, want %u",
					   round, i, got ? got->index : 0,
					   want ? want->index : 0);
			/* 5000 walks of the reference a round: long under KASAN. */
			cond_resched();
		}
	}
	KUNIT_EXPECT_EQ(test, wrong, 0U);
	/* The flows must exercise matches, not only misses. */
	KUNIT_EXPECT_GT(test, matched, OXFRM_SPD_TEST_ROUNDS *
				       OXFRM_SPD_TEST_LOOKUPS / 10);
	kunit_info(test, "%u lookups, %u matched\n",
		   OXFRM_SPD_TEST_ROUNDS * OXFRM_SPD_TEST_LOOKUPS, matched);
	oxfrm_spd_destroy(spd);
}

struct oxfrm_spd_test_reader {
	struct oxfrm_spd *spd;
	u16 family;
	unsigned long found;
};

/* The data path's part: lookups under RCU, each result held and put. */
static int oxfrm_spd_test_reader_fn(void *arg)
{
	struct oxfrm_spd_test_reader *r = arg;
	struct oxfrm_policy *pol;
	struct rnd_state rnd;
	struct oxfrm_flow fl;
	u8 dir;

	prandom_seed_state(&rnd, r->family);
	while (!kthread_should_stop()) {
		memset(&fl, 0, sizeof(fl));
		fl.family = r->family;
		oxfrm_spd_test_addr(&rnd, r->family, &fl.saddr);
		oxfrm_spd_test_addr(&rnd, r->family, &fl.daddr);
		fl.proto = oxfrm_spd_test_protos[oxfrm_spd_test_rand(&rnd, 4)];
		dir = oxfrm_spd_test_rand(&rnd, XFRM_POLICY_MAX);
		pol = oxfrm_spd_lookup(r->spd, dir, &fl);
		if (pol) {
			/* Still a policy of this lookup's kind, and not freed. */
			if (pol->dir == dir && pol->sel.family == r->family)
				r->found++;
			oxfrm_policy_put(pol);
		}
		cond_resched();
	}
	return 0;
}

/*
 * Lookups race with insertions, replacements and deletions (KASAN and
 * lockdep watch in the debug kernel): no result may be freed under its
 * holder, and lookups keep finding policies.
 */
static void oxfrm_spd_test_concurrent(struct kunit *test)
{
	struct oxfrm_spd *spd = oxfrm_spd_test_spd(test);
	struct oxfrm_spd_test_reader r[2] = {
		{ .spd = spd, .family = AF_INET },
		{ .spd = spd, .family = AF_INET6 },
	};
	struct task_struct *t[2];
	struct oxfrm_spd_walk *w;
	struct rnd_state rnd;
	unsigned int i, n;

	prandom_seed_state(&rnd, 42);
	for (i = 0; i < 2; i++) {
		t[i] = kthread_run(oxfrm_spd_test_reader_fn, &r[i], "oxfrm_spd_rd%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(t[i]));
	}
	for (i = 0; i < 3000; i++) {
		oxfrm_spd_test_random_policy(test, spd, &rnd,
					     i & 1 ? AF_INET6 : AF_INET);
		if (spd->count[0] + spd->count[1] + spd->count[2] < 100)
			continue;
		/* Unlink one of the ten newest. */
		n = oxfrm_spd_test_rand(&rnd, 10);
		list_for_each_entry(w, &spd->all, all)
			if (!n--)
				break;
		oxfrm_spd_unlink(container_of(w, struct oxfrm_policy, walk));
		if (!(i % 500))
			oxfrm_spd_flush(spd, XFRM_POLICY_TYPE_SUB);
		cond_resched();
	}
	for (i = 0; i < 2; i++)
		kthread_stop(t[i]);
	KUNIT_EXPECT_GT(test, r[0].found, 0UL);
	KUNIT_EXPECT_GT(test, r[1].found, 0UL);
	kunit_info(test, "found %lu IPv4 and %lu IPv6 policies\n", r[0].found,
		   r[1].found);
	oxfrm_spd_destroy(spd);
}

static void oxfrm_spd_test_brute4(struct kunit *test)
{
	oxfrm_spd_test_brute(test, AF_INET, 4);
}

static void oxfrm_spd_test_brute6(struct kunit *test)
{
	oxfrm_spd_test_brute(test, AF_INET6, 6);
}

static struct kunit_case oxfrm_spd_test_cases[] = {
	KUNIT_CASE(oxfrm_spd_test_index),
	KUNIT_CASE(oxfrm_spd_test_identity),
	KUNIT_CASE(oxfrm_spd_test_ties),
	KUNIT_CASE(oxfrm_spd_test_walk),
	KUNIT_CASE(oxfrm_spd_test_lifetime),
	KUNIT_CASE(oxfrm_spd_test_brute4),
	KUNIT_CASE(oxfrm_spd_test_brute6),
	KUNIT_CASE(oxfrm_spd_test_concurrent),
	{ }
};

static struct kunit_suite oxfrm_spd_test_suite = {
	.name = "oxfrm_spd",
	.test_cases = oxfrm_spd_test_cases,
};

kunit_test_suite(oxfrm_spd_test_suite);
