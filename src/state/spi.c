// SPDX-License-Identifier: GPL-2.0
/*
 * SPI allocation (XFRM_MSG_ALLOCSPI): a free SPI in [low, high] for a state
 * about to be linked, chosen at random as the stock kernel chooses it, but
 * never failing while the range still has a free SPI.
 */

#include <linux/random.h>
#include <oxfrm/oxfrm.h>
#include <oxfrm/state.h>

static bool oxfrm_spi_in_use(struct oxfrm_state *x, u32 spi)
{
	struct oxfrm_state *x0;

	x0 = oxfrm_state_lookup(x->sad, &x->key.daddr, htonl(spi),
				x->key.proto, x->key.family,
				x->mark.v & x->mark.m);
	if (!x0)
		return false;
	oxfrm_state_put(x0);
	return true;
}

/*
 * Probes from a random start, wrapping round the range: a free SPI is found
 * within (states already in the range + 2) probes whenever one exists (one
 * more for SPI 0, which is never handed out). On success @x carries the SPI
 * and is linked.
 */
int oxfrm_state_alloc_spi(struct oxfrm_state *x, u32 low, u32 high)
{
	struct oxfrm_sad *sad = x->sad;
	u64 range, probes, i;
	u32 spi;
	int err = -ENOENT;

	if (low > high)
		return -EINVAL;
	range = (u64)high - low + 1;

	spin_lock_bh(&sad->lock);
	probes = min_t(u64, range, (u64)sad->count + 2);
	spi = get_random_u32_inclusive(low, high);
	for (i = 0; i < probes; i++) {
		if (spi && !oxfrm_spi_in_use(x, spi)) {
			x->key.spi = htonl(spi);
			err = __oxfrm_state_insert(x);
			break;
		}
		spi = spi == high ? low : spi + 1;
	}
	spin_unlock_bh(&sad->lock);
	return err;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_state_alloc_spi);
