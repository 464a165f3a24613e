// SPDX-License-Identifier: GPL-2.0
/*
 * SPI allocation (XFRM_MSG_ALLOCSPI): an SPI in [low, high] that no state of
 * the same protocol uses, whatever its destination or mark (as on Debian's
 * 6.1), chosen at random as the stock kernel chooses it, but never failing
 * while the range still has a free SPI.
 */

#include <linux/in.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <oxfrm/oxfrm.h>
#include <oxfrm/state.h>

const struct rhashtable_params oxfrm_spi_use_params = {
	.key_len = sizeof(struct oxfrm_spi_key),
	.key_offset = offsetof(struct oxfrm_spi_use, key),
	.head_offset = offsetof(struct oxfrm_spi_use, node),
	.automatic_shrinking = true,
};

static void oxfrm_spi_key_init(struct oxfrm_spi_key *key, __be32 spi, u8 proto)
{
	memset(key, 0, sizeof(*key));
	key->spi = spi;
	key->proto = proto;
}

/* One more state uses @spi for @proto; under sad->lock. SPI 0 is none. */
int oxfrm_spi_use_get(struct oxfrm_sad *sad, __be32 spi, u8 proto)
{
	struct oxfrm_spi_use *use;
	struct oxfrm_spi_key key;
	int err;

	lockdep_assert_held(&sad->lock);
	if (!spi)
		return 0;
	oxfrm_spi_key_init(&key, spi, proto);
	use = rhashtable_lookup_fast(&sad->spi_used, &key, oxfrm_spi_use_params);
	if (use) {
		use->users++;
		return 0;
	}
	use = kzalloc(sizeof(*use), GFP_ATOMIC);
	if (!use)
		return -ENOMEM;
	use->key = key;
	use->users = 1;
	err = rhashtable_insert_fast(&sad->spi_used, &use->node,
				     oxfrm_spi_use_params);
	if (err)
		kfree(use);
	return err;
}

void oxfrm_spi_use_put(struct oxfrm_sad *sad, __be32 spi, u8 proto)
{
	struct oxfrm_spi_use *use;
	struct oxfrm_spi_key key;

	lockdep_assert_held(&sad->lock);
	if (!spi)
		return;
	oxfrm_spi_key_init(&key, spi, proto);
	use = rhashtable_lookup_fast(&sad->spi_used, &key, oxfrm_spi_use_params);
	if (WARN_ON_ONCE(!use) || --use->users)
		return;
	rhashtable_remove_fast(&sad->spi_used, &use->node, oxfrm_spi_use_params);
	kfree_rcu(use, rcu);
}

/* Whether any linked state uses @spi for @proto, whatever its destination. */
bool oxfrm_state_spi_in_use(struct oxfrm_sad *sad, __be32 spi, u8 proto)
{
	struct oxfrm_spi_key key;

	oxfrm_spi_key_init(&key, spi, proto);
	return rhashtable_lookup_fast(&sad->spi_used, &key,
				      oxfrm_spi_use_params);
}

/* The range checks of xfrm_alloc_userspi(), with the same errno. */
int oxfrm_state_verify_spi_range(u8 proto, u32 low, u32 high)
{
	switch (proto) {
	case IPPROTO_AH:
	case IPPROTO_ESP:
		break;
	case IPPROTO_COMP:
		/* IPcomp's CPI is 16 bits. */
		if (high >= 0x10000)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	return low > high ? -EINVAL : 0;
}

/*
 * Probes from a random start, wrapping round the range: a free SPI is found
 * within (states already in the range + 2) probes whenever one exists (one
 * more for SPI 0, which is never handed out). On success @x carries the SPI
 * and is linked: a larval state already linked with SPI 0 is rehashed. A
 * state that has an SPI keeps it.
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
	/* Expired or deleted meanwhile: it must not come back. */
	if (x->dead)
		goto out;
	if (x->key.spi) {
		err = 0;
		goto out;
	}
	probes = min_t(u64, range, (u64)sad->count + 2);
	spi = get_random_u32_inclusive(low, high);
	for (i = 0; i < probes; i++) {
		if (spi && !oxfrm_state_spi_in_use(sad, htonl(spi), x->key.proto)) {
			if (x->linked) {
				err = __oxfrm_state_rehash(x, htonl(spi));
			} else {
				x->key.spi = htonl(spi);
				err = __oxfrm_state_insert(x);
			}
			break;
		}
		spi = spi == high ? low : spi + 1;
	}
out:
	spin_unlock_bh(&sad->lock);
	return err;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_state_alloc_spi);
