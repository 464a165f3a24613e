// SPDX-License-Identifier: GPL-2.0
/*
 * What one ESP encryption or decryption needs beside the packet, in one
 * allocation that lives until the crypto API is done with it: the
 * associated data (with ESN), the IV, the request and the scatterlist
 * over the packet. With ESN the associated data is a copy (SPI, high
 * sequence bits, sequence number) that the scatterlist's first entry
 * points to, so the packet's ESP header never moves to make room for the
 * high bits.
 *
 * No allocation per packet: each CPU has a buffer for it, which serves
 * one operation at a time, with bottom halves off from the moment it is
 * taken until the crypto has run, so nothing else on the CPU can take it
 * meanwhile. An operation the driver completes later (cryptd, when the
 * FPU is busy) keeps its buffer until then, wherever it completes; the
 * CPU's operations meanwhile, and those of transforms whose requests do
 * not fit the buffer, are allocated, as esp4 allocates each one.
 */

#include <crypto/aead.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <net/esp.h>
#include <net/xfrm.h>
#include <oxfrm/esp.h>
#include <oxfrm/state.h>

/*
 * A CPU's buffer; busy while an operation owns it. The buffer itself is
 * kmalloc()ed: scatterlists point into it (the associated data, and the
 * drivers' own entries in their request contexts), so it must be in the
 * linear map, which per-CPU memory is not.
 */
#define OXFRM_ESP_SCRATCH	2048

struct oxfrm_esp_scratch {
	bool busy;
	void *buf;
};

static struct oxfrm_esp_scratch __percpu *oxfrm_esp_scratch;

struct oxfrm_esp_tmp {
	struct sk_buff *skb;
	oxfrm_esp_done_t done;
	struct oxfrm_esp_scratch *scratch;	/* NULL: allocated */
	__be32 aad[3];
	/* then the IV, the request and the scatterlist, each aligned */
};

/* Once no operation is left: every state, and so every packet, is gone. */
void oxfrm_esp_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		kfree(per_cpu_ptr(oxfrm_esp_scratch, cpu)->buf);
	free_percpu(oxfrm_esp_scratch);
}

int oxfrm_esp_init(void)
{
	void *buf;
	int cpu;

	oxfrm_esp_scratch = alloc_percpu(struct oxfrm_esp_scratch);
	if (!oxfrm_esp_scratch)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		buf = kmalloc_node(OXFRM_ESP_SCRATCH, GFP_KERNEL,
				   cpu_to_node(cpu));
		if (!buf) {
			oxfrm_esp_exit();
			return -ENOMEM;
		}
		per_cpu_ptr(oxfrm_esp_scratch, cpu)->buf = buf;
	}
	return 0;
}

/* Room for @len bytes: the CPU's buffer, with bottom halves off, if free. */
static struct oxfrm_esp_tmp *oxfrm_esp_tmp_get(size_t len)
{
	struct oxfrm_esp_scratch *s;
	struct oxfrm_esp_tmp *tmp;

	if (len <= OXFRM_ESP_SCRATCH) {
		local_bh_disable();
		s = this_cpu_ptr(oxfrm_esp_scratch);
		/* Pairs with the release in oxfrm_esp_tmp_put(). */
		if (!smp_load_acquire(&s->busy)) {
			WRITE_ONCE(s->busy, true);
			tmp = (struct oxfrm_esp_tmp *)s->buf;
			tmp->scratch = s;
			return tmp;
		}
		local_bh_enable();
	}
	tmp = kmalloc(len, GFP_ATOMIC);
	if (tmp)
		tmp->scratch = NULL;
	return tmp;
}

/* Gives the room back, from any CPU: the operation is over. */
static void oxfrm_esp_tmp_put(struct oxfrm_esp_tmp *tmp)
{
	if (!tmp->scratch) {
		kfree(tmp);
		return;
	}
	/* Whatever was read of @tmp was read before it is free again. */
	smp_store_release(&tmp->scratch->busy, false);
}

/* Where the operation was set up: bottom halves back on, if it was off. */
static void oxfrm_esp_tmp_leave(struct oxfrm_esp_scratch *scratch)
{
	if (scratch)
		local_bh_enable();
}

/* Both, where the operation was set up and ended at once. */
static void oxfrm_esp_tmp_done(struct oxfrm_esp_tmp *tmp)
{
	struct oxfrm_esp_scratch *scratch = tmp->scratch;

	oxfrm_esp_tmp_put(tmp);
	oxfrm_esp_tmp_leave(scratch);
}

/*
 * Room for one operation of @x's transform on @skb with @nsg scatterlist
 * entries (the associated data's included); @done is called if the crypto
 * completes later. -ENOMEM under memory pressure.
 */
