// SPDX-License-Identifier: GPL-2.0
/*
 * ESP decryption (RFC 4303 section 3.4): the ICV is verified over the
 * associated data (SPI and sequence number, the high bits inserted with
 * ESN), the IV and the ciphertext, which is decrypted in place; then the
 * padding and trailer are checked and cut, and the ESP header and IV
 * pulled, leaving the payload at skb->data.
 */

#include <crypto/aead.h>
#include <linux/scatterlist.h>
#include <net/esp.h>
#include <net/xfrm.h>
#include <oxfrm/esp.h>
#include <oxfrm/oxfrm.h>
#include <oxfrm/state.h>

/*
 * Decrypts the ESP packet at skb->data (it ends with the packet) with @x;
 * @seq_hi is what the replay check inferred (ESN). Returns 0 when done
 * (call oxfrm_esp_input_finish() next), -EINPROGRESS when @done follows,
 * or a negative errno (-EINVAL: too short to be ESP of @x).
 */
int oxfrm_esp_input(struct oxfrm_state *x, struct sk_buff *skb, u32 seq_hi,
		    oxfrm_esp_done_t done)
{
	unsigned int ivlen = crypto_aead_ivsize(x->tfm);
	unsigned int hlen = sizeof(struct ip_esp_hdr) + ivlen;
	int elen = skb->len - hlen;
	struct oxfrm_esp_req r;
	struct sk_buff *trailer;
	int assoclen, nfrags, err;

	if (elen <= 0 || !pskb_may_pull(skb, hlen))
		return -EINVAL;
	nfrags = oxfrm_esp_cow(skb, 0, &trailer);
	if (nfrags < 0)
		return nfrags;
	err = oxfrm_esp_req_alloc(x, skb, nfrags + 1, done, &r);
	if (err)
		return err;

	assoclen = oxfrm_esp_req_map(x, skb, seq_hi, &r);
	if (assoclen < 0)
		return assoclen;
	/* Decrypted in place: whatever checksum the device gave is void. */
	skb->ip_summed = CHECKSUM_NONE;
	aead_request_set_crypt(r.req, r.sg, r.sg, elen + ivlen, r.iv);
	aead_request_set_ad(r.req, assoclen);
	return oxfrm_esp_req_run(&r, false);
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_esp_input);

/*
 * After decryption (@err its result): checks and cuts the padding and
 * trailer, pulls the ESP header and IV. Returns the next header (what the
 * payload is), or a negative errno: -EBADMSG when the ICV did not verify,
 * -EINVAL for a padding length that does not fit and for a dummy packet
 * (next header 59, RFC 4303 section 2.6), dropped as the stock kernel
 * drops them.
 */
int oxfrm_esp_input_finish(struct oxfrm_state *x, struct sk_buff *skb, int err)
{
	unsigned int alen = crypto_aead_authsize(x->tfm);
	unsigned int hlen = sizeof(struct ip_esp_hdr) +
			    crypto_aead_ivsize(x->tfm);
	u8 buf[2], padlen, nexthdr;
	const u8 *tail;

	if (err)
		return err;
	if (skb->len < hlen + alen + 2)
		return -EINVAL;
	/* Where the trailer lies in the head, as it mostly does: no copy. */
	tail = skb_header_pointer(skb, skb->len - alen - 2, sizeof(buf), buf);
	if (!tail)
		return -EINVAL;
	padlen = tail[0];
	nexthdr = tail[1];
	if (padlen + 2 + alen >= skb->len - hlen)
		return -EINVAL;
	err = pskb_trim(skb, skb->len - alen - padlen - 2);
	if (err)
		return err;
	__skb_pull(skb, hlen);
	if (nexthdr == IPPROTO_NONE)
		return -EINVAL;
	return nexthdr;
}
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_esp_input_finish);
