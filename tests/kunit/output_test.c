// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: which SA a policy's template resolves to for a flow, and that the
 * policy's SA cache never changes that choice: a newer SA takes over, a
 * deleted or expired one is dropped, an SA whose selector covers only
 * some flows is not handed to the others, a template that no longer
 * fits the cached SA does not get it, and the peers of a transport-mode
 * policy do not take the cache from each other. And how a packet gets
 * its headroom for ESP.
 */

#include <kunit/test.h>
#include <linux/in.h>
#include <oxfrm/output.h>
#include <oxfrm/policy.h>
#include <oxfrm/state.h>

#define OXFRM_OUT_TEST_REQID	7

struct oxfrm_out_test {
	struct oxfrm_net *on;
	struct oxfrm_sad *sad;
	struct oxfrm_policy *pol;
	struct oxfrm_flow fl;
};

static __be32 oxfrm_out_test_addr(u32 a, u32 b, u32 c, u32 d)
{
	return htonl(a << 24 | b << 16 | c << 8 | d);
}

/* A detached SAD, an OUT policy with one tunnel template, a UDP flow. */
static void oxfrm_out_test_init(struct kunit *test, struct oxfrm_out_test *o)
{
	struct xfrm_user_tmpl *t;

	o->sad = kunit_kzalloc(test, sizeof(*o->sad), GFP_KERNEL);
	o->on = kunit_kzalloc(test, sizeof(*o->on), GFP_KERNEL);
	o->pol = kunit_kzalloc(test, sizeof(*o->pol), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, o->sad);
	KUNIT_ASSERT_NOT_NULL(test, o->on);
	KUNIT_ASSERT_NOT_NULL(test, o->pol);
	KUNIT_ASSERT_EQ(test, oxfrm_sad_init(o->sad), 0);
	/* No netlink socket: a missing SA asks nobody (-ESRCH). */
	o->on->net = &init_net;
	o->on->sad = o->sad;
	seqlock_init(&o->pol->out_lock);
	o->pol->nr_tmpls = 1;
	t = &o->pol->tmpls[0];
	t->family = AF_INET;
	t->mode = XFRM_MODE_TUNNEL;
	t->reqid = OXFRM_OUT_TEST_REQID;
	t->id.proto = IPPROTO_ESP;
	t->id.daddr.a4 = oxfrm_out_test_addr(192, 0, 2, 2);
	t->saddr.a4 = oxfrm_out_test_addr(192, 0, 2, 1);
	o->fl.family = AF_INET;
	o->fl.proto = IPPROTO_UDP;
	o->fl.saddr.a4 = oxfrm_out_test_addr(10, 1, 0, 1);
	o->fl.daddr.a4 = oxfrm_out_test_addr(10, 2, 0, 1);
}

static void oxfrm_out_test_exit(struct kunit *test, struct oxfrm_out_test *o)
{
	oxfrm_state_flush(o->sad);
	oxfrm_sad_destroy(o->sad);
	KUNIT_EXPECT_EQ(test, atomic_read(&o->sad->nr_states), 0);
}

/*
 * A linked SA of the template's mode, endpoints and reqid, added at
 * @added; @narrow limits its selector to 10.9.0.0/16.
 * The SAD's reference is the only one left.
 */
static struct oxfrm_state *oxfrm_out_test_sa(struct kunit *test,
					     struct oxfrm_out_test *o, u32 spi,
					     time64_t added, bool narrow)
{
	const struct xfrm_user_tmpl *t = &o->pol->tmpls[0];
	struct oxfrm_state *x = oxfrm_state_alloc(o->sad, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, x);
	oxfrm_state_set_id(x, &t->id.daddr, htonl(spi), IPPROTO_ESP, AF_INET);
	x->saddr = t->saddr;
	x->mode = t->mode;
	x->reqid = OXFRM_OUT_TEST_REQID;
	x->kstate = OXFRM_STATE_VALID;
	x->curlft.add_time = added;
	if (narrow) {
		x->sel.family = AF_INET;
		x->sel.daddr.a4 = oxfrm_out_test_addr(10, 9, 0, 0);
		x->sel.prefixlen_d = 16;
	}
	KUNIT_ASSERT_EQ(test, oxfrm_state_insert(x), 0);
	oxfrm_state_put(x);
	return x;
}

