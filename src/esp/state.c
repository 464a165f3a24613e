// SPDX-License-Identifier: GPL-2.0
/*
 * An ESP SA's transform: one crypto_aead per SA, allocated when the SA is
 * added, so that a bad key or an unusable algorithm fails NEWSA with the
 * errno and message the stock kernel gives, and the packet path never
 * allocates. AEAD algorithms are used as named (wrapped in their IV
 * generator); cipher and integrity pairs through authenc (authencesn with
 * ESN), whose key is the integrity key and the cipher key behind an
 * rtattr carrying the cipher key length.
 */

#include <crypto/aead.h>
#include <crypto/authenc.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/udp.h>
#include <net/esp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <net/xfrm.h>
#include <oxfrm/esp.h>
#include <oxfrm/oxfrm.h>
#include <oxfrm/state.h>

#define OXFRM_ESP_CRYPTO_ERR "Kernel was unable to initialize cryptographic operations"

static unsigned int oxfrm_esp_keylen(u32 bits)
{
	return (bits + 7) / 8;
}

static int oxfrm_esp_init_aead(struct oxfrm_state *x,
			       struct netlink_ext_ack *extack)
{
	char name[CRYPTO_MAX_ALG_NAME];
	struct crypto_aead *tfm;
	int err;

	if (snprintf(name, sizeof(name), "%s(%s)", x->geniv,
		     x->aead->alg_name) >= sizeof(name)) {
		NL_SET_ERR_MSG(extack, "Algorithm name is too long");
		return -ENAMETOOLONG;
	}
	tfm = crypto_alloc_aead(name, 0, 0);
	if (IS_ERR(tfm)) {
		err = PTR_ERR(tfm);
		goto fail;
	}
	x->tfm = tfm;
	err = crypto_aead_setkey(tfm, x->aead->alg_key,
				 oxfrm_esp_keylen(x->aead->alg_key_len));
	if (!err)
		err = crypto_aead_setauthsize(tfm, x->aead->alg_icv_len / 8);
	if (!err)
		return 0;
fail:
	NL_SET_ERR_MSG(extack, OXFRM_ESP_CRYPTO_ERR);
	return err;
}

/* authenc's key: an rtattr with the cipher key length, then both keys. */
static int oxfrm_esp_authenc_setkey(struct oxfrm_state *x)
{
	unsigned int alen = x->aalg ? oxfrm_esp_keylen(x->aalg->alg_key_len) : 0;
	unsigned int elen = oxfrm_esp_keylen(x->ealg->alg_key_len);
	unsigned int len = RTA_SPACE(sizeof(struct crypto_authenc_key_param)) +
			   alen + elen;
	struct crypto_authenc_key_param *param;
	struct rtattr *rta;
	u8 *key, *p;
	int err;

	key = kmalloc(len, GFP_KERNEL);
	if (!key)
		return -ENOMEM;
	rta = (struct rtattr *)key;
	rta->rta_type = CRYPTO_AUTHENC_KEYA_PARAM;
	rta->rta_len = RTA_LENGTH(sizeof(*param));
	param = RTA_DATA(rta);
	param->enckeylen = cpu_to_be32(elen);
	p = key + RTA_SPACE(sizeof(*param));
	if (alen)
		memcpy(p, x->aalg->alg_key, alen);
	memcpy(p + alen, x->ealg->alg_key, elen);
	err = crypto_aead_setkey(x->tfm, key, len);
	kfree_sensitive(key);
	return err;
}

static int oxfrm_esp_init_authenc(struct oxfrm_state *x,
				  struct netlink_ext_ack *extack)
{
	const char *esn = x->flags & XFRM_STATE_ESN ? "esn" : "";
	char name[CRYPTO_MAX_ALG_NAME];
	struct xfrm_algo_desc *desc;
	struct crypto_aead *tfm;
	int n, err;

	if (x->geniv)
		n = snprintf(name, sizeof(name), "%s(authenc%s(%s,%s))",
			     x->geniv, esn,
			     x->aalg ? x->aalg->alg_name : "digest_null",
			     x->ealg->alg_name);
	else
		n = snprintf(name, sizeof(name), "authenc%s(%s,%s)", esn,
			     x->aalg ? x->aalg->alg_name : "digest_null",
			     x->ealg->alg_name);
	if (n >= sizeof(name)) {
		NL_SET_ERR_MSG(extack, "Algorithm name is too long");
		return -ENAMETOOLONG;
	}
	tfm = crypto_alloc_aead(name, 0, 0);
	if (IS_ERR(tfm)) {
		NL_SET_ERR_MSG(extack, OXFRM_ESP_CRYPTO_ERR);
		return PTR_ERR(tfm);
	}
	x->tfm = tfm;

	if (x->aalg) {
		/* The transform's full ICV must be the algorithm's. */
		desc = xfrm_aalg_get_byname(x->aalg->alg_name, 0);
		if (!desc ||
		    desc->uinfo.auth.icv_fullbits / 8 != crypto_aead_authsize(tfm)) {
			NL_SET_ERR_MSG(extack, OXFRM_ESP_CRYPTO_ERR);
			return -EINVAL;
		}
		err = crypto_aead_setauthsize(tfm, x->aalg->alg_trunc_len / 8);
		if (err) {
			NL_SET_ERR_MSG(extack, OXFRM_ESP_CRYPTO_ERR);
			return err;
		}
	}
	return oxfrm_esp_authenc_setkey(x);
}

/*
 * Allocates and keys @x's transform and sizes what ESP adds to a packet.
 * On failure the caller frees @x, and the transform with it.
 */
int oxfrm_esp_init_state(struct oxfrm_state *x, struct netlink_ext_ack *extack)
{
	int err;

	if (x->aead) {
		err = oxfrm_esp_init_aead(x, extack);
	} else if (x->ealg) {
		err = oxfrm_esp_init_authenc(x, extack);
	} else {
		NL_SET_ERR_MSG(extack, "ESP: AEAD or CRYPT must be provided");
		err = -EINVAL;
	}
	if (err)
		return err;

	x->header_len = sizeof(struct ip_esp_hdr) + crypto_aead_ivsize(x->tfm);
	if (x->mode == XFRM_MODE_TUNNEL)
		x->header_len += x->family == AF_INET6 ? sizeof(struct ipv6hdr) :
							 sizeof(struct iphdr);
	if (x->has_encap) {
		switch (x->encap.encap_type) {
		case UDP_ENCAP_ESPINUDP:
			x->header_len += sizeof(struct udphdr);
			break;
		case UDP_ENCAP_ESPINUDP_NON_IKE:
			x->header_len += sizeof(struct udphdr) + 2 * sizeof(u32);
			break;
		default:
			NL_SET_ERR_MSG(extack,
				       "Unsupported encapsulation type for ESP");
			return -EINVAL;
		}
	}
	x->trailer_len = ALIGN(crypto_aead_blocksize(x->tfm), 4) + 1 +
			 crypto_aead_authsize(x->tfm);
	return dst_cache_init(&x->dst_cache, GFP_KERNEL);
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_esp_init_state);

void oxfrm_esp_destroy_state(struct oxfrm_state *x)
{
	if (x->tfm)
		crypto_free_aead(x->tfm);
	x->tfm = NULL;
	dst_cache_destroy(&x->dst_cache);
}
