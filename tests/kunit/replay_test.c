// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: anti-replay windows and sequence numbers (src/state/replay.c) in
 * the legacy, bmp and esn modes, against hand-computed bitmaps (the stock
 * kernel's layout, which GETAE reports) and against brute-force reference
 * models over long random streams, the ESN one across a 2^32 boundary.
 */

#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <net/xfrm.h>
#include <oxfrm/replay.h>
#include <oxfrm/state.h>

enum oxfrm_rt_mode {
	OXFRM_RT_LEGACY,
	OXFRM_RT_BMP,
	OXFRM_RT_ESN,
};

/* Packets per random stream. */
#define OXFRM_RT_PACKETS	100000

static struct oxfrm_sad *oxfrm_rt_sad(struct kunit *test)
{
	struct oxfrm_sad *sad = kunit_kzalloc(test, sizeof(*sad), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, sad);
	KUNIT_ASSERT_EQ(test, oxfrm_sad_init(sad), 0);
	return sad;
}

/*
 * An unlinked state with a @window wide replay window, its bitmap
 * @bmp_len words (bmp, esn) as NEWSA would allocate it; the caller puts it.
 */
static struct oxfrm_state *oxfrm_rt_state(struct kunit *test,
					  struct oxfrm_sad *sad,
					  enum oxfrm_rt_mode mode,
					  u32 window, u32 bmp_len)
{
	struct xfrm_replay_state_esn want = {
		.bmp_len = bmp_len,
		.replay_window = window,
	};
	struct oxfrm_state *x = oxfrm_state_alloc(sad, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, x);
	if (mode == OXFRM_RT_LEGACY) {
		x->replay_window = window;
		return x;
	}
	x->replay_esn = kzalloc(xfrm_replay_state_esn_len(&want), GFP_KERNEL);
	if (!x->replay_esn)
		oxfrm_state_put(x);
	KUNIT_ASSERT_NOT_NULL(test, x->replay_esn);
	*x->replay_esn = want;
	if (mode == OXFRM_RT_ESN)
		x->flags |= XFRM_STATE_ESN;
	return x;
}

/* The calls as the packet path makes them: under x->lock. */
static int oxfrm_rt_check(struct oxfrm_state *x, u32 seq, u32 *seq_hi)
{
	int err;

	spin_lock_bh(&x->lock);
	err = oxfrm_replay_check(x, htonl(seq), seq_hi);
	spin_unlock_bh(&x->lock);
	return err;
}

static int oxfrm_rt_recheck(struct oxfrm_state *x, u32 seq, u32 seq_hi)
{
	int err;

	spin_lock_bh(&x->lock);
	err = oxfrm_replay_recheck(x, htonl(seq), seq_hi);
	spin_unlock_bh(&x->lock);
	return err;
}

/* After a good ICV: recheck and, if it passes, advance under one hold. */
static int oxfrm_rt_accept(struct oxfrm_state *x, u32 seq, u32 seq_hi)
{
	int err;

	spin_lock_bh(&x->lock);
	err = oxfrm_replay_recheck(x, htonl(seq), seq_hi);
	if (!err)
		oxfrm_replay_advance(x, htonl(seq), seq_hi);
	spin_unlock_bh(&x->lock);
	return err;
}

/* A genuine packet: checked, decrypted with the inferred high half, kept. */
static int oxfrm_rt_recv(struct oxfrm_state *x, u32 seq)
{
	u32 seq_hi;
	int err = oxfrm_rt_check(x, seq, &seq_hi);

	return err ? err : oxfrm_rt_accept(x, seq, seq_hi);
}

static int oxfrm_rt_next(struct oxfrm_state *x, u32 *seq, u32 *seq_hi)
{
	int err;

	spin_lock_bh(&x->lock);
	err = oxfrm_replay_next(x, seq, seq_hi);
	spin_unlock_bh(&x->lock);
	return err;
}

/* xorshift64*: a fixed seed gives the same stream on every run. */
static u32 oxfrm_rt_rand(u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (*s * 0x2545f4914f6cdd1dULL) >> 32;
}

static void oxfrm_rt_legacy(struct kunit *test)
{
	struct oxfrm_sad *sad = oxfrm_rt_sad(test);
	struct oxfrm_state *x = oxfrm_rt_state(test, sad, OXFRM_RT_LEGACY, 32, 0);
	u32 seq_hi;

	/* In order: bit n stands for seq - n. */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 1), 0);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 2), 0);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 3), 0);
	KUNIT_EXPECT_EQ(test, x->replay.seq, 3U);
	KUNIT_EXPECT_EQ(test, x->replay.bitmap, 0x7U);
	/* A duplicate of the top. */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, x->stats.replay, 1U);
	/* 10 shifts the bitmap by 7: 0x7 << 7 | 1 = 0x381. */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 10), 0);
	KUNIT_EXPECT_EQ(test, x->replay.bitmap, 0x381U);
	/* Out of order inside the window: 5 is bit 5, 0x3a1; then a replay. */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_check(x, 5, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq_hi, 0U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 5), 0);
	KUNIT_EXPECT_EQ(test, x->replay.bitmap, 0x3a1U);
	KUNIT_EXPECT_EQ(test, x->replay.seq, 10U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 5), -EINVAL);
	KUNIT_EXPECT_EQ(test, x->stats.replay, 2U);
	/* 0 is never a valid number, and counts nowhere. */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, x->stats.replay, 2U);
	KUNIT_EXPECT_EQ(test, x->stats.replay_window, 0U);
	/* 40: 0x3a1 << 30 keeps only bit 0 (seq 10) as bit 30. */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 40), 0);
	KUNIT_EXPECT_EQ(test, x->replay.bitmap, 0x40000001U);
	/* 9 is 31 behind, the window's last; 8 is 32 behind: too old. */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 9), 0);
	KUNIT_EXPECT_EQ(test, x->replay.bitmap, 0xc0000001U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, x->stats.replay_window, 1U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 10), -EINVAL);
	KUNIT_EXPECT_EQ(test, x->stats.replay, 3U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 39), 0);
	KUNIT_EXPECT_EQ(test, x->replay.bitmap, 0xc0000003U);
	KUNIT_EXPECT_EQ(test, x->replay.seq, 40U);
	oxfrm_state_put(x);

	/*
	 * A window of 4: the bitmap still shifts as a u32, so bits past the
	 * window stay (and GETAE shows them): 1..5 give 0x1f. A jump of a
	 * window or more resets it to 1.
	 */
	x = oxfrm_rt_state(test, sad, OXFRM_RT_LEGACY, 4, 0);
	for (seq_hi = 1; seq_hi <= 5; seq_hi++)
		KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, seq_hi), 0);
	KUNIT_EXPECT_EQ(test, x->replay.bitmap, 0x1fU);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, x->stats.replay_window, 1U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 9), 0);
	KUNIT_EXPECT_EQ(test, x->replay.bitmap, 0x1U);
	oxfrm_state_put(x);
	oxfrm_sad_destroy(sad);
}