int oxfrm_esp_req_alloc(struct oxfrm_state *x, struct sk_buff *skb, int nsg,
			oxfrm_esp_done_t done, struct oxfrm_esp_req *r)
{
	struct crypto_aead *tfm = x->tfm;
	unsigned int ivsize = crypto_aead_ivsize(tfm);
	struct oxfrm_esp_tmp *tmp;
	size_t len;

	len = sizeof(*tmp) + crypto_aead_alignmask(tfm) + ivsize;
	len = ALIGN(len, crypto_tfm_ctx_alignment());
	len += sizeof(struct aead_request) + crypto_aead_reqsize(tfm);
	len = ALIGN(len, __alignof__(struct scatterlist));
	len += sizeof(struct scatterlist) * nsg;

	tmp = oxfrm_esp_tmp_get(len);
	if (!tmp)
		return -ENOMEM;
	tmp->skb = skb;
	tmp->done = done;
	r->tmp = tmp;
	r->aad = tmp->aad;
	r->iv = PTR_ALIGN((u8 *)(tmp + 1), crypto_aead_alignmask(tfm) + 1);
	r->req = PTR_ALIGN((struct aead_request *)(r->iv + ivsize),
			   crypto_tfm_ctx_alignment());
	r->sg = PTR_ALIGN((struct scatterlist *)((u8 *)(r->req + 1) +
						 crypto_aead_reqsize(tfm)),
			  __alignof__(struct scatterlist));
	aead_request_set_tfm(r->req, tfm);
	sg_init_table(r->sg, nsg);
	return 0;
}

/*
 * The associated data of ESP packet @skb (ESP header at skb->data, the
 * high sequence bits @seq_hi with ESN) and the packet behind it in @r's
 * scatterlist. Without ESN the associated data is the ESP header itself,
 * so one entry can cover it and the payload, as in esp4: every entry more
 * is a step more for the cipher's walk. With ESN it is a copy in r->sg[0],
 * the packet from behind its ESP header in the entries after it. Returns
 * the associated data's length, or a negative errno (then @r is freed).
 */
int oxfrm_esp_req_map(struct oxfrm_state *x, struct sk_buff *skb, u32 seq_hi,
		      struct oxfrm_esp_req *r)
{
	struct ip_esp_hdr *esph = (struct ip_esp_hdr *)skb->data;
	int n;

	if (!(x->flags & XFRM_STATE_ESN)) {
		n = skb_to_sgvec(skb, r->sg, 0, skb->len);
		if (unlikely(n < 0))
			goto fail;
		return sizeof(*esph);
	}
	r->aad[0] = esph->spi;
	r->aad[1] = htonl(seq_hi);
	r->aad[2] = esph->seq_no;
	sg_set_buf(&r->sg[0], r->aad, 3 * sizeof(__be32));
	n = skb_to_sgvec(skb, &r->sg[1], sizeof(*esph),
			 skb->len - sizeof(*esph));
	if (unlikely(n < 0))
		goto fail;
	return 3 * sizeof(__be32);
fail:
	oxfrm_esp_tmp_done(r->tmp);
	return n;
}

/*
 * A request that went to a queue (cryptd) ends here, in whatever context
 * the driver completes it.
 */
static void oxfrm_esp_req_complete(void *data, int err)
{
	struct oxfrm_esp_tmp *tmp = data;
	struct sk_buff *skb = tmp->skb;
	oxfrm_esp_done_t done = tmp->done;

	oxfrm_esp_tmp_put(tmp);
	done(skb, err);
}

/* 6.3 passes a completion its data rather than the request. */
#ifdef OXFRM_HAVE_CRYPTO_VOID_CB
#define oxfrm_esp_req_done oxfrm_esp_req_complete
#else
static void oxfrm_esp_req_done(struct crypto_async_request *base, int err)
{
	oxfrm_esp_req_complete(base->data, err);
}
#endif

/*
 * Runs the request set up in @r. Returns -EINPROGRESS when the crypto
 * completes later (then @done gets the result), else the result, with the
 * allocation freed.
 */
int oxfrm_esp_req_run(struct oxfrm_esp_req *r, bool encrypt)
{
	struct oxfrm_esp_tmp *tmp = r->tmp;
	struct oxfrm_esp_scratch *scratch = tmp->scratch;
	int err;

	/*
	 * No backlog: a full queue (cryptd's, when the FPU is busy) drops
	 * the packet (-ENOSPC, -EBUSY), as esp4 does. A backlog would grow
	 * without bound under a flood the ICV has not yet judged.
	 */
	aead_request_set_callback(r->req, 0, oxfrm_esp_req_done, tmp);
	err = encrypt ? crypto_aead_encrypt(r->req) :
			crypto_aead_decrypt(r->req);
	if (err == -EINPROGRESS) {
		/* @tmp is the completion's now, maybe already given back. */
		oxfrm_esp_tmp_leave(scratch);
		return err;
	}
	oxfrm_esp_tmp_done(tmp);
	return err;
}
