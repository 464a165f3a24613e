// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: SA lifetime arithmetic (soft and hard limits on add time, use
 * time, bytes and packets), and how NEWSA and UPDSA treat the states they
 * meet (duplicates, larval states, updates in place, the count of their
 * encapsulation ports, the SAD generation the output SA caches follow).
 */

#include <kunit/test.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <oxfrm/state.h>

static struct oxfrm_sad *oxfrm_lft_test_sad(struct kunit *test)
{
	struct oxfrm_sad *sad = kunit_kzalloc(test, sizeof(*sad), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, sad);
	KUNIT_ASSERT_EQ(test, oxfrm_sad_init(sad), 0);
	return sad;
}

/* An unlinked state added at time 1000; the caller puts it. */
static struct oxfrm_state *oxfrm_lft_test_state(struct kunit *test,
						struct oxfrm_sad *sad)
{
	struct oxfrm_state *x = oxfrm_state_alloc(sad, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, x);
	x->curlft.add_time = 1000;
	return x;
}

static void oxfrm_lft_test_add_time(struct kunit *test)
{
	struct oxfrm_sad *sad = oxfrm_lft_test_sad(test);
	struct oxfrm_state *x = oxfrm_lft_test_state(test, sad);
	time64_t next;

	x->lft.soft_add_expires_seconds = 10;
	x->lft.hard_add_expires_seconds = 20;
	/* The nearest limit sets the next check. */
	KUNIT_EXPECT_EQ(test, oxfrm_lifetime_time(x, 1001, &next), OXFRM_LFT_NONE);
	KUNIT_EXPECT_EQ(test, next, 9);
	KUNIT_EXPECT_TRUE(test, x->soft_add_pending);
	/* Soft once: then only the hard limit counts. */
	KUNIT_EXPECT_EQ(test, oxfrm_lifetime_time(x, 1010, &next), OXFRM_LFT_SOFT);
	KUNIT_EXPECT_TRUE(test, x->dying);
	KUNIT_EXPECT_EQ(test, next, 10);
	KUNIT_EXPECT_EQ(test, oxfrm_lifetime_time(x, 1015, &next), OXFRM_LFT_NONE);
	KUNIT_EXPECT_EQ(test, next, 5);
	KUNIT_EXPECT_EQ(test, oxfrm_lifetime_time(x, 1020, &next), OXFRM_LFT_HARD);
	oxfrm_state_put(x);

	/* No limits: nothing to check again. */
	x = oxfrm_lft_test_state(test, sad);
	KUNIT_EXPECT_EQ(test, oxfrm_lifetime_time(x, 5000, &next), OXFRM_LFT_NONE);
	KUNIT_EXPECT_EQ(test, next, 0);
	oxfrm_state_put(x);
	oxfrm_sad_destroy(sad);
}

/*
 * The add time set back (LTIME_VAL) while the soft limit was pending: the
 * soft limit fires first, and the hard one moves by the soft one's margin.
 */
static void oxfrm_lft_test_hard_before_soft(struct kunit *test)
{
	struct oxfrm_sad *sad = oxfrm_lft_test_sad(test);
	struct oxfrm_state *x = oxfrm_lft_test_state(test, sad);
	time64_t next;

	x->lft.soft_add_expires_seconds = 10;
	x->lft.hard_add_expires_seconds = 20;
	KUNIT_EXPECT_EQ(test, oxfrm_lifetime_time(x, 1001, &next), OXFRM_LFT_NONE);
	x->curlft.add_time = 900;
	KUNIT_EXPECT_EQ(test, oxfrm_lifetime_time(x, 1001, &next), OXFRM_LFT_SOFT);
	KUNIT_EXPECT_EQ(test, x->curlft.add_time, 991ULL);
	KUNIT_EXPECT_EQ(test, next, 11);
	KUNIT_EXPECT_EQ(test, oxfrm_lifetime_time(x, 1012, &next), OXFRM_LFT_HARD);

	/* Without a pending soft limit, a passed hard one is hard at once. */
	oxfrm_state_put(x);
	x = oxfrm_lft_test_state(test, sad);
	x->lft.hard_add_expires_seconds = 20;
	KUNIT_EXPECT_EQ(test, oxfrm_lifetime_time(x, 1025, &next), OXFRM_LFT_HARD);
	oxfrm_state_put(x);
	oxfrm_sad_destroy(sad);
}