/* Window 0 (legacy or bmp): everything passes, nothing is recorded. */
static void oxfrm_rt_window0(struct kunit *test)
{
	struct oxfrm_sad *sad = oxfrm_rt_sad(test);
	enum oxfrm_rt_mode mode;
	struct oxfrm_state *x;
	int i;

	for (mode = OXFRM_RT_LEGACY; mode <= OXFRM_RT_BMP; mode++) {
		x = oxfrm_rt_state(test, sad, mode, 0, 1);
		for (i = 0; i < 2; i++) {
			KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 0), 0);
			KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 7), 0);
			KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 3), 0);
		}
		if (x->replay_esn) {
			KUNIT_EXPECT_EQ(test, x->replay_esn->seq, 0U);
			KUNIT_EXPECT_EQ(test, x->replay_esn->bmp[0], 0U);
		}
		KUNIT_EXPECT_EQ(test, x->replay.seq, 0U);
		KUNIT_EXPECT_EQ(test, x->replay.bitmap, 0U);
		KUNIT_EXPECT_EQ(test, x->stats.replay, 0U);
		KUNIT_EXPECT_EQ(test, x->stats.replay_window, 0U);
		oxfrm_state_put(x);
	}
	oxfrm_sad_destroy(sad);
}

/*
 * The circular layout, window 64 (two words): the top seq sits at bit
 * (seq - 1) % 64, and moving the top clears the bits of the skipped
 * numbers only.
 */