/* What the template gives the flow to @daddr now; no reference kept. */
static struct oxfrm_state *oxfrm_out_test_resolve(struct oxfrm_out_test *o,
						  __be32 daddr, int *err)
{
	struct oxfrm_flow fl = o->fl;
	struct oxfrm_state *x;

	fl.daddr.a4 = daddr;
	rcu_read_lock();	/* the output hook's */
	x = oxfrm_output_resolve(o->on, o->pol, &o->pol->tmpls[0], &fl, err);
	rcu_read_unlock();
	if (x)
		oxfrm_state_put(x);
	return x;
}

/*
 * One SA, 0x100, resolved for the flow to @dst and so cached: where the
 * cases below start.
 */
static struct oxfrm_state *oxfrm_out_test_cached(struct kunit *test,
						 struct oxfrm_out_test *o,
						 __be32 dst)
{
	struct oxfrm_state *a;
	int err;

	oxfrm_out_test_init(test, o);
	a = oxfrm_out_test_sa(test, o, 0x100, 100, false);
	KUNIT_EXPECT_PTR_EQ(test, oxfrm_out_test_resolve(o, dst, &err), a);
	KUNIT_EXPECT_PTR_EQ(test, o->pol->out_x, a);
	return a;
}

static void oxfrm_out_test_newest(struct kunit *test)
{
	__be32 dst = oxfrm_out_test_addr(10, 2, 0, 1);
	struct oxfrm_state *a, *b;
	struct oxfrm_out_test o;
	int err;

	a = oxfrm_out_test_cached(test, &o, dst);
	/* Again, now from the cache. */
	KUNIT_EXPECT_PTR_EQ(test, oxfrm_out_test_resolve(&o, dst, &err), a);

	/* A rekey: the newer SA takes over at once. */
	b = oxfrm_out_test_sa(test, &o, 0x200, 200, false);
	KUNIT_EXPECT_PTR_EQ(test, oxfrm_out_test_resolve(&o, dst, &err), b);
	KUNIT_EXPECT_PTR_EQ(test, oxfrm_out_test_resolve(&o, dst, &err), b);

	/* The newer one deleted: back to the older. */
	KUNIT_EXPECT_TRUE(test, oxfrm_state_unlink(b));
	KUNIT_EXPECT_PTR_EQ(test, oxfrm_out_test_resolve(&o, dst, &err), a);

	/* Expired: no SA, and nobody to ask. */
	WRITE_ONCE(a->expired, true);
	KUNIT_EXPECT_NULL(test, oxfrm_out_test_resolve(&o, dst, &err));
	KUNIT_EXPECT_EQ(test, err, -ESRCH);
	oxfrm_out_test_exit(test, &o);
}

/* The cached SA deleted: no SA, not the freed one. */
static void oxfrm_out_test_unlinked(struct kunit *test)
{
	__be32 dst = oxfrm_out_test_addr(10, 2, 0, 1);
	struct oxfrm_out_test o;
	struct oxfrm_state *a;
	int err;

	a = oxfrm_out_test_cached(test, &o, dst);
	KUNIT_EXPECT_TRUE(test, oxfrm_state_unlink(a));
	KUNIT_EXPECT_NULL(test, oxfrm_out_test_resolve(&o, dst, &err));
	KUNIT_EXPECT_EQ(test, err, -ESRCH);
	oxfrm_out_test_exit(test, &o);
}

