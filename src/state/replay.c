// SPDX-License-Identifier: GPL-2.0
/*
 * Anti-replay and sequence numbers (RFC 4303 3.3.3, 3.4.3 and appendix A),
 * as net/xfrm/xfrm_replay.c of Linux 6.1 has them: the same decisions, the
 * same x->stats counters, and the same bits in the bitmaps, which GETAE
 * and the aevents report and NEWAE and NEWSA restore.
 *
 * A state has one of three modes, fixed when it is added:
 *
 * legacy (x->replay_esn NULL): 32-bit numbers, x->replay_window (at most
 *	32) wide. x->replay.seq is the highest number accepted and bit n of
 *	x->replay.bitmap stands for seq - n: the bitmap shifts as seq moves.
 *
 * bmp (x->replay_esn, no XFRM_STATE_ESN): 32-bit numbers, a window of up
 *	to bmp_len * 32. The bitmap is circular and never shifts: the top
 *	seq sits at bit (seq - 1) % window, seq - n n bits below it, modulo
 *	the window. Moving the top clears the bits of the numbers skipped.
 *
 * esn (x->replay_esn and XFRM_STATE_ESN): 64-bit numbers of which packets
 *	carry the low half; seq_hi holds the high half of the top, and a
 *	packet's high half is inferred from where its low half falls against
 *	the window (RFC 4303 A2.2). The bitmap is bmp's.
 *
 * Quirks kept, since the bitmap must stay the stock kernel's bit for bit:
 * positions are computed in u32 arithmetic, so with a window that is not
 * a power of two, marks made from top 0 (the first packet of a fresh
 * state) and those an ESN window holds as its top crosses a 2^32 boundary
 * land 2^32 % window bits off where later lookups look; and the ESN check
 * never counts replay_window (whatever it compares lies in the window),
 * only the recheck does.
 *
 * Outbound, the number increments; without ESN, wrapping to 0 fails unless
 * XFRM_SA_XFLAG_OSEQ_MAY_WRAP; with ESN it carries into oseq_hi and fails
 * only when both halves wrap.
 *
 * Everything runs under x->lock, the lock the packet path holds anyway.
 */

#include <linux/bug.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <net/net_debug.h>
#include <oxfrm/oxfrm.h>
#include <oxfrm/replay.h>
#include <oxfrm/state.h>

/* bmp and esn share the circular bitmap; esn adds the high halves. */
static bool oxfrm_replay_esn(const struct oxfrm_state *x)
{
	return x->replay_esn && (x->flags & XFRM_STATE_ESN);
}

/*
 * Bit n of the bitmap is bit n % 32 of word n / 32, whatever the host's
 * byte order: that is how the u32 words of xfrm_replay_state_esn go out.
 */
static bool oxfrm_replay_bit_test(const u32 *bmp, u32 bit)
{
	return bmp[bit >> 5] & BIT(bit & 31);
}

static void oxfrm_replay_bit_set(u32 *bmp, u32 bit)
{
	bmp[bit >> 5] |= BIT(bit & 31);
}

/* Clears @n bits from @from on, a word at a time: a jump may skip 4095. */
static void oxfrm_replay_bits_clear(u32 *bmp, u32 from, u32 n)
{
	u32 bit, k;

	while (n) {
		bit = from & 31;
		k = min(n, 32 - bit);
		bmp[from >> 5] &= ~(u32)GENMASK(bit + k - 1, bit);
		from += k;
		n -= k;
	}
}

/* The bit of the number @diff below the top (diff < window). */
static u32 oxfrm_replay_bit(const struct xfrm_replay_state_esn *rs, u32 diff)
{
	u32 pos = (rs->seq - 1) % rs->replay_window;

	return pos >= diff ? pos - diff : rs->replay_window - (diff - pos);
}

/*
 * The high half of an ESN number whose low half is @seq, as
 * xfrm_replay_seqhi(): the one that puts it at or above the window's
 * bottom and less than 2^32 above it. 0 without ESN.
 */
static u32 oxfrm_replay_seqhi(const struct oxfrm_state *x, u32 seq)
{
	const struct xfrm_replay_state_esn *rs = x->replay_esn;
	u32 bottom;

	if (!oxfrm_replay_esn(x))
		return 0;
	bottom = rs->seq - rs->replay_window + 1;
	if (rs->seq >= rs->replay_window - 1)	/* window in one subspace */
		return seq < bottom ? rs->seq_hi + 1 : rs->seq_hi;
	/* the window reaches back into the previous subspace */
	return seq >= bottom ? rs->seq_hi - 1 : rs->seq_hi;
}