static void oxfrm_rt_bmp_layout(struct kunit *test)
{
	struct oxfrm_sad *sad = oxfrm_rt_sad(test);
	struct oxfrm_state *x = oxfrm_rt_state(test, sad, OXFRM_RT_BMP, 64, 2);
	u32 *bmp = x->replay_esn->bmp;

	/* 1, 2: bits 0, 1. */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 1), 0);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 2), 0);
	KUNIT_EXPECT_EQ(test, bmp[0], 0x3U);
	KUNIT_EXPECT_EQ(test, bmp[1], 0x0U);
	/* 40: bit 39, word 1 bit 7; then 33 (7 behind): bit 32, word 1 bit 0. */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 40), 0);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 33), 0);
	KUNIT_EXPECT_EQ(test, bmp[0], 0x3U);
	KUNIT_EXPECT_EQ(test, bmp[1], 0x81U);
	/*
	 * 70, 30 ahead: bits 40..63 and 0..4 are cleared (1 and 2 leave),
	 * 70 takes bit 69 % 64 = 5. 33 and 40 stay.
	 */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 70), 0);
	KUNIT_EXPECT_EQ(test, bmp[0], 0x20U);
	KUNIT_EXPECT_EQ(test, bmp[1], 0x81U);
	KUNIT_EXPECT_EQ(test, x->replay_esn->seq, 70U);
	/* 7 is 63 behind, in; 6 is 64 behind, out; 33 and 40 were seen. */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 6), -EINVAL);
	KUNIT_EXPECT_EQ(test, x->stats.replay_window, 1U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 33), -EINVAL);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 40), -EINVAL);
	KUNIT_EXPECT_EQ(test, x->stats.replay, 2U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 7), 0);
	KUNIT_EXPECT_EQ(test, bmp[0], 0x60U);	/* 7: bit 6 */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, x->stats.replay + x->stats.replay_window, 3U);
	/* 200, 130 ahead: both words cleared, bit 199 % 64 = 7. */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 200), 0);
	KUNIT_EXPECT_EQ(test, bmp[0], 0x80U);
	KUNIT_EXPECT_EQ(test, bmp[1], 0x0U);
	oxfrm_state_put(x);
	oxfrm_sad_destroy(sad);
}

/*
 * A window that is not a power of two (100, four words), as the stock
 * kernel has it: from top 0 the position is 0xffffffff % 100 = 95, so the
 * first packet (5) is marked at bit (95 + 5) % 100 = 0, where the layout
 * keeps 1, not at (5 - 1) % 100 = 4. Hence 5 passes once more and 1, never
 * seen, is refused. A jump clears every word the window uses, bits past
 * the window (restored by NEWAE) included.
 */
static void oxfrm_rt_bmp_odd_window(struct kunit *test)
{
	struct oxfrm_sad *sad = oxfrm_rt_sad(test);
	struct oxfrm_state *x = oxfrm_rt_state(test, sad, OXFRM_RT_BMP, 100, 4);
	u32 *bmp = x->replay_esn->bmp;

	bmp[3] = 0xf0000000;	/* bits 124..127, past the window */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 5), 0);
	KUNIT_EXPECT_EQ(test, bmp[0], 0x1U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, x->stats.replay, 1U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 5), 0);
	KUNIT_EXPECT_EQ(test, bmp[0], 0x11U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 5), -EINVAL);
	/* 6: bit 5; a step inside the window leaves bits past it alone. */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 6), 0);
	KUNIT_EXPECT_EQ(test, bmp[0], 0x31U);
	KUNIT_EXPECT_EQ(test, bmp[3], 0xf0000000U);
	/* 150, 144 ahead: words 0..3 cleared, bit 149 % 100 = 49. */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 150), 0);
	KUNIT_EXPECT_EQ(test, bmp[0], 0x0U);
	KUNIT_EXPECT_EQ(test, bmp[1], BIT(17));
	KUNIT_EXPECT_EQ(test, bmp[2], 0x0U);
	KUNIT_EXPECT_EQ(test, bmp[3], 0x0U);
	/* 51 is 99 behind, the window's last: bit 50. */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 51), 0);
	KUNIT_EXPECT_EQ(test, bmp[1], BIT(17) | BIT(18));
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 50), -EINVAL);
	KUNIT_EXPECT_EQ(test, x->stats.replay_window, 1U);
	oxfrm_state_put(x);
	oxfrm_sad_destroy(sad);
}

/*
 * A bmp window against the brute-force model: every number seen and the
 * highest; a number passes unless it is 0, @window or more below the
 * highest (replay_window), or seen (replay). The sender moves its top by
 * 0 to 2 a packet and sometimes jumps by more than a window; packets come
 * up to a quarter window too late, and some again.
 */