/* An SA for some flows only is never the cached answer for the rest. */
static void oxfrm_out_test_selector(struct kunit *test)
{
	__be32 wide = oxfrm_out_test_addr(10, 2, 0, 1);
	__be32 narrow = oxfrm_out_test_addr(10, 9, 3, 4);
	struct oxfrm_state *a, *b;
	struct oxfrm_out_test o;
	int err, i;

	oxfrm_out_test_init(test, &o);
	a = oxfrm_out_test_sa(test, &o, 0x100, 100, false);
	KUNIT_EXPECT_PTR_EQ(test, oxfrm_out_test_resolve(&o, wide, &err), a);
	b = oxfrm_out_test_sa(test, &o, 0x200, 200, true);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_PTR_EQ(test,
				    oxfrm_out_test_resolve(&o, narrow, &err), b);
		KUNIT_EXPECT_PTR_EQ(test,
				    oxfrm_out_test_resolve(&o, wide, &err), a);
	}
	oxfrm_out_test_exit(test, &o);
}

/* A template changed in place no longer gets the SA it cached. */
static void oxfrm_out_test_template(struct kunit *test)
{
	__be32 dst = oxfrm_out_test_addr(10, 2, 0, 1);
	struct oxfrm_out_test o;
	struct oxfrm_state *a;
	int err;

	a = oxfrm_out_test_cached(test, &o, dst);
	o.pol->tmpls[0].id.spi = htonl(0x300);
	KUNIT_EXPECT_NULL(test, oxfrm_out_test_resolve(&o, dst, &err));
	o.pol->tmpls[0].id.spi = htonl(0x100);
	KUNIT_EXPECT_PTR_EQ(test, oxfrm_out_test_resolve(&o, dst, &err), a);
	o.pol->if_id = 9;
	KUNIT_EXPECT_NULL(test, oxfrm_out_test_resolve(&o, dst, &err));
	oxfrm_out_test_exit(test, &o);
}

/*
 * A transport-mode policy serves many peers, each with its own SA: the
 * first peer keeps the cache while it is fresh, the others' lookups leave
 * it alone, and once stale it goes to whichever peer sends next.
 */
static void oxfrm_out_test_peers(struct kunit *test)
{
	__be32 pa = oxfrm_out_test_addr(10, 2, 0, 1);
	__be32 pb = oxfrm_out_test_addr(10, 2, 0, 2);
	struct xfrm_user_tmpl *t;
	struct oxfrm_state *a, *b;
	struct oxfrm_out_test o;
	int err, i;

	oxfrm_out_test_init(test, &o);
	t = &o.pol->tmpls[0];
	t->mode = XFRM_MODE_TRANSPORT;
	t->saddr.a4 = o.fl.saddr.a4;
	t->id.daddr.a4 = pa;
	a = oxfrm_out_test_sa(test, &o, 0x100, 100, false);
	t->id.daddr.a4 = pb;
	b = oxfrm_out_test_sa(test, &o, 0x200, 200, false);

	KUNIT_EXPECT_PTR_EQ(test, oxfrm_out_test_resolve(&o, pa, &err), a);
	KUNIT_EXPECT_PTR_EQ(test, o.pol->out_x, a);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_PTR_EQ(test, oxfrm_out_test_resolve(&o, pb, &err),
				    b);
		KUNIT_EXPECT_PTR_EQ(test, o.pol->out_x, a);
		KUNIT_EXPECT_PTR_EQ(test, oxfrm_out_test_resolve(&o, pa, &err),
				    a);
	}

	KUNIT_EXPECT_TRUE(test, oxfrm_state_unlink(a));
	KUNIT_EXPECT_NULL(test, oxfrm_out_test_resolve(&o, pa, &err));
	KUNIT_EXPECT_PTR_EQ(test, oxfrm_out_test_resolve(&o, pb, &err), b);
	KUNIT_EXPECT_PTR_EQ(test, o.pol->out_x, b);
	oxfrm_out_test_exit(test, &o);
}

