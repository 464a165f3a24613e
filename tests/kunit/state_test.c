// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: SAD life cycle, lookup by (daddr, SPI, protocol, mark), growth,
 * and SPI allocation.
 */

#include <kunit/test.h>
#include <linux/in.h>
#include <linux/slab.h>
#include <oxfrm/state.h>

static struct oxfrm_sad *oxfrm_state_test_sad(struct kunit *test)
{
	struct oxfrm_sad *sad = kunit_kzalloc(test, sizeof(*sad), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, sad);
	KUNIT_ASSERT_EQ(test, oxfrm_sad_init(sad), 0);
	return sad;
}

static xfrm_address_t oxfrm_state_test_addr4(u32 host)
{
	xfrm_address_t a = { };

	a.a4 = htonl(0x0a000000 | host);
	return a;
}

/* A linked ESP state to 10.0.0.@host; the caller's reference is dropped. */
static struct oxfrm_state *oxfrm_state_test_add(struct kunit *test,
						struct oxfrm_sad *sad, u32 host,
						u32 spi, u32 mark, u32 mask)
{
	xfrm_address_t daddr = oxfrm_state_test_addr4(host);
	struct oxfrm_state *x = oxfrm_state_alloc(sad, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, x);
	x->mark.v = mark;
	x->mark.m = mask;
	oxfrm_state_set_id(x, &daddr, htonl(spi), IPPROTO_ESP, AF_INET);
	KUNIT_ASSERT_EQ(test, oxfrm_state_insert(x), 0);
	oxfrm_state_put(x);
	return x;
}

static struct oxfrm_state *oxfrm_state_test_find(struct oxfrm_sad *sad,
						 u32 host, u32 spi, u32 mark)
{
	xfrm_address_t daddr = oxfrm_state_test_addr4(host);
	struct oxfrm_state *x;

	x = oxfrm_state_lookup(sad, &daddr, htonl(spi), IPPROTO_ESP, AF_INET,
			       mark);
	if (x)
		oxfrm_state_put(x);
	return x;
}

static void oxfrm_state_test_lookup(struct kunit *test)
{
	struct oxfrm_sad *sad = oxfrm_state_test_sad(test);
	struct oxfrm_state *a = oxfrm_state_test_add(test, sad, 1, 0x100, 0, 0);
	struct oxfrm_state *b = oxfrm_state_test_add(test, sad, 2, 0x100, 0, 0);
	xfrm_address_t daddr = oxfrm_state_test_addr4(1);
	struct oxfrm_state *x;

	KUNIT_EXPECT_EQ(test, sad->count, 2U);
	KUNIT_EXPECT_PTR_EQ(test, oxfrm_state_test_find(sad, 1, 0x100, 0), a);
	KUNIT_EXPECT_PTR_EQ(test, oxfrm_state_test_find(sad, 2, 0x100, 0), b);
	KUNIT_EXPECT_NULL(test, oxfrm_state_test_find(sad, 1, 0x101, 0));
	KUNIT_EXPECT_NULL(test, oxfrm_state_test_find(sad, 3, 0x100, 0));

	/* Other protocol or family: not the same state. */
	KUNIT_EXPECT_NULL(test, oxfrm_state_lookup(sad, &daddr, htonl(0x100),
						   IPPROTO_AH, AF_INET, 0));
	KUNIT_EXPECT_NULL(test, oxfrm_state_lookup(sad, &daddr, htonl(0x100),
						   IPPROTO_ESP, AF_INET6, 0));
	/* An IPv4 lookup ignores the address bytes past the first four. */
	daddr.a6[3] = 0xdeadbeef;
	x = oxfrm_state_lookup(sad, &daddr, htonl(0x100), IPPROTO_ESP, AF_INET, 0);
	KUNIT_EXPECT_PTR_EQ(test, x, a);
	/* The lookup's reference and the SAD's. */
	KUNIT_EXPECT_EQ(test, refcount_read(&a->refcnt), 2U);
	oxfrm_state_put(x);

	oxfrm_state_unlink(a);
	KUNIT_EXPECT_NULL(test, oxfrm_state_test_find(sad, 1, 0x100, 0));
	KUNIT_EXPECT_EQ(test, sad->count, 1U);
	oxfrm_sad_destroy(sad);
	KUNIT_EXPECT_EQ(test, atomic_read(&sad->nr_states), 0);
}