static void oxfrm_rt_bmp_random_one(struct kunit *test, struct oxfrm_sad *sad,
				    u32 window, u64 seed)
{
	const u32 span = 1U << 22;
	struct oxfrm_state *x;
	u32 i, seq, sender = 0, top = 0, last = 0, rwin = 0, rep = 0, lag, r;
	unsigned long *seen;
	int err, want;

	seen = vzalloc(BITS_TO_LONGS(span) * sizeof(long));
	KUNIT_ASSERT_NOT_NULL(test, seen);
	x = oxfrm_rt_state(test, sad, OXFRM_RT_BMP, window, window / 32);
	for (i = 0; i < OXFRM_RT_PACKETS; i++) {
		r = oxfrm_rt_rand(&seed);
		if (r % 1024 == 0)
			sender += 2 * window + oxfrm_rt_rand(&seed) % window;
		else
			sender += r % 3;
		if (sender >= span) {
			KUNIT_FAIL(test, "window %u: the sender left the model", window);
			break;
		}
		if ((r >> 10) % 8 == 0) {
			seq = last;
		} else {
			lag = oxfrm_rt_rand(&seed) % (window + window / 4 + 1);
			seq = sender > lag ? sender - lag : 0;
		}
		if (!seq) {
			want = -EINVAL;
		} else if (seq > top) {
			want = 0;
		} else if (top - seq >= window) {
			want = -EINVAL;
			rwin++;
		} else if (test_bit(seq, seen)) {
			want = -EINVAL;
			rep++;
		} else {
			want = 0;
		}
		err = oxfrm_rt_recv(x, seq);
		if (!want) {
			__set_bit(seq, seen);
			top = max(top, seq);
			last = seq;
		}
		if (err != want || x->replay_esn->seq != top ||
		    x->stats.replay_window != rwin || x->stats.replay != rep) {
			KUNIT_FAIL(test,
				   "window %u packet %u seq %u: %d (want %d), top %u (%u), replay_window %u (%u), replay %u (%u)",
				   window, i, seq, err, want, x->replay_esn->seq,
				   top, x->stats.replay_window, rwin,
				   x->stats.replay, rep);
			break;
		}
	}
	/* Each kind of verdict happened, often. */
	KUNIT_EXPECT_GT(test, rwin, 1000U);
	KUNIT_EXPECT_GT(test, rep, 1000U);
	oxfrm_state_put(x);
	vfree(seen);
}

static void oxfrm_rt_bmp_random(struct kunit *test)
{
	struct oxfrm_sad *sad = oxfrm_rt_sad(test);

	oxfrm_rt_bmp_random_one(test, sad, 64, 0x1234567890abcdefULL);
	oxfrm_rt_bmp_random_one(test, sad, 128, 0x0ddba11cafef00dULL);
	oxfrm_rt_bmp_random_one(test, sad, 4096, 0x5eed5eed5eed5eedULL);
	oxfrm_sad_destroy(sad);
}

/*
 * ESN, window 64, top 0:0xfffffff0 (as NEWAE would restore it): the high
 * half of a low half below the window's bottom (0xffffffb1) is the next
 * one; once the top is in subspace 1 but the window still reaches into 0,
 * low halves at or above the bottom are in subspace 0.
 */
static void oxfrm_rt_esn_seqhi(struct kunit *test)
{
	struct oxfrm_sad *sad = oxfrm_rt_sad(test);
	struct oxfrm_state *x = oxfrm_rt_state(test, sad, OXFRM_RT_ESN, 64, 2);
	struct xfrm_replay_state_esn *rs = x->replay_esn;
	u32 seq_hi;

	rs->seq = 0xfffffff0;
	KUNIT_EXPECT_EQ(test, oxfrm_rt_check(x, 0xfffffff5, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq_hi, 0U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_check(x, 5, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq_hi, 1U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_check(x, 0xffffffb1, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq_hi, 0U);
	/*
	 * One below the bottom is taken for subspace 1, and passes the check;
	 * decrypted as 0:0xffffffb0 (what a late genuine packet is), the
	 * recheck refuses it, counted as outside the window.
	 */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_check(x, 0xffffffb0, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq_hi, 1U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recheck(x, 0xffffffb0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, x->stats.replay_window, 1U);
	KUNIT_EXPECT_EQ(test, x->stats.replay, 0U);

	/* 1:3 carries the top into subspace 1, at bit (3 - 1) % 64 = 2. */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 0xfffffff0), 0);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 3), 0);
	KUNIT_EXPECT_EQ(test, rs->seq, 3U);
	KUNIT_EXPECT_EQ(test, rs->seq_hi, 1U);
	/* 0:0xfffffff0 kept its bit 47 (word 1 bit 15). */
	KUNIT_EXPECT_EQ(test, rs->bmp[0], BIT(2));
	KUNIT_EXPECT_EQ(test, rs->bmp[1], BIT(15));
	/* The window spans 0:0xffffffc4..1:3: the old half is subspace 0. */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_check(x, 0xfffffff5, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq_hi, 0U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 0xfffffff5), 0);
	KUNIT_EXPECT_EQ(test, rs->bmp[1], BIT(15) | BIT(20));	/* 0xfffffff4 % 64 */
	KUNIT_EXPECT_EQ(test, rs->seq_hi, 1U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 0xfffffff5), -EINVAL);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 0xfffffff0), -EINVAL);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, x->stats.replay, 3U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_check(x, 0xffffffc4, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq_hi, 0U);
	/* Between the top and the bottom: ahead, in subspace 1. */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_check(x, 0xffffffc3, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq_hi, 1U);
	/* 1:0 is a number like any other now. */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_check(x, 0, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq_hi, 1U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 0), 0);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, x->stats.replay, 4U);

	/*
	 * The window moves while 0:0xffffffd0 is decrypted: with the top at
	 * 1:0x30 its low half now means 1:0xffffffd0, and the recheck refuses.
	 */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_check(x, 0xffffffd0, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq_hi, 0U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 0x30), 0);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_accept(x, 0xffffffd0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, x->stats.replay_window, 2U);
	/* 0:0xfffffff5 is still inside, and seen. */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 0xfffffff5), -EINVAL);
	KUNIT_EXPECT_EQ(test, x->stats.replay, 5U);
	KUNIT_EXPECT_EQ(test, rs->seq, 0x30U);
	KUNIT_EXPECT_EQ(test, rs->seq_hi, 1U);
	oxfrm_state_put(x);
	oxfrm_sad_destroy(sad);
}