/*
 * A datagram as a UDP socket leaves it: 16 bytes of headroom, 92 bytes
 * (IP, UDP, 64 bytes of payload) in a buffer with room behind them.
 */
static struct sk_buff *oxfrm_out_test_dgram(struct kunit *test, u8 *pattern)
{
	struct sk_buff *skb = alloc_skb(16 + 92, GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 16);
	for (i = 0; i < 92; i++)
		pattern[i] = i * 7 + 3;
	skb_put_data(skb, pattern, 92);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, 20);
	return skb;
}

static void oxfrm_out_test_room_ok(struct kunit *test, struct sk_buff *skb,
				   const u8 *pattern, unsigned int head,
				   unsigned int tail)
{
	KUNIT_EXPECT_GE(test, skb_headroom(skb), head);
	KUNIT_EXPECT_GE(test, skb_tailroom(skb), tail);
	KUNIT_EXPECT_EQ(test, skb->len, 92);
	KUNIT_EXPECT_EQ(test, memcmp(skb->data, pattern, 92), 0);
	KUNIT_EXPECT_PTR_EQ(test, skb_network_header(skb), skb->data);
	KUNIT_EXPECT_PTR_EQ(test, skb_transport_header(skb), skb->data + 20);
	KUNIT_EXPECT_PTR_EQ(test, skb_tail_pointer(skb), skb->data + 92);
}

/*
 * Headroom for ESP: a small datagram slides into its own tailroom, in the
 * same buffer, headers and all; a shared one, or one without the room
 * behind it, gets a new head, and a clone keeps its bytes.
 */
static void oxfrm_out_test_room(struct kunit *test)
{
	u8 pattern[92], *head;
	struct sk_buff *skb, *clone;

	skb = oxfrm_out_test_dgram(test, pattern);
	head = skb->head;
	KUNIT_ASSERT_GE(test, skb_tailroom(skb), 36 + 21);
	KUNIT_EXPECT_EQ(test, oxfrm_output_make_room(skb, 16 + 36, 21), 0);
	KUNIT_EXPECT_PTR_EQ(test, skb->head, head);
	oxfrm_out_test_room_ok(test, skb, pattern, 16 + 36, 21);
	kfree_skb(skb);

	skb = oxfrm_out_test_dgram(test, pattern);
	clone = skb_clone(skb, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, clone);
	head = skb->head;
	KUNIT_EXPECT_EQ(test, oxfrm_output_make_room(skb, 16 + 36, 21), 0);
	KUNIT_EXPECT_PTR_NE(test, skb->head, head);
	oxfrm_out_test_room_ok(test, skb, pattern, 16 + 36, 0);
	KUNIT_EXPECT_PTR_EQ(test, clone->head, head);
	KUNIT_EXPECT_EQ(test, memcmp(clone->data, pattern, 92), 0);
	kfree_skb(clone);
	kfree_skb(skb);

	skb = oxfrm_out_test_dgram(test, pattern);
	head = skb->head;
	KUNIT_EXPECT_EQ(test, oxfrm_output_make_room(skb, 16 + 36,
						     skb_tailroom(skb)), 0);
	KUNIT_EXPECT_PTR_NE(test, skb->head, head);
	oxfrm_out_test_room_ok(test, skb, pattern, 16 + 36, 0);
	kfree_skb(skb);
}

static struct kunit_case oxfrm_out_test_cases[] = {
	KUNIT_CASE(oxfrm_out_test_newest),
	KUNIT_CASE(oxfrm_out_test_unlinked),
	KUNIT_CASE(oxfrm_out_test_selector),
	KUNIT_CASE(oxfrm_out_test_template),
	KUNIT_CASE(oxfrm_out_test_peers),
	KUNIT_CASE(oxfrm_out_test_room),
	{ }
};

static struct kunit_suite oxfrm_out_test_suite = {
	.name = "oxfrm_output",
	.test_cases = oxfrm_out_test_cases,
};

kunit_test_suite(oxfrm_out_test_suite);