static void oxfrm_state_test_marks(struct kunit *test)
{
	struct oxfrm_sad *sad = oxfrm_state_test_sad(test);
	struct oxfrm_state *plain, *marked, *newer;

	plain = oxfrm_state_test_add(test, sad, 1, 0x200, 0, 0);
	marked = oxfrm_state_test_add(test, sad, 1, 0x200, 0x1, 0xff);
	/* The newest state of a key is found first, when its mark selects. */
	KUNIT_EXPECT_PTR_EQ(test, oxfrm_state_test_find(sad, 1, 0x200, 0x101), marked);
	KUNIT_EXPECT_PTR_EQ(test, oxfrm_state_test_find(sad, 1, 0x200, 0x2), plain);
	KUNIT_EXPECT_PTR_EQ(test, oxfrm_state_test_find(sad, 1, 0x200, 0), plain);

	newer = oxfrm_state_test_add(test, sad, 1, 0x200, 0, 0);
	KUNIT_EXPECT_PTR_EQ(test, oxfrm_state_test_find(sad, 1, 0x200, 0), newer);
	oxfrm_state_unlink(newer);
	KUNIT_EXPECT_PTR_EQ(test, oxfrm_state_test_find(sad, 1, 0x200, 0), plain);
	oxfrm_sad_destroy(sad);
}

/* Enough states to make the hash grow several times, then a flush. */
static void oxfrm_state_test_grow_flush(struct kunit *test)
{
	struct oxfrm_sad *sad = oxfrm_state_test_sad(test);
	const u32 n = 5000;
	u32 i, missing = 0;

	for (i = 0; i < n; i++)
		oxfrm_state_test_add(test, sad, i % 200, 0x1000 + i, 0, 0);
	KUNIT_EXPECT_EQ(test, sad->count, n);
	for (i = 0; i < n; i++)
		if (!oxfrm_state_test_find(sad, i % 200, 0x1000 + i, 0))
			missing++;
	KUNIT_EXPECT_EQ(test, missing, 0U);

	oxfrm_state_flush(sad);
	KUNIT_EXPECT_EQ(test, sad->count, 0U);
	KUNIT_EXPECT_TRUE(test, list_empty(&sad->all));
	KUNIT_EXPECT_NULL(test, oxfrm_state_test_find(sad, 7, 0x1007, 0));
	oxfrm_sad_destroy(sad);
	KUNIT_EXPECT_EQ(test, atomic_read(&sad->nr_states), 0);
}

static struct oxfrm_state *oxfrm_state_test_spi(struct kunit *test,
						struct oxfrm_sad *sad,
						u32 low, u32 high, int *err)
{
	xfrm_address_t daddr = oxfrm_state_test_addr4(9);
	struct oxfrm_state *x = oxfrm_state_alloc(sad, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, x);
	oxfrm_state_set_id(x, &daddr, 0, IPPROTO_ESP, AF_INET);
	*err = oxfrm_state_alloc_spi(x, low, high);
	oxfrm_state_put(x);
	return *err ? NULL : x;
}

static void oxfrm_state_test_alloc_spi(struct kunit *test)
{
	struct oxfrm_sad *sad = oxfrm_state_test_sad(test);
	unsigned long seen[BITS_TO_LONGS(16)] = { };
	struct oxfrm_state *x;
	int i, err;

	/* Every SPI of a 16-SPI range, each once, then no more. */
	for (i = 0; i < 16; i++) {
		x = oxfrm_state_test_spi(test, sad, 0xc0000000, 0xc000000f, &err);
		KUNIT_ASSERT_EQ(test, err, 0);
		KUNIT_ASSERT_GE(test, ntohl(x->key.spi), 0xc0000000U);
		KUNIT_ASSERT_LE(test, ntohl(x->key.spi), 0xc000000fU);
		KUNIT_EXPECT_FALSE(test, __test_and_set_bit(ntohl(x->key.spi) & 15, seen));
	}
	KUNIT_EXPECT_NULL(test, oxfrm_state_test_spi(test, sad, 0xc0000000,
						     0xc000000f, &err));
	KUNIT_EXPECT_EQ(test, err, -ENOENT);

	/* One requested SPI: taken if free, refused if not. */
	x = oxfrm_state_test_spi(test, sad, 0x500, 0x500, &err);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, ntohl(x->key.spi), 0x500U);
	KUNIT_EXPECT_NULL(test, oxfrm_state_test_spi(test, sad, 0x500, 0x500, &err));
	KUNIT_EXPECT_EQ(test, err, -ENOENT);

	/* An SPI is taken per protocol, whatever the destination. */
	oxfrm_state_test_add(test, sad, 1, 0x600, 0, 0);
	KUNIT_EXPECT_NULL(test, oxfrm_state_test_spi(test, sad, 0x600, 0x600, &err));
	KUNIT_EXPECT_EQ(test, err, -ENOENT);

	/* SPI 0 is never handed out; an inverted range is invalid. */
	x = oxfrm_state_test_spi(test, sad, 0, 1, &err);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, ntohl(x->key.spi), 1U);
	KUNIT_EXPECT_NULL(test, oxfrm_state_test_spi(test, sad, 0, 1, &err));
	KUNIT_EXPECT_EQ(test, err, -ENOENT);
	KUNIT_EXPECT_NULL(test, oxfrm_state_test_spi(test, sad, 2, 1, &err));
	KUNIT_EXPECT_EQ(test, err, -EINVAL);

	/* A state that left the SAD (expired, deleted) never comes back. */
	x = oxfrm_state_test_add(test, sad, 9, 0, 0, 0);
	oxfrm_state_hold(x);
	KUNIT_EXPECT_TRUE(test, oxfrm_state_unlink(x));
	KUNIT_EXPECT_EQ(test, oxfrm_state_alloc_spi(x, 0x700, 0x7ff), -ENOENT);
	KUNIT_EXPECT_FALSE(test, x->linked);
	oxfrm_state_put(x);

	/* The whole 32-bit range works without overflowing. */
	x = oxfrm_state_test_spi(test, sad, 0, U32_MAX, &err);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, sad->count, 20U);
	oxfrm_sad_destroy(sad);
}