/*
 * ESN's rule for 0: refused (counted nowhere) only as number 0 of
 * subspace 0, i.e. while seq_hi is 0 and the top below window - 1.
 */
static void oxfrm_rt_esn_zero(struct kunit *test)
{
	struct oxfrm_sad *sad = oxfrm_rt_sad(test);
	struct oxfrm_state *x = oxfrm_rt_state(test, sad, OXFRM_RT_ESN, 64, 2);
	u32 seq_hi;

	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, x->stats.replay + x->stats.replay_window, 0U);
	/*
	 * On a fresh state the window spans 0xffffffff:0xffffffc1..0:0, so a
	 * high low half passes the check as subspace 0xffffffff (its ICV then
	 * decides).
	 */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_check(x, 0xfffffff0, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq_hi, 0xffffffffU);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_check(x, 0xffffffc0, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq_hi, 0U);
	/* Once the top reaches 63 the rule is off: 0 is 63 behind, unseen. */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 62), 0);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 63), 0);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_check(x, 0, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq_hi, 0U);
	KUNIT_EXPECT_EQ(test, x->stats.replay + x->stats.replay_window, 0U);
	oxfrm_state_put(x);

	/* With a window of 1 the rule never applies: 0:0 passes, once. */
	x = oxfrm_rt_state(test, sad, OXFRM_RT_ESN, 1, 1);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 0), 0);
	KUNIT_EXPECT_EQ(test, x->replay_esn->bmp[0], 0x1U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, x->stats.replay, 1U);
	oxfrm_state_put(x);
	oxfrm_sad_destroy(sad);
}

/* The 64-bit reference: every number seen, and the highest. */
struct oxfrm_rt_esn_model {
	u64 top;		/* highest number accepted */
	u64 last;		/* last number accepted */
	u64 base;		/* number of bit 0 of seen */
	u32 window;
	u32 rwin;		/* expected x->stats */
	u32 rep;
	unsigned long *seen;
};

/* The number at or above the window's bottom, less than 2^32 above it. */
static u64 oxfrm_rt_esn_infer(const struct oxfrm_rt_esn_model *m, u32 lo)
{
	u64 bottom = m->top - m->window + 1;

	return bottom + (u32)(lo - (u32)bottom);
}

/* The check of the number @n (inferred): seen in the window, or not. */
static int oxfrm_rt_esn_verdict(struct oxfrm_rt_esn_model *m, u64 n)
{
	if (n > m->top)
		return 0;
	if (test_bit(n - m->base, m->seen)) {
		m->rep++;
		return -EINVAL;
	}
	return 0;
}

static bool oxfrm_rt_esn_same(struct kunit *test, struct oxfrm_state *x,
			      const struct oxfrm_rt_esn_model *m, u32 i,
			      u64 n, int err, int want)
{
	const struct xfrm_replay_state_esn *rs = x->replay_esn;
	u64 top = (u64)rs->seq_hi << 32 | rs->seq;

	if (err == want && top == m->top && x->stats.replay == m->rep &&
	    x->stats.replay_window == m->rwin)
		return true;
	KUNIT_FAIL(test,
		   "window %u packet %u number %llx: %d (want %d), top %llx (%llx), replay_window %u (%u), replay %u (%u)",
		   m->window, i, n, err, want, top, m->top,
		   x->stats.replay_window, m->rwin, x->stats.replay, m->rep);
	return false;
}

