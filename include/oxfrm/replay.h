/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Anti-replay and sequence numbers of an SA (src/state/replay.c), with the
 * semantics, counters and bitmap layout of the stock kernel's
 * net/xfrm/xfrm_replay.c, in the three modes a state can have: legacy
 * (x->replay), bmp and esn (x->replay_esn).
 *
 * An inbound number is checked twice: oxfrm_replay_check() before
 * decryption, which also infers the high half of an ESN number (the ICV
 * covers it), and oxfrm_replay_recheck() once the ICV verified, because
 * other packets may have moved the window meanwhile. oxfrm_replay_advance()
 * then records the number. oxfrm_replay_next() numbers outbound packets.
 *
 * Locking: every function is called with x->lock held, and recheck and
 * advance of one packet under the same hold of it.
 */
#ifndef _OXFRM_REPLAY_H
#define _OXFRM_REPLAY_H

#include <linux/types.h>

struct oxfrm_state;

/*
 * Before decryption: 0, or -EINVAL for a number seen or behind the window
 * (counted in x->stats). *seq_hi is set in any case: the inferred high half
 * of an ESN number, 0 without ESN.
 */
int oxfrm_replay_check(struct oxfrm_state *x, __be32 net_seq, u32 *seq_hi);

/*
 * After the ICV verified with @seq_hi: the check again, and for ESN also
 * whether @seq_hi is still what the window infers. 0 or -EINVAL.
 */
int oxfrm_replay_recheck(struct oxfrm_state *x, __be32 net_seq, u32 seq_hi);

/* Records a number that oxfrm_replay_recheck() just accepted. */
void oxfrm_replay_advance(struct oxfrm_state *x, __be32 net_seq, u32 seq_hi);

/*
 * The number of the next outbound packet, in *seq and *seq_hi (0 without
 * ESN); -EOVERFLOW once the number space is used up (the SA must rekey),
 * leaving both untouched.
 */
int oxfrm_replay_next(struct oxfrm_state *x, u32 *seq, u32 *seq_hi);

#endif /* _OXFRM_REPLAY_H */
