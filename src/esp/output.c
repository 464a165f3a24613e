// SPDX-License-Identifier: GPL-2.0
/*
 * ESP encryption (RFC 4303 section 3.3): the payload at skb->data gets an
 * ESP header and IV in front, TFC padding, padding (1, 2, 3, ...), the
 * padding length and next header behind, and room for the ICV; then it is
 * encrypted in place. The IV comes from the transform's IV generator
 * (seqiv, echainiv), fed with the 64-bit sequence number as the stock
 * kernel feeds it: unique per packet under one key, since the sequence
 * number never repeats (no wrap without ESN, see replay.c).
 */

#include <crypto/aead.h>
#include <linux/scatterlist.h>
#include <net/esp.h>
#include <net/xfrm.h>
#include <oxfrm/esp.h>
#include <oxfrm/oxfrm.h>
#include <oxfrm/state.h>

static unsigned int oxfrm_esp_blksize(const struct oxfrm_state *x)
{
	return ALIGN(crypto_aead_blocksize(x->tfm), 4);
}

/* What ESP adds to a payload of @len bytes, without TFC padding. */
unsigned int oxfrm_esp_overhead(const struct oxfrm_state *x, unsigned int len)
{
	return sizeof(struct ip_esp_hdr) + crypto_aead_ivsize(x->tfm) +
	       ALIGN(len + 2, oxfrm_esp_blksize(x)) - len +
	       crypto_aead_authsize(x->tfm);
}

/* The padding, its length and the next header: @plen bytes in all. */
static void oxfrm_esp_fill_trailer(u8 *tail, unsigned int tfclen,
				   unsigned int plen, u8 proto)
{
	unsigned int i;

	memset(tail, 0, tfclen);
	tail += tfclen;
	for (i = 0; i < plen - 2; i++)
		tail[i] = i + 1;
	tail[plen - 2] = plen - 2;
	tail[plen - 1] = proto;
}

/*
 * Protects the payload at skb->data with @x as @o says; the caller left
 * headroom for the ESP header and IV (and its own headers). Returns 0 with
 * skb->data at the ESP header, -EINPROGRESS when @done follows, or a
 * negative errno.
 */
int oxfrm_esp_output(struct oxfrm_state *x, struct sk_buff *skb,
		     const struct oxfrm_esp_out *o, oxfrm_esp_done_t done)
{
	unsigned int ivlen = crypto_aead_ivsize(x->tfm);
	unsigned int alen = crypto_aead_authsize(x->tfm);
	unsigned int clen, plen, seqlen;
	struct oxfrm_esp_req r;
	struct ip_esp_hdr *esph;
	struct sk_buff *trailer;
	int assoclen, nfrags, err;
	__be64 seqno;

	clen = ALIGN(skb->len + 2 + o->tfclen, oxfrm_esp_blksize(x));
	plen = clen - skb->len - o->tfclen;
	nfrags = oxfrm_esp_cow(skb, o->tfclen + plen + alen, &trailer);
	if (nfrags < 0)
		return nfrags;
	oxfrm_esp_fill_trailer(pskb_put(skb, trailer,
					o->tfclen + plen + alen),
			       o->tfclen, plen, o->proto);

	esph = skb_push(skb, sizeof(*esph) + ivlen);
	esph->spi = x->key.spi;
	esph->seq_no = htonl(o->seq);

	err = oxfrm_esp_req_alloc(x, skb, nfrags + 1, done, &r);
	if (err)
		return err;
	assoclen = oxfrm_esp_req_map(x, skb, o->seq_hi, &r);
	if (assoclen < 0)
		return assoclen;

	/* The IV generator's input: the sequence number, right-aligned. */
	seqno = cpu_to_be64(((u64)o->seq_hi << 32) | o->seq);
	seqlen = min_t(unsigned int, ivlen, sizeof(seqno));
	memset(r.iv, 0, ivlen);
	memcpy(r.iv + ivlen - seqlen, (u8 *)&seqno + sizeof(seqno) - seqlen,
	       seqlen);
	aead_request_set_crypt(r.req, r.sg, r.sg, ivlen + clen, r.iv);
	aead_request_set_ad(r.req, assoclen);
	return oxfrm_esp_req_run(&r, true);
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_esp_output);