static void oxfrm_lft_test_use_time(struct kunit *test)
{
	struct oxfrm_sad *sad = oxfrm_lft_test_sad(test);
	struct oxfrm_state *x = oxfrm_lft_test_state(test, sad);
	time64_t next;

	x->lft.soft_use_expires_seconds = 5;
	x->lft.hard_use_expires_seconds = 30;
	/* Never used: use limits count from now, so they never pass. */
	KUNIT_EXPECT_EQ(test, oxfrm_lifetime_time(x, 9000, &next), OXFRM_LFT_NONE);
	KUNIT_EXPECT_EQ(test, next, 5);
	x->curlft.use_time = 1000;
	KUNIT_EXPECT_EQ(test, oxfrm_lifetime_time(x, 1004, &next), OXFRM_LFT_NONE);
	KUNIT_EXPECT_EQ(test, next, 1);
	KUNIT_EXPECT_EQ(test, oxfrm_lifetime_time(x, 1005, &next), OXFRM_LFT_SOFT);
	KUNIT_EXPECT_EQ(test, oxfrm_lifetime_time(x, 1029, &next), OXFRM_LFT_NONE);
	KUNIT_EXPECT_EQ(test, next, 1);
	KUNIT_EXPECT_EQ(test, oxfrm_lifetime_time(x, 1030, &next), OXFRM_LFT_HARD);
	oxfrm_state_put(x);
	oxfrm_sad_destroy(sad);
}

static void oxfrm_lft_test_bytes_packets(struct kunit *test)
{
	struct oxfrm_sad *sad = oxfrm_lft_test_sad(test);
	struct oxfrm_state *x = oxfrm_lft_test_state(test, sad);

	x->lft.soft_byte_limit = 100;
	x->lft.hard_byte_limit = 200;
	x->lft.soft_packet_limit = 10;
	x->lft.hard_packet_limit = 20;

	spin_lock_bh(&x->lock);
	x->curlft.bytes = 99;
	x->curlft.packets = 9;
	KUNIT_EXPECT_EQ(test, oxfrm_state_check_expire(x), 0);
	KUNIT_EXPECT_FALSE(test, x->dying);
	KUNIT_EXPECT_NE(test, x->curlft.use_time, 0ULL);
	/* Soft by packets: the timer is to tell, once. */
	x->curlft.packets = 10;
	KUNIT_EXPECT_EQ(test, oxfrm_state_check_expire(x), 0);
	KUNIT_EXPECT_TRUE(test, x->dying);
	KUNIT_EXPECT_TRUE(test, x->soft_notify);
	/* Hard by bytes: the packet is refused, the state expired. */
	x->curlft.bytes = 200;
	KUNIT_EXPECT_EQ(test, oxfrm_state_check_expire(x), -EINVAL);
	KUNIT_EXPECT_TRUE(test, x->expired);
	spin_unlock_bh(&x->lock);
	oxfrm_state_put(x);
	oxfrm_sad_destroy(sad);
}

/* A state to 10.0.0.2 with @spi, @reqid, of @kstate; unlinked. */
static struct oxfrm_state *oxfrm_lft_test_sa(struct kunit *test,
					     struct oxfrm_sad *sad, u32 spi,
					     u32 reqid, u8 kstate)
{
	struct oxfrm_state *x = oxfrm_state_alloc(sad, GFP_KERNEL);
	xfrm_address_t daddr = { .a4 = htonl(0x0a000002) };

	KUNIT_ASSERT_NOT_NULL(test, x);
	oxfrm_state_set_id(x, &daddr, htonl(spi), IPPROTO_ESP, AF_INET);
	x->saddr.a4 = htonl(0x0a000001);
	x->reqid = reqid;
	x->mode = XFRM_MODE_TUNNEL;
	x->kstate = kstate;
	return x;
}