/* Legacy: a number behind the top is checked against the shifting bitmap. */
static int oxfrm_replay_check_legacy(struct oxfrm_state *x, u32 seq)
{
	u32 diff;

	if (!x->replay_window)
		return 0;
	if (!seq)
		return -EINVAL;
	if (seq > x->replay.seq)
		return 0;
	diff = x->replay.seq - seq;
	if (diff >= x->replay_window) {
		x->stats.replay_window++;
		return -EINVAL;
	}
	if (x->replay.bitmap & BIT(diff)) {
		x->stats.replay++;
		return -EINVAL;
	}
	return 0;
}

/* bmp and esn: the number @diff below the top, against the circular bitmap. */
static int oxfrm_replay_check_behind(struct oxfrm_state *x, u32 diff)
{
	const struct xfrm_replay_state_esn *rs = x->replay_esn;

	if (diff >= rs->replay_window) {
		x->stats.replay_window++;
		return -EINVAL;
	}
	if (oxfrm_replay_bit_test(rs->bmp, oxfrm_replay_bit(rs, diff))) {
		x->stats.replay++;
		return -EINVAL;
	}
	return 0;
}

static int oxfrm_replay_check_bmp(struct oxfrm_state *x, u32 seq)
{
	const struct xfrm_replay_state_esn *rs = x->replay_esn;

	if (!rs->replay_window)
		return 0;
	if (!seq)
		return -EINVAL;
	if (seq > rs->seq)
		return 0;
	return oxfrm_replay_check_behind(x, rs->seq - seq);
}

/*
 * ESN: a low half ahead of the top, or below the window's bottom (then it
 * belongs to the next subspace), passes; one inside the window is looked
 * up. 0 is refused only while it could be number 0 of subspace 0, which
 * no sender uses.
 */
static int oxfrm_replay_check_esn(struct oxfrm_state *x, u32 seq)
{
	const struct xfrm_replay_state_esn *rs = x->replay_esn;
	u32 top = rs->seq, wsize = rs->replay_window;
	u32 bottom = top - wsize + 1;

	if (!wsize)
		return 0;
	if (!seq && !rs->seq_hi && top < wsize - 1)
		return -EINVAL;
	if (top >= wsize - 1) {
		if (seq > top || seq < bottom)
			return 0;
	} else if (seq > top && seq < bottom) {
		return 0;
	}
	/* In both cases top - seq (mod 2^32) is the distance below the top. */
	return oxfrm_replay_check_behind(x, top - seq);
}

/* The check of the state's mode; recheck adds the ESN high half's. */
static int oxfrm_replay_check_seq(struct oxfrm_state *x, u32 seq)
{
	if (!x->replay_esn)
		return oxfrm_replay_check_legacy(x, seq);
	if (!(x->flags & XFRM_STATE_ESN))
		return oxfrm_replay_check_bmp(x, seq);
	return oxfrm_replay_check_esn(x, seq);
}

int oxfrm_replay_check(struct oxfrm_state *x, __be32 net_seq, u32 *seq_hi)
{
	u32 seq = ntohl(net_seq);

	lockdep_assert_held(&x->lock);
	*seq_hi = oxfrm_replay_seqhi(x, seq);
	return oxfrm_replay_check_seq(x, seq);
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_replay_check);

/*
 * The window may have moved while the packet was decrypted: an ESN packet
 * whose high half would now be inferred differently is refused (counted
 * as outside the window, as the stock kernel counts it), then every mode
 * checks again.
 */
int oxfrm_replay_recheck(struct oxfrm_state *x, __be32 net_seq, u32 seq_hi)
{
	u32 seq = ntohl(net_seq);

	lockdep_assert_held(&x->lock);
	if (oxfrm_replay_esn(x) && seq_hi != oxfrm_replay_seqhi(x, seq)) {
		x->stats.replay_window++;
		return -EINVAL;
	}
	return oxfrm_replay_check_seq(x, seq);
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_replay_recheck);

/* Legacy: a new top shifts the bitmap, an older number sets its bit. */
static void oxfrm_replay_advance_legacy(struct oxfrm_state *x, u32 seq)
{
	struct xfrm_replay_state *r = &x->replay;
	u32 diff;

	if (!x->replay_window)
		return;
	if (seq > r->seq) {
		diff = seq - r->seq;
		r->bitmap = diff < x->replay_window ? (r->bitmap << diff) | 1 : 1;
		r->seq = seq;
		return;
	}
	diff = r->seq - seq;
	if (WARN_ON_ONCE(diff >= x->replay_window))	/* not rechecked */
		return;
	r->bitmap |= BIT(diff);
}