/*
 * The packet numbered @n, whose ICV verified with @seq_hi: rechecked
 * against the window as it is now (which reads its low half as another
 * number if the window moved far enough meanwhile), then recorded.
 */
static bool oxfrm_rt_esn_take(struct kunit *test, struct oxfrm_state *x,
			      struct oxfrm_rt_esn_model *m, u32 i, u64 n,
			      u32 seq_hi)
{
	int err, want;

	if (oxfrm_rt_esn_infer(m, (u32)n) != n) {
		m->rwin++;
		want = -EINVAL;
	} else {
		want = oxfrm_rt_esn_verdict(m, n);
	}
	err = oxfrm_rt_accept(x, (u32)n, seq_hi);
	if (!want) {
		__set_bit(n - m->base, m->seen);
		m->top = max(m->top, n);
		m->last = n;
	}
	return oxfrm_rt_esn_same(test, x, m, i, n, err, want);
}

/*
 * ESN against the model, from 0:(2^32 - 60000) across into subspace 1.
 * Packets are late by up to a quarter window past it (then their low half
 * means the next subspace, and the "ICV" fails: only a packet decrypted
 * with its own high half is accepted), repeated, or carry a low half from
 * another subspace. Some are held back while up to 32 more are processed,
 * as if decryption took that long, and then rechecked.
 */
static void oxfrm_rt_esn_random_one(struct kunit *test, struct oxfrm_sad *sad,
				    u32 window, u64 seed)
{
	const u32 span = 1U << 22;
	struct oxfrm_rt_esn_model m = { .window = window };
	u32 i, r, held_hi = 0, held_until = 0, seq_hi;
	u64 sender, n, inf, held = 0;
	struct oxfrm_state *x;
	bool ok = true;
	int err, want;

	m.seen = vzalloc(BITS_TO_LONGS(span) * sizeof(long));
	KUNIT_ASSERT_NOT_NULL(test, m.seen);
	x = oxfrm_rt_state(test, sad, OXFRM_RT_ESN, window, window / 32);
	sender = (1ULL << 32) - 60000;
	m.top = sender;
	m.last = sender;
	m.base = sender - 2 * window;
	x->replay_esn->seq = (u32)sender;
	x->replay_esn->seq_hi = sender >> 32;

	for (i = 0; ok && i < OXFRM_RT_PACKETS; i++) {
		r = oxfrm_rt_rand(&seed);
		if (r % 1024 == 0)
			sender += 2 * window + oxfrm_rt_rand(&seed) % window;
		else
			sender += r % 3;
		if (sender - m.base >= span) {
			KUNIT_FAIL(test, "window %u: the sender left the model", window);
			break;
		}
		switch ((r >> 10) % 32) {
		case 0:
			n = sender + (1ULL << 32) - oxfrm_rt_rand(&seed) % window;
			break;
		case 1:
			n = sender - (1ULL << 32) - oxfrm_rt_rand(&seed) % window;
			break;
		case 2 ... 5:
			n = m.last;
			break;
		default:
			n = sender - oxfrm_rt_rand(&seed) %
				     (window + window / 4 + 1);
			break;
		}

		/* Before decryption. */
		inf = oxfrm_rt_esn_infer(&m, (u32)n);
		want = oxfrm_rt_esn_verdict(&m, inf);
		err = oxfrm_rt_check(x, (u32)n, &seq_hi);
		ok = oxfrm_rt_esn_same(test, x, &m, i, n, err, want);
		if (ok && seq_hi != inf >> 32) {
			KUNIT_FAIL(test, "window %u packet %u number %llx: high half %x, want %llx",
				   window, i, n, seq_hi, inf >> 32);
			ok = false;
		}
		/* The ICV fails unless decrypted with the packet's own number. */
		if (ok && !err && inf == n) {
			if (!held && (r >> 15) % 8 == 0) {
				held = n;
				held_hi = seq_hi;
				held_until = i + 1 + (r >> 18) % 32;
			} else {
				ok = oxfrm_rt_esn_take(test, x, &m, i, n, seq_hi);
			}
		}
		if (ok && held && i >= held_until) {
			ok = oxfrm_rt_esn_take(test, x, &m, i, held, held_hi);
			held = 0;
		}
	}
	/* The top crossed into subspace 1; every verdict happened, often. */
	KUNIT_EXPECT_EQ(test, x->replay_esn->seq_hi, 1U);
	KUNIT_EXPECT_GT(test, m.rep, 1000U);
	KUNIT_EXPECT_GT(test, m.rwin, 10U);
	oxfrm_state_put(x);
	vfree(m.seen);
}