struct oxfrm_state_test_walk {
	struct oxfrm_state *seen[16];
	int n, stop_at;
};

static int oxfrm_state_test_visit(struct oxfrm_state *x, void *arg)
{
	struct oxfrm_state_test_walk *w = arg;

	if (w->n == w->stop_at)
		return -EMSGSIZE;
	w->seen[w->n++] = x;
	return 0;
}

/* A walk in parts sees each state once, whatever goes meanwhile. */
static void oxfrm_state_test_walk_parts(struct kunit *test)
{
	struct oxfrm_sad *sad = oxfrm_state_test_sad(test);
	struct oxfrm_state_test_walk w = { .stop_at = 3 };
	struct oxfrm_state *x[8];
	struct oxfrm_sad_walk walk;
	int i;

	for (i = 0; i < 8; i++)
		x[i] = oxfrm_state_test_add(test, sad, 1, 0x300 + i, 0, 0);
	oxfrm_sad_walk_init(&walk);
	/* Newest first: x[7], x[6], x[5], then a pause before x[4]. */
	KUNIT_EXPECT_EQ(test, oxfrm_sad_walk(sad, &walk, oxfrm_state_test_visit, &w),
			-EMSGSIZE);
	KUNIT_ASSERT_EQ(test, w.n, 3);
	KUNIT_EXPECT_PTR_EQ(test, w.seen[2], x[5]);
	/* The one it paused before, and one already seen, go. */
	oxfrm_state_unlink(x[4]);
	oxfrm_state_unlink(x[6]);
	oxfrm_state_test_add(test, sad, 1, 0x400, 0, 0);
	w.stop_at = 16;
	KUNIT_EXPECT_EQ(test, oxfrm_sad_walk(sad, &walk, oxfrm_state_test_visit, &w), 0);
	KUNIT_ASSERT_EQ(test, w.n, 7);
	KUNIT_EXPECT_PTR_EQ(test, w.seen[3], x[3]);
	KUNIT_EXPECT_PTR_EQ(test, w.seen[6], x[0]);
	/* Done: nothing more, and no marker left behind. */
	KUNIT_EXPECT_EQ(test, oxfrm_sad_walk(sad, &walk, oxfrm_state_test_visit, &w), 0);
	KUNIT_EXPECT_EQ(test, w.n, 7);
	oxfrm_sad_walk_done(sad, &walk);
	KUNIT_EXPECT_TRUE(test, list_empty(&walk.entry.list));
	oxfrm_state_flush(sad);
	KUNIT_EXPECT_TRUE(test, list_empty(&sad->all));
	oxfrm_sad_destroy(sad);
}

static struct kunit_case oxfrm_state_test_cases[] = {
	KUNIT_CASE(oxfrm_state_test_lookup),
	KUNIT_CASE(oxfrm_state_test_marks),
	KUNIT_CASE(oxfrm_state_test_grow_flush),
	KUNIT_CASE(oxfrm_state_test_alloc_spi),
	KUNIT_CASE(oxfrm_state_test_walk_parts),
	{ }
};

static struct kunit_suite oxfrm_state_test_suite = {
	.name = "oxfrm_state",
	.test_cases = oxfrm_state_test_cases,
};

kunit_test_suite(oxfrm_state_test_suite);
