/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ESP (src/esp): the transform of an SA through the kernel crypto API, and
 * ESP packets (RFC 4303) for IPv4 and IPv6: decryption of what arrives,
 * encryption of what leaves. Family and mode are the callers' business
 * (src/input, src/output): here a packet starts at its ESP header.
 *
 * Crypto may complete later, in another context (AES-NI hands requests to
 * cryptd whenever the FPU is busy): the functions below then return
 * -EINPROGRESS and call @done with the packet and the result instead.
 */
#ifndef _OXFRM_ESP_H
#define _OXFRM_ESP_H

#include <linux/skbuff.h>
#include <linux/types.h>

struct aead_request;
struct netlink_ext_ack;
struct oxfrm_state;
struct scatterlist;

typedef void (*oxfrm_esp_done_t)(struct sk_buff *skb, int err);

/* state.c */
int oxfrm_esp_init_state(struct oxfrm_state *x, struct netlink_ext_ack *extack);
void oxfrm_esp_destroy_state(struct oxfrm_state *x);

/* crypto.c */
int oxfrm_esp_init(void);
void oxfrm_esp_exit(void);

/* One crypto operation on a packet (see crypto.c). */
struct oxfrm_esp_req {
	void *tmp;			/* its room, given back when done */
	struct aead_request *req;
	struct scatterlist *sg;		/* [0]: the associated data */
	u8 *iv;
	__be32 *aad;			/* room for three words */
};

int oxfrm_esp_req_alloc(struct oxfrm_state *x, struct sk_buff *skb, int nsg,
			oxfrm_esp_done_t done, struct oxfrm_esp_req *r);
int oxfrm_esp_req_map(struct oxfrm_state *x, struct sk_buff *skb, u32 seq_hi,
		      struct oxfrm_esp_req *r);
int oxfrm_esp_req_run(struct oxfrm_esp_req *r, bool encrypt);

/*
 * skb_cow_data(): the buffers of @skb made writable in place, @tailbits
 * bytes of room behind; the number of scatterlist entries they need, or
 * -errno. A private linear buffer with the room, as a small packet
 * mostly is, is that already: no call for it.
 */
static inline int oxfrm_esp_cow(struct sk_buff *skb, int tailbits,
				struct sk_buff **trailer)
{
	if (!skb_cloned(skb) && !skb_is_nonlinear(skb) &&
	    skb_tailroom(skb) >= tailbits) {
		*trailer = skb;
		return 1;
	}
	return skb_cow_data(skb, tailbits, trailer);
}

/* input.c */
int oxfrm_esp_input(struct oxfrm_state *x, struct sk_buff *skb, u32 seq_hi,
		    oxfrm_esp_done_t done);
int oxfrm_esp_input_finish(struct oxfrm_state *x, struct sk_buff *skb,
			   int err);

/* output.c */

/*
 * A packet to protect: its payload (inner packet in tunnel mode, transport
 * payload otherwise) lies at skb->data, and @hdr bytes of headroom before
 * it are the caller's (outer headers), already reserved. The ESP header,
 * IV, padding, trailer and ICV are added here.
 */
struct oxfrm_esp_out {
	u32 seq;
	u32 seq_hi;
	u8 proto;		/* next header: what the payload is */
	unsigned int tfclen;	/* TFC padding to add, zeros */
};

int oxfrm_esp_output(struct oxfrm_state *x, struct sk_buff *skb,
		     const struct oxfrm_esp_out *o, oxfrm_esp_done_t done);
unsigned int oxfrm_esp_overhead(const struct oxfrm_state *x,
				unsigned int len);

#endif /* _OXFRM_ESP_H */