/*
 * bmp and esn: the top moves @diff ahead, to @seq. The numbers skipped
 * have not been seen; a jump of a window or more clears every word the
 * window uses (bits past it in the last word too, as the stock kernel
 * does). The new top's bit is computed in u32 arithmetic, as there.
 */
static void oxfrm_replay_forward(struct xfrm_replay_state_esn *rs, u32 seq,
				 u32 diff)
{
	u32 wsize = rs->replay_window;
	u32 pos = (rs->seq - 1) % wsize;
	u32 from, first;

	if (diff < wsize) {
		from = (pos + 1) % wsize;
		first = min(diff - 1, wsize - from);
		oxfrm_replay_bits_clear(rs->bmp, from, first);
		oxfrm_replay_bits_clear(rs->bmp, 0, diff - 1 - first);
	} else {
		memset(rs->bmp, 0, ((wsize - 1) / 32 + 1) * sizeof(rs->bmp[0]));
	}
	oxfrm_replay_bit_set(rs->bmp, (pos + diff) % wsize);
	rs->seq = seq;
}

/* bmp and esn: a number @diff below the top is marked seen. */
static void oxfrm_replay_behind(struct xfrm_replay_state_esn *rs, u32 diff)
{
	if (WARN_ON_ONCE(diff >= rs->replay_window))	/* not rechecked */
		return;
	oxfrm_replay_bit_set(rs->bmp, oxfrm_replay_bit(rs, diff));
}

static void oxfrm_replay_advance_bmp(struct oxfrm_state *x, u32 seq)
{
	struct xfrm_replay_state_esn *rs = x->replay_esn;

	if (!rs->replay_window)
		return;
	if (seq > rs->seq)
		oxfrm_replay_forward(rs, seq, seq - rs->seq);
	else
		oxfrm_replay_behind(rs, rs->seq - seq);
}

/*
 * ESN: the inferred high half says whether the number is ahead of the top
 * (possibly in the next subspace, which then becomes the top's) or behind
 * it (possibly in the previous one).
 */
static void oxfrm_replay_advance_esn(struct oxfrm_state *x, u32 seq)
{
	struct xfrm_replay_state_esn *rs = x->replay_esn;
	int wrap;

	if (!rs->replay_window)
		return;
	wrap = (int)(oxfrm_replay_seqhi(x, seq) - rs->seq_hi);
	if (wrap > 0 || (!wrap && seq > rs->seq)) {
		oxfrm_replay_forward(rs, seq, seq - rs->seq);
		if (wrap > 0)
			rs->seq_hi++;
	} else {
		oxfrm_replay_behind(rs, rs->seq - seq);
	}
}

/*
 * @seq_hi is what the recheck accepted under this hold of x->lock, so it
 * is what the window infers now; the stock kernel infers it again here,
 * and so does this.
 */
void oxfrm_replay_advance(struct oxfrm_state *x, __be32 net_seq, u32 seq_hi)
{
	u32 seq = ntohl(net_seq);

	lockdep_assert_held(&x->lock);
	DEBUG_NET_WARN_ON_ONCE(seq_hi != oxfrm_replay_seqhi(x, seq));
	if (!x->replay_esn)
		oxfrm_replay_advance_legacy(x, seq);
	else if (!(x->flags & XFRM_STATE_ESN))
		oxfrm_replay_advance_bmp(x, seq);
	else
		oxfrm_replay_advance_esn(x, seq);
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_replay_advance);

/*
 * Numbers are never reused under one key: without ESN the last one is
 * 2^32 - 1 unless the SA may wrap; with ESN, 2^64 - 1. A refusal leaves
 * the counters where they were, so every later packet is refused too.
 */
int oxfrm_replay_next(struct oxfrm_state *x, u32 *seq, u32 *seq_hi)
{
	struct xfrm_replay_state_esn *rs = x->replay_esn;
	u32 *oseq = rs ? &rs->oseq : &x->replay.oseq;

	lockdep_assert_held(&x->lock);
	if (oxfrm_replay_esn(x)) {
		if (rs->oseq == U32_MAX && rs->oseq_hi == U32_MAX)
			return -EOVERFLOW;
		if (!++rs->oseq)
			rs->oseq_hi++;
		*seq = rs->oseq;
		*seq_hi = rs->oseq_hi;
		return 0;
	}
	if (*oseq == U32_MAX &&
	    !(x->extra_flags & XFRM_SA_XFLAG_OSEQ_MAY_WRAP))
		return -EOVERFLOW;
	*seq = ++*oseq;
	*seq_hi = 0;
	return 0;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_replay_next);