static void oxfrm_lft_test_add_update(struct kunit *test)
{
	struct oxfrm_sad *sad = oxfrm_lft_test_sad(test);
	struct oxfrm_state *larval, *a, *b, *found;
	xfrm_address_t daddr = { .a4 = htonl(0x0a000002) };

	/* A larval state without SPI is completed (and goes) by NEWSA. */
	larval = oxfrm_lft_test_sa(test, sad, 0, 7, OXFRM_STATE_ACQ);
	KUNIT_ASSERT_EQ(test, oxfrm_state_insert(larval), 0);
	a = oxfrm_lft_test_sa(test, sad, 0x100, 7, OXFRM_STATE_VALID);
	KUNIT_EXPECT_EQ(test, oxfrm_state_add(a), 0);
	KUNIT_EXPECT_FALSE(test, larval->linked);
	KUNIT_EXPECT_EQ(test, sad->count, 1U);
	oxfrm_state_put(larval);

	/* The same SPI again: EEXIST, whatever else differs. */
	b = oxfrm_lft_test_sa(test, sad, 0x100, 8, OXFRM_STATE_VALID);
	KUNIT_EXPECT_EQ(test, oxfrm_state_add(b), -EEXIST);
	oxfrm_state_put(b);

	/* UPDSA: nothing to update is ESRCH; a valid state changes in place. */
	b = oxfrm_lft_test_sa(test, sad, 0x101, 7, OXFRM_STATE_VALID);
	KUNIT_EXPECT_EQ(test, oxfrm_state_update(b), -ESRCH);
	oxfrm_state_put(b);
	b = oxfrm_lft_test_sa(test, sad, 0x100, 7, OXFRM_STATE_VALID);
	b->lft.soft_add_expires_seconds = 42;
	b->if_id = 5;
	KUNIT_EXPECT_EQ(test, oxfrm_state_update(b), 0);
	KUNIT_EXPECT_FALSE(test, b->linked);
	KUNIT_EXPECT_EQ(test, a->lft.soft_add_expires_seconds, 42ULL);
	KUNIT_EXPECT_EQ(test, a->if_id, 5U);
	oxfrm_state_put(b);
	/* ... but not from plain ESP to UDP-encapsulated ESP. */
	b = oxfrm_lft_test_sa(test, sad, 0x100, 7, OXFRM_STATE_VALID);
	b->has_encap = true;
	b->encap.encap_type = UDP_ENCAP_ESPINUDP;
	KUNIT_EXPECT_EQ(test, oxfrm_state_update(b), -EINVAL);
	KUNIT_EXPECT_FALSE(test, a->has_encap);
	oxfrm_state_put(b);

	/* A larval state with an SPI (ALLOCSPI) is replaced by UPDSA. */
	larval = oxfrm_lft_test_sa(test, sad, 0x200, 9, OXFRM_STATE_ACQ);
	KUNIT_ASSERT_EQ(test, oxfrm_state_insert(larval), 0);
	b = oxfrm_lft_test_sa(test, sad, 0x200, 9, OXFRM_STATE_VALID);
	KUNIT_EXPECT_EQ(test, oxfrm_state_update(b), 0);
	KUNIT_EXPECT_TRUE(test, b->linked);
	KUNIT_EXPECT_FALSE(test, larval->linked);
	found = oxfrm_state_lookup(sad, &daddr, htonl(0x200), IPPROTO_ESP,
				   AF_INET, 0);
	KUNIT_EXPECT_PTR_EQ(test, found, b);
	if (found)
		oxfrm_state_put(found);
	oxfrm_state_put(b);
	oxfrm_state_put(larval);
	oxfrm_state_put(a);
	oxfrm_sad_destroy(sad);
	KUNIT_EXPECT_EQ(test, atomic_read(&sad->nr_states), 0);
}

/* @x encapsulated in UDP, from port 4500 to @dport. */
static void oxfrm_lft_test_encap(struct oxfrm_state *x, u16 dport)
{
	x->has_encap = true;
	x->encap.encap_type = UDP_ENCAP_ESPINUDP;
	x->encap.encap_sport = htons(4500);
	x->encap.encap_dport = htons(dport);
}

/*
 * NAT-T's port buckets: an SA on port 4500 never counts, one on
 * another port counts while it is linked, and UPDSA moving it to another
 * port moves its count. 5000 and 6000 fall in different buckets.
 */
static void oxfrm_lft_test_encap_ports(struct kunit *test)
{
	struct oxfrm_sad *sad = oxfrm_lft_test_sad(test);
	struct oxfrm_state *a, *b, *u;

	a = oxfrm_lft_test_sa(test, sad, 0x100, 7, OXFRM_STATE_VALID);
	oxfrm_lft_test_encap(a, 4500);
	KUNIT_EXPECT_EQ(test, oxfrm_state_add(a), 0);
	b = oxfrm_lft_test_sa(test, sad, 0x101, 7, OXFRM_STATE_VALID);
	oxfrm_lft_test_encap(b, 5000);
	KUNIT_EXPECT_EQ(test, oxfrm_state_add(b), 0);
	KUNIT_EXPECT_FALSE(test, oxfrm_sad_encap_port(sad, htons(4500)));
	KUNIT_EXPECT_TRUE(test, oxfrm_sad_encap_port(sad, htons(5000)));
	KUNIT_EXPECT_FALSE(test, oxfrm_sad_encap_port(sad, htons(6000)));

	u = oxfrm_lft_test_sa(test, sad, 0x101, 7, OXFRM_STATE_VALID);
	oxfrm_lft_test_encap(u, 6000);
	KUNIT_EXPECT_EQ(test, oxfrm_state_update(u), 0);
	oxfrm_state_put(u);
	KUNIT_EXPECT_FALSE(test, oxfrm_sad_encap_port(sad, htons(5000)));
	KUNIT_EXPECT_TRUE(test, oxfrm_sad_encap_port(sad, htons(6000)));

	KUNIT_EXPECT_TRUE(test, oxfrm_state_unlink(b));
	KUNIT_EXPECT_FALSE(test, oxfrm_sad_encap_port(sad, htons(6000)));
	oxfrm_state_put(b);
	oxfrm_state_put(a);
	oxfrm_sad_destroy(sad);
	KUNIT_EXPECT_EQ(test, atomic_read(&sad->nr_states), 0);
}