static void oxfrm_rt_esn_random(struct kunit *test)
{
	struct oxfrm_sad *sad = oxfrm_rt_sad(test);

	oxfrm_rt_esn_random_one(test, sad, 64, 0x243f6a8885a308d3ULL);
	oxfrm_rt_esn_random_one(test, sad, 4096, 0x13198a2e03707344ULL);
	oxfrm_sad_destroy(sad);
}

static void oxfrm_rt_output(struct kunit *test)
{
	struct oxfrm_sad *sad = oxfrm_rt_sad(test);
	struct oxfrm_state *x = oxfrm_rt_state(test, sad, OXFRM_RT_LEGACY, 32, 0);
	u32 seq = 0, seq_hi = 0;

	/* Legacy: the first number is 1; the last 0xffffffff, for good. */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_next(x, &seq, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq, 1U);
	KUNIT_EXPECT_EQ(test, seq_hi, 0U);
	x->replay.oseq = 0xfffffffe;
	KUNIT_EXPECT_EQ(test, oxfrm_rt_next(x, &seq, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq, 0xffffffffU);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_next(x, &seq, &seq_hi), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, x->replay.oseq, 0xffffffffU);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_next(x, &seq, &seq_hi), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, x->replay.oseq, 0xffffffffU);
	/* ... unless it may wrap: then 0 is sent, and 1 again. */
	x->extra_flags |= XFRM_SA_XFLAG_OSEQ_MAY_WRAP;
	KUNIT_EXPECT_EQ(test, oxfrm_rt_next(x, &seq, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq, 0U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_next(x, &seq, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq, 1U);
	oxfrm_state_put(x);

	/* bmp counts in replay_esn->oseq, with the same rule. */
	x = oxfrm_rt_state(test, sad, OXFRM_RT_BMP, 64, 2);
	x->replay.oseq = 5;
	x->replay_esn->oseq = 0xffffffff;
	KUNIT_EXPECT_EQ(test, oxfrm_rt_next(x, &seq, &seq_hi), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, x->replay_esn->oseq, 0xffffffffU);
	x->extra_flags |= XFRM_SA_XFLAG_OSEQ_MAY_WRAP;
	KUNIT_EXPECT_EQ(test, oxfrm_rt_next(x, &seq, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq, 0U);
	KUNIT_EXPECT_EQ(test, seq_hi, 0U);
	KUNIT_EXPECT_EQ(test, x->replay.oseq, 5U);
	oxfrm_state_put(x);

	/* ESN carries into oseq_hi, and fails only when both wrap. */
	x = oxfrm_rt_state(test, sad, OXFRM_RT_ESN, 64, 2);
	x->replay_esn->oseq = 0xffffffff;
	KUNIT_EXPECT_EQ(test, oxfrm_rt_next(x, &seq, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq, 0U);
	KUNIT_EXPECT_EQ(test, seq_hi, 1U);
	KUNIT_EXPECT_EQ(test, x->replay_esn->oseq_hi, 1U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_next(x, &seq, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq, 1U);
	KUNIT_EXPECT_EQ(test, seq_hi, 1U);
	x->replay_esn->oseq = 0xfffffffe;
	x->replay_esn->oseq_hi = 0xffffffff;
	KUNIT_EXPECT_EQ(test, oxfrm_rt_next(x, &seq, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq, 0xffffffffU);
	KUNIT_EXPECT_EQ(test, seq_hi, 0xffffffffU);
	/* XFRM_SA_XFLAG_OSEQ_MAY_WRAP does not apply to ESN. */
	x->extra_flags |= XFRM_SA_XFLAG_OSEQ_MAY_WRAP;
	KUNIT_EXPECT_EQ(test, oxfrm_rt_next(x, &seq, &seq_hi), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, x->replay_esn->oseq, 0xffffffffU);
	KUNIT_EXPECT_EQ(test, x->replay_esn->oseq_hi, 0xffffffffU);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_next(x, &seq, &seq_hi), -EOVERFLOW);
	oxfrm_state_put(x);
	oxfrm_sad_destroy(sad);
}

/*
 * Replay state restored by REPLAY_VAL (legacy) or REPLAY_ESN_VAL (NEWSA,
 * NEWAE): the numbers it marks count as seen, and the window goes on from
 * there.
 */
static void oxfrm_rt_restore(struct kunit *test)
{
	struct oxfrm_sad *sad = oxfrm_rt_sad(test);
	struct oxfrm_state *x = oxfrm_rt_state(test, sad, OXFRM_RT_LEGACY, 32, 0);
	struct xfrm_replay_state_esn *rs;
	u32 seq, seq_hi;

	/* seq 1000, bits 0, 2, 31: 1000, 998 and 969 were seen. */
	x->replay = (struct xfrm_replay_state){
		.oseq = 100, .seq = 1000, .bitmap = 0x80000005,
	};
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 1000), -EINVAL);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 998), -EINVAL);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 969), -EINVAL);
	KUNIT_EXPECT_EQ(test, x->stats.replay, 3U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 968), -EINVAL);
	KUNIT_EXPECT_EQ(test, x->stats.replay_window, 1U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 999), 0);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 1001), 0);
	KUNIT_EXPECT_EQ(test, x->replay.bitmap, 0x0000000fU);	/* 969 left */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_next(x, &seq, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq, 101U);
	oxfrm_state_put(x);

	/*
	 * ESN, window 64, top 7:0x10 at bit 15: 7:0xd (bit 12) and
	 * 6:0xfffffff0 (32 behind: bit 64 - (32 - 15) = 47, word 1 bit 15)
	 * were seen. The window spans 6:0xffffffd1..7:0x10.
	 */
	x = oxfrm_rt_state(test, sad, OXFRM_RT_ESN, 64, 2);
	rs = x->replay_esn;
	rs->seq_hi = 7;
	rs->seq = 0x10;
	rs->oseq_hi = 7;
	rs->oseq = 0x20;
	rs->bmp[0] = BIT(15) | BIT(12);
	rs->bmp[1] = BIT(15);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 0x10), -EINVAL);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 0xd), -EINVAL);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_check(x, 0xfffffff0, &seq_hi), -EINVAL);
	KUNIT_EXPECT_EQ(test, seq_hi, 6U);
	KUNIT_EXPECT_EQ(test, x->stats.replay, 3U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_check(x, 0xffffffd0, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq_hi, 7U);
	/* 6:0xfffffff1: bit 48, word 1 bit 16. */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_check(x, 0xfffffff1, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq_hi, 6U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 0xfffffff1), 0);
	KUNIT_EXPECT_EQ(test, rs->bmp[1], BIT(15) | BIT(16));
	KUNIT_EXPECT_EQ(test, rs->seq_hi, 7U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 0xe), 0);
	KUNIT_EXPECT_EQ(test, rs->bmp[0], BIT(15) | BIT(13) | BIT(12));
	/* 7:0x50, 64 ahead: both words cleared, bit 0x4f % 64 = 15. */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recv(x, 0x50), 0);
	KUNIT_EXPECT_EQ(test, rs->bmp[0], BIT(15));
	KUNIT_EXPECT_EQ(test, rs->bmp[1], 0U);
	KUNIT_EXPECT_EQ(test, rs->seq, 0x50U);
	KUNIT_EXPECT_EQ(test, rs->seq_hi, 7U);
	/*
	 * The window is now 7:0x11..7:0x50, in one subspace: 0xfffffff1
	 * reads as 7:0xfffffff1, far ahead, and 6:0xfffffff1 (decrypted as
	 * it was checked before) fails its recheck.
	 */
	KUNIT_EXPECT_EQ(test, oxfrm_rt_check(x, 0xfffffff1, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq_hi, 7U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_check(x, 0x10, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq_hi, 8U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_recheck(x, 0xfffffff1, 6), -EINVAL);
	KUNIT_EXPECT_EQ(test, x->stats.replay_window, 1U);
	KUNIT_EXPECT_EQ(test, oxfrm_rt_next(x, &seq, &seq_hi), 0);
	KUNIT_EXPECT_EQ(test, seq, 0x21U);
	KUNIT_EXPECT_EQ(test, seq_hi, 7U);
	oxfrm_state_put(x);
	oxfrm_sad_destroy(sad);
}

static struct kunit_case oxfrm_rt_cases[] = {
	KUNIT_CASE(oxfrm_rt_legacy),
	KUNIT_CASE(oxfrm_rt_window0),
	KUNIT_CASE(oxfrm_rt_bmp_layout),
	KUNIT_CASE(oxfrm_rt_bmp_odd_window),
	KUNIT_CASE(oxfrm_rt_bmp_random),
	KUNIT_CASE(oxfrm_rt_esn_seqhi),
	KUNIT_CASE(oxfrm_rt_esn_zero),
	KUNIT_CASE(oxfrm_rt_esn_random),
	KUNIT_CASE(oxfrm_rt_output),
	KUNIT_CASE(oxfrm_rt_restore),
	{ }
};

static struct kunit_suite oxfrm_rt_suite = {
	.name = "oxfrm_replay",
	.test_cases = oxfrm_rt_cases,
};

kunit_test_suite(oxfrm_rt_suite);