static s64 oxfrm_lft_test_gen(struct oxfrm_sad *sad)
{
	return atomic64_read(&sad->genid);
}

/*
 * What NEWSA and UPDSA refuse leaves the port buckets and the SAD's
 * generation alone; what they do moves the generation (the output SA
 * caches go stale), as does an SPI given to a larval state; a flush
 * empties the buckets.
 */
static void oxfrm_lft_test_encap_refused(struct kunit *test)
{
	struct oxfrm_sad *sad = oxfrm_lft_test_sad(test);
	struct oxfrm_state *a, *u, *larval;
	s64 gen;

	a = oxfrm_lft_test_sa(test, sad, 0x100, 7, OXFRM_STATE_VALID);
	oxfrm_lft_test_encap(a, 5000);
	KUNIT_EXPECT_EQ(test, oxfrm_state_add(a), 0);
	gen = oxfrm_lft_test_gen(sad);

	/* The same identity again, on another port. */
	u = oxfrm_lft_test_sa(test, sad, 0x100, 7, OXFRM_STATE_VALID);
	oxfrm_lft_test_encap(u, 6000);
	KUNIT_EXPECT_EQ(test, oxfrm_state_add(u), -EEXIST);
	oxfrm_state_put(u);
	KUNIT_EXPECT_FALSE(test, oxfrm_sad_encap_port(sad, htons(6000)));

	/* An update that drops the encapsulation, or changes its type. */
	u = oxfrm_lft_test_sa(test, sad, 0x100, 7, OXFRM_STATE_VALID);
	KUNIT_EXPECT_EQ(test, oxfrm_state_update(u), -EINVAL);
	oxfrm_state_put(u);
	u = oxfrm_lft_test_sa(test, sad, 0x100, 7, OXFRM_STATE_VALID);
	oxfrm_lft_test_encap(u, 6000);
	u->encap.encap_type = UDP_ENCAP_ESPINUDP_NON_IKE;
	KUNIT_EXPECT_EQ(test, oxfrm_state_update(u), -EINVAL);
	oxfrm_state_put(u);
	KUNIT_EXPECT_TRUE(test, oxfrm_sad_encap_port(sad, htons(5000)));
	KUNIT_EXPECT_FALSE(test, oxfrm_sad_encap_port(sad, htons(6000)));
	KUNIT_EXPECT_EQ(test, oxfrm_lft_test_gen(sad), gen);

	/* One it takes. */
	u = oxfrm_lft_test_sa(test, sad, 0x100, 7, OXFRM_STATE_VALID);
	oxfrm_lft_test_encap(u, 6000);
	KUNIT_EXPECT_EQ(test, oxfrm_state_update(u), 0);
	oxfrm_state_put(u);
	KUNIT_EXPECT_GT(test, oxfrm_lft_test_gen(sad), gen);

	/* A larval state's new SPI: rehashed in place. */
	larval = oxfrm_lft_test_sa(test, sad, 0, 8, OXFRM_STATE_ACQ);
	KUNIT_ASSERT_EQ(test, oxfrm_state_insert(larval), 0);
	gen = oxfrm_lft_test_gen(sad);
	KUNIT_EXPECT_EQ(test, oxfrm_state_alloc_spi(larval, 0x200, 0x200), 0);
	KUNIT_EXPECT_EQ(test, ntohl(larval->key.spi), 0x200);
	KUNIT_EXPECT_GT(test, oxfrm_lft_test_gen(sad), gen);

	oxfrm_state_flush(sad);
	KUNIT_EXPECT_FALSE(test, oxfrm_sad_encap_port(sad, htons(5000)));
	KUNIT_EXPECT_FALSE(test, oxfrm_sad_encap_port(sad, htons(6000)));
	oxfrm_state_put(larval);
	oxfrm_state_put(a);
	oxfrm_sad_destroy(sad);
	KUNIT_EXPECT_EQ(test, atomic_read(&sad->nr_states), 0);
}

static struct kunit_case oxfrm_lft_test_cases[] = {
	KUNIT_CASE(oxfrm_lft_test_add_time),
	KUNIT_CASE(oxfrm_lft_test_hard_before_soft),
	KUNIT_CASE(oxfrm_lft_test_use_time),
	KUNIT_CASE(oxfrm_lft_test_bytes_packets),
	KUNIT_CASE(oxfrm_lft_test_add_update),
	KUNIT_CASE(oxfrm_lft_test_encap_ports),
	KUNIT_CASE(oxfrm_lft_test_encap_refused),
	{ }
};

static struct kunit_suite oxfrm_lft_test_suite = {
	.name = "oxfrm_lifetime",
	.test_cases = oxfrm_lft_test_cases,
};

kunit_test_suite(oxfrm_lft_test_suite);
