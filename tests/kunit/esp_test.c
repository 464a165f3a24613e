// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: ESP packets (src/esp) against published known answers, in both
 * directions, and round trips over payload lengths for each family of
 * algorithms (AES-GCM, ChaCha20-Poly1305, AES-CBC with HMAC-SHA-256).
 *
 * The vectors are the AES-GCM-ESP test cases of draft-mcgrew-gcm-test-01,
 * Section 4 (unnumbered there; cited by the page they are on), and the ESP
 * example of RFC 7634, Appendix A. Each gives a key, the SPI, the sequence
 * number (4 octets, or 8 with an extended sequence number), the plaintext
 * (payload, padding 1, 2, 3, ..., pad length, next header) and the ESP
 * packet (SPI, low sequence number, IV, ciphertext, ICV). The key of
 * rfc4106 and rfc7539esp is the cipher key followed by the 4-octet salt:
 * below, the published key, then the first four octets of the published
 * nonce (RFC 7634 publishes key and salt as one 36-octet KEYMAT).
 *
 * Decryption: the published packet must give the published plaintext,
 * trailer included, then the payload and next header; one flipped bit
 * anywhere (SPI, sequence number, IV, ciphertext, ICV) must give -EBADMSG.
 *
 * Encryption: the packet IV is the IV generator's, seqiv's 64-bit sequence
 * number XORed with a random salt of the transform, so oxfrm's packet
 * cannot equal the published one as it stands. It is checked twice. With
 * the random salt: SPI and sequence number, length, the IV against the
 * salt, and ciphertext and ICV against a separate transform (rfc4106 or
 * rfc7539esp, no IV generator) given the IV oxfrm chose and the published
 * plaintext. Then with the seqiv salt set to the published IV XOR the
 * sequence number, so that the IV is the published one: the whole packet
 * must equal the published packet, octet for octet. A transform without
 * IV generator in the state instead would not exercise oxfrm_esp_output()
 * at all: rfc4106 and rfc7539esp take the IV as the last eight octets of
 * the associated data, and refuse oxfrm's requests (which are, as the
 * stock kernel's, for a generator: associated data of 8 or 12 octets).
 *
 * One published packet (page 17, first case) has an empty payload. It
 * decrypts and verifies, and oxfrm_esp_input_finish() then refuses it
 * with -EINVAL, as esp_remove_trailer() of the stock esp4 and esp6 does
 * (padding, pad length, next header and ICV must leave at least one octet
 * of payload): the test holds oxfrm to the stock kernel's rule there, in
 * the round trips too.
 *
 * One published packet also takes oxfrm_input()'s whole way with the FPU
 * held, so that AES-NI hands it to cryptd and the rest of the way runs in
 * cryptd's worker: see oxfrm_et_kat_cryptd().
 */

#include <crypto/aead.h>
#include <crypto/internal/geniv.h>
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/crypto.h>
#include <linux/delay.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/scatterlist.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/ip.h>
#include <net/xfrm.h>
#include <oxfrm/esp.h>
#include <oxfrm/input.h>
#include <oxfrm/mib.h>
#include <oxfrm/output.h>
#include <oxfrm/state.h>
#ifdef CONFIG_X86
#include <asm/fpu/api.h>
#endif

/* Every transform here has a 128-bit ICV. */
#define OXFRM_ET_ICV	16
/* ESP header: SPI and (low) sequence number. */
#define OXFRM_ET_HDR	8

enum oxfrm_et_family {
	OXFRM_ET_GCM,
	OXFRM_ET_CHACHA,
	OXFRM_ET_CBC,
};

/* What the tests expect of a family, independently of oxfrm. */
struct oxfrm_et_alg {
	const char *aead;	/* the AEAD; NULL: cbc(aes) and hmac(sha256) */
	const char *geniv;
	unsigned int keylen;	/* key material: see oxfrm_et_state() */
	unsigned int ivlen;
	unsigned int blksize;	/* the ciphertext is a multiple of this */
};

static const struct oxfrm_et_alg oxfrm_et_algs[] = {
	[OXFRM_ET_GCM] = { "rfc4106(gcm(aes))", "seqiv", 20, 8, 4 },
	[OXFRM_ET_CHACHA] = { "rfc7539esp(chacha20,poly1305)", "seqiv", 36, 8, 4 },
	[OXFRM_ET_CBC] = { NULL, "echainiv", 48, 16, 16 },
};

/* A published vector: see the top of the file. */
struct oxfrm_et_vec {
	const char *name;
	enum oxfrm_et_family fam;
	const u8 *key;		/* cipher key, then the salt */
	unsigned int keylen;
	const u8 *pt;		/* payload, padding, pad length, next header */
	unsigned int ptlen;
	const u8 *pkt;		/* as published: @outer octets of IPv4, then ESP */
	unsigned int pktlen;
	unsigned int outer;
	bool esn;
	u32 seq_hi;		/* the high half of an extended sequence number */
	u8 mode;
};

/*
 * draft-mcgrew-gcm-test-01, Section 4, page 7: AES-128, extended
 * sequence number 0x8765432100000000 (low half 0), 68 octets of payload.
 */
static const u8 oxfrm_et_p7_key[] = {
	0x4c, 0x80, 0xcd, 0xef, 0xbb, 0x5d, 0x10, 0xda, 0x90, 0x6a, 0xc7, 0x3c,
	0x36, 0x13, 0xa6, 0x34, 0x2e, 0x44, 0x3b, 0x68,
};

static const u8 oxfrm_et_p7_pt[] = {
	0x45, 0x00, 0x00, 0x48, 0x69, 0x9a, 0x00, 0x00, 0x80, 0x11, 0x4d, 0xb7,
	0xc0, 0xa8, 0x01, 0x02, 0xc0, 0xa8, 0x01, 0x01, 0x0a, 0x9b, 0xf1, 0x56,
	0x38, 0xd3, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x04, 0x5f, 0x73, 0x69, 0x70, 0x04, 0x5f, 0x75, 0x64, 0x70, 0x03, 0x73,
	0x69, 0x70, 0x09, 0x63, 0x79, 0x62, 0x65, 0x72, 0x63, 0x69, 0x74, 0x79,
	0x02, 0x64, 0x6b, 0x00, 0x00, 0x21, 0x00, 0x01, 0x01, 0x02, 0x02, 0x01,
};

static const u8 oxfrm_et_p7_pkt[] = {
	0x00, 0x00, 0x43, 0x21, 0x00, 0x00, 0x00, 0x00, 0x49, 0x56, 0xed, 0x7e,
	0x3b, 0x24, 0x4c, 0xfe, 0xfe, 0xcf, 0x53, 0x7e, 0x72, 0x9d, 0x5b, 0x07,
	0xdc, 0x30, 0xdf, 0x52, 0x8d, 0xd2, 0x2b, 0x76, 0x8d, 0x1b, 0x98, 0x73,
	0x66, 0x96, 0xa6, 0xfd, 0x34, 0x85, 0x09, 0xfa, 0x13, 0xce, 0xac, 0x34,
	0xcf, 0xa2, 0x43, 0x6f, 0x14, 0xa3, 0xf3, 0xcf, 0x65, 0x92, 0x5b, 0xf1,
	0xf4, 0xa1, 0x3c, 0x5d, 0x15, 0xb2, 0x1e, 0x18, 0x84, 0xf5, 0xff, 0x62,
	0x47, 0xae, 0xab, 0xb7, 0x86, 0xb9, 0x3b, 0xce, 0x61, 0xbc, 0x17, 0xd7,
	0x68, 0xfd, 0x97, 0x32, 0x45, 0x90, 0x18, 0x14, 0x8f, 0x6c, 0xbe, 0x72,
	0x2f, 0xd0, 0x47, 0x96, 0x56, 0x2d, 0xfd, 0xb4,
};

/*
 * draft-mcgrew-gcm-test-01, Section 4, page 8: AES-128, sequence
 * number 0x0000000a, 62 octets of payload, no padding.
 */
static const u8 oxfrm_et_p8_key[] = {
	0xfe, 0xff, 0xe9, 0x92, 0x86, 0x65, 0x73, 0x1c, 0x6d, 0x6a, 0x8f, 0x94,
	0x67, 0x30, 0x83, 0x08, 0xca, 0xfe, 0xba, 0xbe,
};

static const u8 oxfrm_et_p8_pt[] = {
	0x45, 0x00, 0x00, 0x3e, 0x69, 0x8f, 0x00, 0x00, 0x80, 0x11, 0x4d, 0xcc,
	0xc0, 0xa8, 0x01, 0x02, 0xc0, 0xa8, 0x01, 0x01, 0x0a, 0x98, 0x00, 0x35,
	0x00, 0x2a, 0x23, 0x43, 0xb2, 0xd0, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x03, 0x73, 0x69, 0x70, 0x09, 0x63, 0x79, 0x62,
	0x65, 0x72, 0x63, 0x69, 0x74, 0x79, 0x02, 0x64, 0x6b, 0x00, 0x00, 0x01,
	0x00, 0x01, 0x00, 0x01,
};

static const u8 oxfrm_et_p8_pkt[] = {
	0x00, 0x00, 0xa5, 0xf8, 0x00, 0x00, 0x00, 0x0a, 0xfa, 0xce, 0xdb, 0xad,
	0xde, 0xca, 0xf8, 0x88, 0xde, 0xb2, 0x2c, 0xd9, 0xb0, 0x7c, 0x72, 0xc1,
	0x6e, 0x3a, 0x65, 0xbe, 0xeb, 0x8d, 0xf3, 0x04, 0xa5, 0xa5, 0x89, 0x7d,
	0x33, 0xae, 0x53, 0x0f, 0x1b, 0xa7, 0x6d, 0x5d, 0x11, 0x4d, 0x2a, 0x5c,
	0x3d, 0xe8, 0x18, 0x27, 0xc1, 0x0e, 0x9a, 0x4f, 0x51, 0x33, 0x0d, 0x0e,
	0xec, 0x41, 0x66, 0x42, 0xcf, 0xbb, 0x85, 0xa5, 0xb4, 0x7e, 0x48, 0xa4,
	0xec, 0x3b, 0x9b, 0xa9, 0x5d, 0x91, 0x8b, 0xd1, 0x83, 0xb7, 0x0d, 0x3a,
	0xa8, 0xbc, 0x6e, 0xe4, 0xc3, 0x09, 0xe9, 0xd8, 0x5a, 0x41, 0xad, 0x4a,
};

/*
 * draft-mcgrew-gcm-test-01, Section 4, page 9: AES-256, sequence
 * number 2, 48 octets of payload.
 */
static const u8 oxfrm_et_p9_key[] = {
	0xab, 0xbc, 0xcd, 0xde, 0xf0, 0x01, 0x12, 0x23, 0x34, 0x45, 0x56, 0x67,
	0x78, 0x89, 0x9a, 0xab, 0xab, 0xbc, 0xcd, 0xde, 0xf0, 0x01, 0x12, 0x23,
	0x34, 0x45, 0x56, 0x67, 0x78, 0x89, 0x9a, 0xab, 0x11, 0x22, 0x33, 0x44,
};

static const u8 oxfrm_et_p9_pt[] = {
	0x45, 0x00, 0x00, 0x30, 0x69, 0xa6, 0x40, 0x00, 0x80, 0x06, 0x26, 0x90,
	0xc0, 0xa8, 0x01, 0x02, 0x93, 0x89, 0x15, 0x5e, 0x0a, 0x9e, 0x00, 0x8b,
	0x2d, 0xc5, 0x7e, 0xe0, 0x00, 0x00, 0x00, 0x00, 0x70, 0x02, 0x40, 0x00,
	0x20, 0xbf, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x01, 0x01, 0x04, 0x02,
	0x01, 0x02, 0x02, 0x01,
};

static const u8 oxfrm_et_p9_pkt[] = {
	0x4a, 0x2c, 0xbf, 0xe3, 0x00, 0x00, 0x00, 0x02, 0x01, 0x02, 0x03, 0x04,
	0x05, 0x06, 0x07, 0x08, 0xff, 0x42, 0x5c, 0x9b, 0x72, 0x45, 0x99, 0xdf,
	0x7a, 0x3b, 0xcd, 0x51, 0x01, 0x94, 0xe0, 0x0d, 0x6a, 0x78, 0x10, 0x7f,
	0x1b, 0x0b, 0x1c, 0xbf, 0x06, 0xef, 0xae, 0x9d, 0x65, 0xa5, 0xd7, 0x63,
	0x74, 0x8a, 0x63, 0x79, 0x85, 0x77, 0x1d, 0x34, 0x7f, 0x05, 0x45, 0x65,
	0x9f, 0x14, 0xe9, 0x9d, 0xef, 0x84, 0x2d, 0x8e, 0xb3, 0x35, 0xf4, 0xee,
	0xcf, 0xdb, 0xf8, 0x31, 0x82, 0x4b, 0x4c, 0x49, 0x15, 0x95, 0x6c, 0x96,
};

/*
 * draft-mcgrew-gcm-test-01, Section 4, page 10: AES-128 with key,
 * salt and IV all zero, SPI 0, sequence number 1, 60 octets of payload.
 */
static const u8 oxfrm_et_p10_key[] = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static const u8 oxfrm_et_p10_pt[] = {
	0x45, 0x00, 0x00, 0x3c, 0x99, 0xc5, 0x00, 0x00, 0x80, 0x01, 0xcb, 0x7a,
	0x40, 0x67, 0x93, 0x18, 0x01, 0x01, 0x01, 0x01, 0x08, 0x00, 0x07, 0x5c,
	0x02, 0x00, 0x44, 0x00, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0x73, 0x74,
	0x75, 0x76, 0x77, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
	0x01, 0x02, 0x02, 0x01,
};

static const u8 oxfrm_et_p10_pkt[] = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x46, 0x88, 0xda, 0xf2, 0xf9, 0x73, 0xa3, 0x92,
	0x73, 0x29, 0x09, 0xc3, 0x31, 0xd5, 0x6d, 0x60, 0xf6, 0x94, 0xab, 0xaa,
	0x41, 0x4b, 0x5e, 0x7f, 0xf5, 0xfd, 0xcd, 0xff, 0xf5, 0xe9, 0xa2, 0x84,
	0x45, 0x64, 0x76, 0x49, 0x27, 0x19, 0xff, 0xb6, 0x4d, 0xe7, 0xd9, 0xdc,
	0xa1, 0xe1, 0xd8, 0x94, 0xbc, 0x3b, 0xd5, 0x78, 0x73, 0xed, 0x4d, 0x18,
	0x1d, 0x19, 0xd4, 0xd5, 0xc8, 0xc1, 0x8a, 0xf3, 0xf8, 0x21, 0xd4, 0x96,
	0xee, 0xb0, 0x96, 0xe9, 0x8a, 0xd2, 0xb6, 0x9e, 0x47, 0x99, 0xc7, 0x1d,
};

/*
 * draft-mcgrew-gcm-test-01, Section 4, page 12, second case:
 * AES-192, sequence number 0x0000000a, 38 octets of payload, no padding.
 */
static const u8 oxfrm_et_p12b_key[] = {
	0xfe, 0xff, 0xe9, 0x92, 0x86, 0x65, 0x73, 0x1c, 0x6d, 0x6a, 0x8f, 0x94,
	0x67, 0x30, 0x83, 0x08, 0xfe, 0xff, 0xe9, 0x92, 0x86, 0x65, 0x73, 0x1c,
	0xca, 0xfe, 0xba, 0xbe,
};

static const u8 oxfrm_et_p12b_pt[] = {
	0x45, 0x00, 0x00, 0x28, 0xa4, 0xad, 0x40, 0x00, 0x40, 0x06, 0x78, 0x80,
	0x0a, 0x01, 0x03, 0x8f, 0x0a, 0x01, 0x06, 0x12, 0x80, 0x23, 0x06, 0xb8,
	0xcb, 0x71, 0x26, 0x02, 0xdd, 0x6b, 0xb0, 0x3e, 0x50, 0x10, 0x16, 0xd0,
	0x75, 0x68, 0x00, 0x01,
};

static const u8 oxfrm_et_p12b_pkt[] = {
	0x00, 0x00, 0xa5, 0xf8, 0x00, 0x00, 0x00, 0x0a, 0xfa, 0xce, 0xdb, 0xad,
	0xde, 0xca, 0xf8, 0x88, 0xa5, 0xb1, 0xf8, 0x06, 0x60, 0x29, 0xae, 0xa4,
	0x0e, 0x59, 0x8b, 0x81, 0x22, 0xde, 0x02, 0x42, 0x09, 0x38, 0xb3, 0xab,
	0x33, 0xf8, 0x28, 0xe6, 0x87, 0xb8, 0x85, 0x8b, 0x5b, 0xfb, 0xdb, 0xd0,
	0x31, 0x5b, 0x27, 0x45, 0x21, 0x44, 0xcc, 0x77, 0x95, 0x45, 0x7b, 0x96,
	0x52, 0x03, 0x7f, 0x53, 0x18, 0x02, 0x7b, 0x5b, 0x4c, 0xd7, 0xa6, 0x36,
};

/*
 * draft-mcgrew-gcm-test-01, Section 4, page 13: AES-128, extended
 * sequence number 1, 73 octets of payload (odd), one octet of padding.
 */
static const u8 oxfrm_et_p13_key[] = {
	0xab, 0xbc, 0xcd, 0xde, 0xf0, 0x01, 0x12, 0x23, 0x34, 0x45, 0x56, 0x67,
	0x78, 0x89, 0x9a, 0xab, 0xde, 0xca, 0xf8, 0x88,
};

static const u8 oxfrm_et_p13_pt[] = {
	0x45, 0x00, 0x00, 0x49, 0x33, 0xba, 0x00, 0x00, 0x7f, 0x11, 0x91, 0x06,
	0xc3, 0xfb, 0x1d, 0x10, 0xc2, 0xb1, 0xd3, 0x26, 0xc0, 0x28, 0x31, 0xce,
	0x00, 0x35, 0xdd, 0x7b, 0x80, 0x03, 0x02, 0xd5, 0x00, 0x00, 0x4e, 0x20,
	0x00, 0x1e, 0x8c, 0x18, 0xd7, 0x5b, 0x81, 0xdc, 0x91, 0xba, 0xa0, 0x47,
	0x6b, 0x91, 0xb9, 0x24, 0xb2, 0x80, 0x38, 0x9d, 0x92, 0xc9, 0x63, 0xba,
	0xc0, 0x46, 0xec, 0x95, 0x9b, 0x62, 0x66, 0xc0, 0x47, 0x22, 0xb1, 0x49,
	0x23, 0x01, 0x01, 0x01,
};

static const u8 oxfrm_et_p13_pkt[] = {
	0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0xca, 0xfe, 0xde, 0xba,
	0xce, 0xfa, 0xce, 0x74, 0x18, 0xa6, 0xfd, 0x42, 0xf7, 0x2c, 0xbf, 0x4a,
	0xb2, 0xa2, 0xea, 0x90, 0x1f, 0x73, 0xd8, 0x14, 0xe3, 0xe7, 0xf2, 0x43,
	0xd9, 0x54, 0x12, 0xe1, 0xc3, 0x49, 0xc1, 0xd2, 0xfb, 0xec, 0x16, 0x8f,
	0x91, 0x90, 0xfe, 0xeb, 0xaf, 0x2c, 0xb0, 0x19, 0x84, 0xe6, 0x58, 0x63,
	0x96, 0x5d, 0x74, 0x72, 0xb7, 0x9d, 0xa3, 0x45, 0xe0, 0xe7, 0x80, 0x19,
	0x1f, 0x0d, 0x2f, 0x0e, 0x0f, 0x49, 0x6c, 0x22, 0x6f, 0x21, 0x27, 0xb2,
	0x7d, 0xb3, 0x57, 0x24, 0xe7, 0x84, 0x5d, 0x68, 0x65, 0x1f, 0x57, 0xe6,
	0x5f, 0x35, 0x4f, 0x75, 0xff, 0x17, 0x01, 0x57, 0x69, 0x62, 0x34, 0x36,
};

/*
 * draft-mcgrew-gcm-test-01, Section 4, page 14: AES-256, extended
 * sequence number 0x156f3126dd0db99b, 38 octets of payload.
 */
static const u8 oxfrm_et_p14_key[] = {
	0xab, 0xbc, 0xcd, 0xde, 0xf0, 0x01, 0x12, 0x23, 0x34, 0x45, 0x56, 0x67,
	0x78, 0x89, 0x9a, 0xab, 0xab, 0xbc, 0xcd, 0xde, 0xf0, 0x01, 0x12, 0x23,
	0x34, 0x45, 0x56, 0x67, 0x78, 0x89, 0x9a, 0xab, 0x73, 0x61, 0x6c, 0x74,
};

static const u8 oxfrm_et_p14_pt[] = {
	0x45, 0x08, 0x00, 0x28, 0x73, 0x2c, 0x00, 0x00, 0x40, 0x06, 0xe9, 0xf9,
	0x0a, 0x01, 0x06, 0x12, 0x0a, 0x01, 0x03, 0x8f, 0x06, 0xb8, 0x80, 0x23,
	0xdd, 0x6b, 0xaf, 0xbe, 0xcb, 0x71, 0x26, 0x02, 0x50, 0x10, 0x1f, 0x64,
	0x6d, 0x54, 0x00, 0x01,
};

static const u8 oxfrm_et_p14_pkt[] = {
	0x17, 0x40, 0x5e, 0x67, 0xdd, 0x0d, 0xb9, 0x9b, 0x61, 0x6e, 0x64, 0x01,
	0x69, 0x76, 0x65, 0x63, 0xf2, 0xd6, 0x9e, 0xcd, 0xbd, 0x5a, 0x0d, 0x5b,
	0x8d, 0x5e, 0xf3, 0x8b, 0xad, 0x4d, 0xa5, 0x8d, 0x1f, 0x27, 0x8f, 0xde,
	0x98, 0xef, 0x67, 0x54, 0x9d, 0x52, 0x4a, 0x30, 0x18, 0xd9, 0xa5, 0x7f,
	0xf4, 0xd3, 0xa3, 0x1c, 0xe6, 0x73, 0x11, 0x9e, 0x45, 0x16, 0x26, 0xc2,
	0x41, 0x57, 0x71, 0xe3, 0xb7, 0xee, 0xbc, 0xa6, 0x14, 0xc8, 0x9b, 0x35,
};

/*
 * draft-mcgrew-gcm-test-01, Section 4, page 17, first case:
 * AES-128, sequence number 0xffffffff, no payload at all (see the top).
 */
static const u8 oxfrm_et_p17a_key[] = {
	0x7d, 0x77, 0x3d, 0x00, 0xc1, 0x44, 0xc5, 0x25, 0xac, 0x61, 0x9d, 0x18,
	0xc8, 0x4a, 0x3f, 0x47, 0xd9, 0x66, 0x42, 0x67,
};

static const u8 oxfrm_et_p17a_pt[] = {
	0x01, 0x02, 0x02, 0x01,
};

static const u8 oxfrm_et_p17a_pkt[] = {
	0x33, 0x54, 0x67, 0xae, 0xff, 0xff, 0xff, 0xff, 0x43, 0x45, 0x7e, 0x91,
	0x82, 0x44, 0x3b, 0xc6, 0x43, 0x7f, 0x86, 0x6b, 0xcb, 0x3f, 0x69, 0x9f,
	0xe9, 0xb0, 0x82, 0x2b, 0xac, 0x96, 0x1c, 0x45, 0x04, 0xbe, 0xf2, 0x70,
};

/*
 * draft-mcgrew-gcm-test-01, Section 4, page 17, second case:
 * AES-128, extended sequence number 1, 18 octets of payload.
 */
static const u8 oxfrm_et_p17b_key[] = {
	0xab, 0xbc, 0xcd, 0xde, 0xf0, 0x01, 0x12, 0x23, 0x34, 0x45, 0x56, 0x67,
	0x78, 0x89, 0x9a, 0xab, 0xde, 0xca, 0xf8, 0x88,
};

static const u8 oxfrm_et_p17b_pt[] = {
	0x74, 0x6f, 0x01, 0x62, 0x65, 0x01, 0x6f, 0x72, 0x01, 0x6e, 0x6f, 0x74,
	0x01, 0x74, 0x6f, 0x01, 0x62, 0x65, 0x00, 0x01,
};

static const u8 oxfrm_et_p17b_pkt[] = {
	0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0xca, 0xfe, 0xde, 0xba,
	0xce, 0xfa, 0xce, 0x74, 0x29, 0xc9, 0xfc, 0x69, 0xa1, 0x97, 0xd0, 0x38,
	0xcc, 0xdd, 0x14, 0xe2, 0xdd, 0xfc, 0xaa, 0x05, 0x43, 0x33, 0x21, 0x64,
	0x41, 0x25, 0x03, 0x52, 0x43, 0x03, 0xed, 0x3c, 0x6c, 0x5f, 0x28, 0x38,
	0x43, 0xaf, 0x8c, 0x3e,
};

/*
 * draft-mcgrew-gcm-test-01, Section 4, page 18: AES-256, extended
 * sequence number 0xffffffffffffffff, 48 octets of payload.
 */
static const u8 oxfrm_et_p18_key[] = {
	0x6c, 0x65, 0x67, 0x61, 0x6c, 0x69, 0x7a, 0x65, 0x6d, 0x61, 0x72, 0x69,
	0x6a, 0x75, 0x61, 0x6e, 0x61, 0x61, 0x6e, 0x64, 0x64, 0x6f, 0x69, 0x74,
	0x62, 0x65, 0x66, 0x6f, 0x72, 0x65, 0x69, 0x61, 0x74, 0x75, 0x72, 0x6e,
};

static const u8 oxfrm_et_p18_pt[] = {
	0x45, 0x00, 0x00, 0x30, 0xda, 0x3a, 0x00, 0x00, 0x80, 0x01, 0xdf, 0x3b,
	0xc0, 0xa8, 0x00, 0x05, 0xc0, 0xa8, 0x00, 0x01, 0x08, 0x00, 0xc6, 0xcd,
	0x02, 0x00, 0x07, 0x00, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0x73, 0x74,
	0x01, 0x02, 0x02, 0x01,
};

static const u8 oxfrm_et_p18_pkt[] = {
	0x79, 0x6b, 0x69, 0x63, 0xff, 0xff, 0xff, 0xff, 0x33, 0x30, 0x21, 0x69,
	0x67, 0x65, 0x74, 0x6d, 0xf9, 0x7a, 0xb2, 0xaa, 0x35, 0x6d, 0x8e, 0xdc,
	0xe1, 0x76, 0x44, 0xac, 0x8c, 0x78, 0xe2, 0x5d, 0xd2, 0x4d, 0xed, 0xbb,
	0x29, 0xeb, 0xf1, 0xb6, 0x4a, 0x27, 0x4b, 0x39, 0xb4, 0x9c, 0x3a, 0x86,
	0x4c, 0xd3, 0xd7, 0x8c, 0xa4, 0xae, 0x68, 0xa3, 0x2b, 0x42, 0x45, 0x8f,
	0xb5, 0x7d, 0xbe, 0x82, 0x1d, 0xcc, 0x63, 0xb9, 0xd0, 0x93, 0x7b, 0xa2,
	0x94, 0x5f, 0x66, 0x93, 0x68, 0x66, 0x1a, 0x32, 0x9f, 0xb4, 0xc0, 0x53,
};

/*
 * draft-mcgrew-gcm-test-01, Section 4, page 21: AES-128, extended
 * sequence number 0x8765432100000007, an ICMP message of 28 octets.
 */
static const u8 oxfrm_et_p21_key[] = {
	0x4c, 0x80, 0xcd, 0xef, 0xbb, 0x5d, 0x10, 0xda, 0x90, 0x6a, 0xc7, 0x3c,
	0x36, 0x13, 0xa6, 0x34, 0x22, 0x43, 0x3c, 0x64,
};

static const u8 oxfrm_et_p21_pt[] = {
	0x08, 0x00, 0xc6, 0xcd, 0x02, 0x00, 0x07, 0x00, 0x61, 0x62, 0x63, 0x64,
	0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72, 0x73, 0x74, 0x01, 0x02, 0x02, 0x01,
};

static const u8 oxfrm_et_p21_pkt[] = {
	0x00, 0x00, 0x43, 0x21, 0x00, 0x00, 0x00, 0x07, 0x48, 0x55, 0xec, 0x7d,
	0x3a, 0x23, 0x4b, 0xfd, 0x74, 0x75, 0x2e, 0x8a, 0xeb, 0x5d, 0x87, 0x3c,
	0xd7, 0xc0, 0xf4, 0xac, 0xc3, 0x6c, 0x4b, 0xff, 0x84, 0xb7, 0xd7, 0xb9,
	0x8f, 0x0c, 0xa8, 0xb6, 0xac, 0xda, 0x68, 0x94, 0xbc, 0x61, 0x90, 0x69,
	0xef, 0x9c, 0xbc, 0x28, 0xfe, 0x1b, 0x56, 0xa7, 0xc4, 0xe0, 0xd5, 0x8c,
	0x86, 0xcd, 0x2b, 0xc0,
};

/*
 * RFC 7634, Appendix A (ESP Example): ChaCha20-Poly1305, tunnel mode, SPI
 * 0x01020304, sequence number 5, no ESN; the payload is an IPv4 ICMP packet
 * of 84 octets (next header 4). The published packet starts with its outer
 * IPv4 header (20 octets), stripped for ESP. Octets as in the appendix of
 * draft-ietf-ipsecme-chacha20-poly1305-12, published as RFC 7634.
 */
static const u8 oxfrm_et_rfc7634_key[] = {
	0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b,
	0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97,
	0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2, 0xa3,
};

static const u8 oxfrm_et_rfc7634_pt[] = {
	0x45, 0x00, 0x00, 0x54, 0xa6, 0xf2, 0x00, 0x00, 0x40, 0x01, 0xe7, 0x78,
	0xc6, 0x33, 0x64, 0x05, 0xc0, 0x00, 0x02, 0x05, 0x08, 0x00, 0x5b, 0x7a,
	0x3a, 0x08, 0x00, 0x00, 0x55, 0x3b, 0xec, 0x10, 0x00, 0x07, 0x36, 0x27,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13,
	0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
	0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b,
	0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37,
	0x01, 0x02, 0x02, 0x04,
};

static const u8 oxfrm_et_rfc7634_pkt[] = {
	0x45, 0x00, 0x00, 0x8c, 0x23, 0x45, 0x00, 0x00, 0x40, 0x32, 0xde, 0x5b,
	0xcb, 0x00, 0x71, 0x99, 0xcb, 0x00, 0x71, 0x05, 0x01, 0x02, 0x03, 0x04,
	0x00, 0x00, 0x00, 0x05, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	0x24, 0x03, 0x94, 0x28, 0xb9, 0x7f, 0x41, 0x7e, 0x3c, 0x13, 0x75, 0x3a,
	0x4f, 0x05, 0x08, 0x7b, 0x67, 0xc3, 0x52, 0xe6, 0xa7, 0xfa, 0xb1, 0xb9,
	0x82, 0xd4, 0x66, 0xef, 0x40, 0x7a, 0xe5, 0xc6, 0x14, 0xee, 0x80, 0x99,
	0xd5, 0x28, 0x44, 0xeb, 0x61, 0xaa, 0x95, 0xdf, 0xab, 0x4c, 0x02, 0xf7,
	0x2a, 0xa7, 0x1e, 0x7c, 0x4c, 0x4f, 0x64, 0xc9, 0xbe, 0xfe, 0x2f, 0xac,
	0xc6, 0x38, 0xe8, 0xf3, 0xcb, 0xec, 0x16, 0x3f, 0xac, 0x46, 0x9b, 0x50,
	0x27, 0x73, 0xf6, 0xfb, 0x94, 0xe6, 0x64, 0xda, 0x91, 0x65, 0xb8, 0x28,
	0x29, 0xf6, 0x41, 0xe0, 0x76, 0xaa, 0xa8, 0x26, 0x6b, 0x7f, 0xb0, 0xf7,
	0xb1, 0x1b, 0x36, 0x99, 0x07, 0xe1, 0xad, 0x43,
};

static const struct oxfrm_et_vec oxfrm_et_vecs[] = {
	{
		.name = "draft-mcgrew-gcm-test-01 p7: AES-128, ESN, 68 octets",
		.fam = OXFRM_ET_GCM,
		.key = oxfrm_et_p7_key,
		.keylen = sizeof(oxfrm_et_p7_key),
		.pt = oxfrm_et_p7_pt,
		.ptlen = sizeof(oxfrm_et_p7_pt),
		.pkt = oxfrm_et_p7_pkt,
		.pktlen = sizeof(oxfrm_et_p7_pkt),
		.esn = true,
		.seq_hi = 0x87654321,
		.mode = XFRM_MODE_TRANSPORT,
	},
	{
		.name = "draft-mcgrew-gcm-test-01 p8: AES-128, 62 octets",
		.fam = OXFRM_ET_GCM,
		.key = oxfrm_et_p8_key,
		.keylen = sizeof(oxfrm_et_p8_key),
		.pt = oxfrm_et_p8_pt,
		.ptlen = sizeof(oxfrm_et_p8_pt),
		.pkt = oxfrm_et_p8_pkt,
		.pktlen = sizeof(oxfrm_et_p8_pkt),
		.mode = XFRM_MODE_TRANSPORT,
	},
	{
		.name = "draft-mcgrew-gcm-test-01 p9: AES-256, 48 octets",
		.fam = OXFRM_ET_GCM,
		.key = oxfrm_et_p9_key,
		.keylen = sizeof(oxfrm_et_p9_key),
		.pt = oxfrm_et_p9_pt,
		.ptlen = sizeof(oxfrm_et_p9_pt),
		.pkt = oxfrm_et_p9_pkt,
		.pktlen = sizeof(oxfrm_et_p9_pkt),
		.mode = XFRM_MODE_TRANSPORT,
	},
	{
		.name = "draft-mcgrew-gcm-test-01 p10: AES-128, 60 octets",
		.fam = OXFRM_ET_GCM,
		.key = oxfrm_et_p10_key,
		.keylen = sizeof(oxfrm_et_p10_key),
		.pt = oxfrm_et_p10_pt,
		.ptlen = sizeof(oxfrm_et_p10_pt),
		.pkt = oxfrm_et_p10_pkt,
		.pktlen = sizeof(oxfrm_et_p10_pkt),
		.mode = XFRM_MODE_TRANSPORT,
	},
	{
		.name = "draft-mcgrew-gcm-test-01 p12/2: AES-192, 38 octets",
		.fam = OXFRM_ET_GCM,
		.key = oxfrm_et_p12b_key,
		.keylen = sizeof(oxfrm_et_p12b_key),
		.pt = oxfrm_et_p12b_pt,
		.ptlen = sizeof(oxfrm_et_p12b_pt),
		.pkt = oxfrm_et_p12b_pkt,
		.pktlen = sizeof(oxfrm_et_p12b_pkt),
		.mode = XFRM_MODE_TRANSPORT,
	},
	{
		.name = "draft-mcgrew-gcm-test-01 p13: AES-128, ESN, 73 octets",
		.fam = OXFRM_ET_GCM,
		.key = oxfrm_et_p13_key,
		.keylen = sizeof(oxfrm_et_p13_key),
		.pt = oxfrm_et_p13_pt,
		.ptlen = sizeof(oxfrm_et_p13_pt),
		.pkt = oxfrm_et_p13_pkt,
		.pktlen = sizeof(oxfrm_et_p13_pkt),
		.esn = true,
		.seq_hi = 0x00000000,
		.mode = XFRM_MODE_TRANSPORT,
	},
	{
		.name = "draft-mcgrew-gcm-test-01 p14: AES-256, ESN, 38 octets",
		.fam = OXFRM_ET_GCM,
		.key = oxfrm_et_p14_key,
		.keylen = sizeof(oxfrm_et_p14_key),
		.pt = oxfrm_et_p14_pt,
		.ptlen = sizeof(oxfrm_et_p14_pt),
		.pkt = oxfrm_et_p14_pkt,
		.pktlen = sizeof(oxfrm_et_p14_pkt),
		.esn = true,
		.seq_hi = 0x156f3126,
		.mode = XFRM_MODE_TRANSPORT,
	},
	{
		.name = "draft-mcgrew-gcm-test-01 p17/1: AES-128, 0 octets",
		.fam = OXFRM_ET_GCM,
		.key = oxfrm_et_p17a_key,
		.keylen = sizeof(oxfrm_et_p17a_key),
		.pt = oxfrm_et_p17a_pt,
		.ptlen = sizeof(oxfrm_et_p17a_pt),
		.pkt = oxfrm_et_p17a_pkt,
		.pktlen = sizeof(oxfrm_et_p17a_pkt),
		.mode = XFRM_MODE_TRANSPORT,
	},
	{
		.name = "draft-mcgrew-gcm-test-01 p17/2: AES-128, ESN, 18 octets",
		.fam = OXFRM_ET_GCM,
		.key = oxfrm_et_p17b_key,
		.keylen = sizeof(oxfrm_et_p17b_key),
		.pt = oxfrm_et_p17b_pt,
		.ptlen = sizeof(oxfrm_et_p17b_pt),
		.pkt = oxfrm_et_p17b_pkt,
		.pktlen = sizeof(oxfrm_et_p17b_pkt),
		.esn = true,
		.seq_hi = 0x00000000,
		.mode = XFRM_MODE_TRANSPORT,
	},
	{
		.name = "draft-mcgrew-gcm-test-01 p18: AES-256, ESN, 48 octets",
		.fam = OXFRM_ET_GCM,
		.key = oxfrm_et_p18_key,
		.keylen = sizeof(oxfrm_et_p18_key),
		.pt = oxfrm_et_p18_pt,
		.ptlen = sizeof(oxfrm_et_p18_pt),
		.pkt = oxfrm_et_p18_pkt,
		.pktlen = sizeof(oxfrm_et_p18_pkt),
		.esn = true,
		.seq_hi = 0xffffffff,
		.mode = XFRM_MODE_TRANSPORT,
	},
	{
		.name = "draft-mcgrew-gcm-test-01 p21: AES-128, ESN, 28 octets",
		.fam = OXFRM_ET_GCM,
		.key = oxfrm_et_p21_key,
		.keylen = sizeof(oxfrm_et_p21_key),
		.pt = oxfrm_et_p21_pt,
		.ptlen = sizeof(oxfrm_et_p21_pt),
		.pkt = oxfrm_et_p21_pkt,
		.pktlen = sizeof(oxfrm_et_p21_pkt),
		.esn = true,
		.seq_hi = 0x87654321,
		.mode = XFRM_MODE_TRANSPORT,
	},
	{
		.name = "RFC 7634 A: ChaCha20-Poly1305, tunnel, 84 octets",
		.fam = OXFRM_ET_CHACHA,
		.key = oxfrm_et_rfc7634_key,
		.keylen = sizeof(oxfrm_et_rfc7634_key),
		.pt = oxfrm_et_rfc7634_pt,
		.ptlen = sizeof(oxfrm_et_rfc7634_pt),
		.pkt = oxfrm_et_rfc7634_pkt,
		.pktlen = sizeof(oxfrm_et_rfc7634_pkt),
		.outer = 20,
		.mode = XFRM_MODE_TUNNEL,
	},
};

static void oxfrm_et_vec_desc(const struct oxfrm_et_vec *v, char *desc)
{
	strscpy(desc, v->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(oxfrm_et_vec, oxfrm_et_vecs, oxfrm_et_vec_desc);

/* Per case: a detached SAD, and the states to put when the case ends. */
#define OXFRM_ET_STATES 4

struct oxfrm_et_ctx {
	struct oxfrm_sad sad;
	struct oxfrm_sad *home;		/* where states go: &sad, or a net's */
	struct oxfrm_state *x[OXFRM_ET_STATES];
	unsigned int nx;
};

static int oxfrm_et_init(struct kunit *test)
{
	struct oxfrm_et_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	int err;

	if (!ctx)
		return -ENOMEM;
	err = oxfrm_sad_init(&ctx->sad);
	if (err)
		return err;
	ctx->home = &ctx->sad;
	test->priv = ctx;
	return 0;
}

static void oxfrm_et_exit(struct kunit *test)
{
	struct oxfrm_et_ctx *ctx = test->priv;

	/* A state linked in a net's SAD leaves it (a no-op for the rest). */
	while (ctx->nx) {
		oxfrm_state_unlink(ctx->x[--ctx->nx]);
		oxfrm_state_put(ctx->x[ctx->nx]);
	}
	oxfrm_sad_destroy(&ctx->sad);
}

static u32 oxfrm_et_get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static void oxfrm_et_put_be32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/*
 * An ESP state of @fam with @key, as NEWSA would make it. The key
 * material is the algorithm's key and salt; for cbc(aes) and hmac(sha256)
 * (truncated to 128 bits), the 16-octet cipher key and the 32-octet
 * integrity key. The algorithms are looked up (and probed) as NEWSA looks
 * them up before the transform is made: oxfrm_esp_init_state(), as the
 * stock esp_init_authenc(), finds the integrity algorithm's description
 * only once it has been probed.
 */
static struct oxfrm_state *oxfrm_et_state(struct kunit *test,
					  enum oxfrm_et_family fam,
					  const u8 *key, unsigned int keylen,
					  __be32 spi, bool esn, u8 mode)
{
	const struct oxfrm_et_alg *alg = &oxfrm_et_algs[fam];
	xfrm_address_t daddr = { .a4 = htonl(0xc0000205) };
	struct oxfrm_et_ctx *ctx = test->priv;
	struct xfrm_algo_desc *desc;
	struct oxfrm_state *x;

	KUNIT_ASSERT_LT(test, ctx->nx, OXFRM_ET_STATES);
	x = oxfrm_state_alloc(ctx->home, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);
	ctx->x[ctx->nx++] = x;
	oxfrm_state_set_id(x, &daddr, spi, IPPROTO_ESP, AF_INET);
	x->mode = mode;
	if (esn)
		x->flags |= XFRM_STATE_ESN;
	x->geniv = alg->geniv;
	if (alg->aead) {
		desc = xfrm_aead_get_byname(alg->aead, OXFRM_ET_ICV * 8, 1);
		KUNIT_ASSERT_NOT_NULL(test, desc);
		KUNIT_EXPECT_STREQ(test, desc->uinfo.aead.geniv, alg->geniv);
		x->aead = kzalloc(sizeof(*x->aead) + keylen, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, x->aead);
		strscpy(x->aead->alg_name, alg->aead, sizeof(x->aead->alg_name));
		x->aead->alg_key_len = keylen * 8;
		x->aead->alg_icv_len = OXFRM_ET_ICV * 8;
		memcpy(x->aead->alg_key, key, keylen);
	} else {
		KUNIT_ASSERT_EQ(test, keylen, 48U);
		desc = xfrm_ealg_get_byname("cbc(aes)", 1);
		KUNIT_ASSERT_NOT_NULL(test, desc);
		KUNIT_EXPECT_STREQ(test, desc->uinfo.encr.geniv, alg->geniv);
		KUNIT_ASSERT_NOT_NULL(test, xfrm_aalg_get_byname("hmac(sha256)", 1));
		x->ealg = kzalloc(sizeof(*x->ealg) + 16, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, x->ealg);
		strscpy(x->ealg->alg_name, "cbc(aes)", sizeof(x->ealg->alg_name));
		x->ealg->alg_key_len = 128;
		memcpy(x->ealg->alg_key, key, 16);
		x->aalg = kzalloc(sizeof(*x->aalg) + 32, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, x->aalg);
		strscpy(x->aalg->alg_name, "hmac(sha256)",
			sizeof(x->aalg->alg_name));
		x->aalg->alg_key_len = 256;
		x->aalg->alg_trunc_len = OXFRM_ET_ICV * 8;
		memcpy(x->aalg->alg_key, key + 16, 32);
	}
	KUNIT_ASSERT_EQ(test, oxfrm_esp_init_state(x, NULL), 0);
	return x;
}

/* The ESP packet of @v, without the outer header the vector may have. */
static const u8 *oxfrm_et_esp(const struct oxfrm_et_vec *v)
{
	return v->pkt + v->outer;
}

static unsigned int oxfrm_et_esplen(const struct oxfrm_et_vec *v)
{
	return v->pktlen - v->outer;
}

static unsigned int oxfrm_et_padlen(const struct oxfrm_et_vec *v)
{
	return v->pt[v->ptlen - 2];
}

static u8 oxfrm_et_nexthdr(const struct oxfrm_et_vec *v)
{
	return v->pt[v->ptlen - 1];
}

static unsigned int oxfrm_et_payload_len(const struct oxfrm_et_vec *v)
{
	return v->ptlen - 2 - oxfrm_et_padlen(v);
}

/*
 * What oxfrm_esp_input_finish() is to return for a payload of @len octets
 * with next header @nh: @nh, or -EINVAL for no payload (the stock rule,
 * see the top of the file).
 */
static int oxfrm_et_want(unsigned int len, u8 nh)
{
	return len ? nh : -EINVAL;
}

static struct oxfrm_state *oxfrm_et_vec_state(struct kunit *test,
					      const struct oxfrm_et_vec *v)
{
	__be32 spi;

	memcpy(&spi, oxfrm_et_esp(v), sizeof(spi));
	return oxfrm_et_state(test, v->fam, v->key, v->keylen, spi, v->esn,
			      v->mode);
}

/* Expects @len octets at @got to be @want's; says where they differ. */
static bool oxfrm_et_memeq(struct kunit *test, const char *what,
			   const u8 *got, const u8 *want, unsigned int len)
{
	unsigned int i, n;

	for (i = 0; i < len; i++)
		if (got[i] != want[i])
			break;
	if (i == len)
		return true;
	n = min(len - i, 16U);
	KUNIT_FAIL(test, "%s: octet %u of %u differs: %*ph, expected %*ph",
		   what, i, len, n, got + i, n, want + i);
	return false;
}

/*
 * The published trailer of @v follows the rule oxfrm pads by: padding
 * 1, 2, 3, ... to the least multiple of four (RFC 4303 section 2.4).
 */
static void oxfrm_et_check_vec_trailer(struct kunit *test,
				       const struct oxfrm_et_vec *v)
{
	unsigned int len = oxfrm_et_payload_len(v);
	unsigned int padlen = oxfrm_et_padlen(v);
	unsigned int i;

	KUNIT_EXPECT_EQ(test, len + 2 + padlen, ALIGN(len + 2, 4U));
	for (i = 0; i < padlen; i++)
		KUNIT_EXPECT_EQ(test, v->pt[len + i], i + 1);
}

/* The outer IPv4 header of a vector that has one: it carries the ESP. */
static void oxfrm_et_check_vec_outer(struct kunit *test,
				     const struct oxfrm_et_vec *v)
{
	const struct iphdr *iph = (const struct iphdr *)v->pkt;

	if (!v->outer)
		return;
	KUNIT_EXPECT_EQ(test, iph->ihl * 4U, v->outer);
	KUNIT_EXPECT_EQ(test, iph->protocol, IPPROTO_ESP);
	KUNIT_EXPECT_EQ(test, ntohs(iph->tot_len), v->pktlen);
}

/* Crypto that completes later: the done callback finds this in skb->cb. */
struct oxfrm_et_wait {
	struct completion done;
	int err;
};

static void oxfrm_et_done(struct sk_buff *skb, int err)
{
	struct oxfrm_et_wait *w = *(struct oxfrm_et_wait **)skb->cb;

	w->err = err;
	complete(&w->done);
}

/* oxfrm_esp_input(), waited for: the decryption's result. */
static int oxfrm_et_input(struct oxfrm_state *x, struct sk_buff *skb,
			  u32 seq_hi)
{
	struct oxfrm_et_wait w;
	int err;

	init_completion(&w.done);
	*(struct oxfrm_et_wait **)skb->cb = &w;
	err = oxfrm_esp_input(x, skb, seq_hi, oxfrm_et_done);
	if (err == -EINPROGRESS) {
		wait_for_completion(&w.done);
		err = w.err;
	}
	return err;
}

/* Decryption as the input path does it: the next header, or an errno. */
static int oxfrm_et_decrypt(struct oxfrm_state *x, struct sk_buff *skb,
			    u32 seq_hi)
{
	return oxfrm_esp_input_finish(x, skb, oxfrm_et_input(x, skb, seq_hi));
}

/* oxfrm_esp_output(), waited for. */
static int oxfrm_et_output(struct oxfrm_state *x, struct sk_buff *skb,
			   const struct oxfrm_esp_out *o)
{
	struct oxfrm_et_wait w;
	int err;

	init_completion(&w.done);
	*(struct oxfrm_et_wait **)skb->cb = &w;
	err = oxfrm_esp_output(x, skb, o, oxfrm_et_done);
	if (err == -EINPROGRESS) {
		wait_for_completion(&w.done);
		err = w.err;
	}
	return err;
}

/* A linear packet of @data, with room around it for the output path. */
static struct sk_buff *oxfrm_et_skb(struct kunit *test, const u8 *data,
				    unsigned int len, unsigned int room)
{
	struct sk_buff *skb = alloc_skb(room + len + room, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, room);
	skb_put_data(skb, data, len);
	return skb;
}

/*
 * The salt of @x's IV generator when it is the seqiv template, which
 * makes the packet IV the 64-bit sequence number XOR this salt; NULL for
 * any other implementation.
 */
static u8 *oxfrm_et_seqiv_salt(struct oxfrm_state *x)
{
	struct crypto_aead *tfm = x->tfm;
	struct aead_geniv_ctx *ctx;

	if (strncmp(crypto_tfm_alg_driver_name(crypto_aead_tfm(tfm)),
		    "seqiv(", 6) || crypto_aead_ivsize(tfm) != 8)
		return NULL;
	ctx = crypto_aead_ctx(tfm);
	return ctx->salt;
}

/* @iv, XORed with the sequence number @seq_hi:@seq, into @out. */
static void oxfrm_et_xor_seq(u8 *out, const u8 *iv, u32 seq_hi, u32 seq)
{
	u8 s[8];
	int i;

	oxfrm_et_put_be32(s, seq_hi);
	oxfrm_et_put_be32(s + 4, seq);
	for (i = 0; i < 8; i++)
		out[i] = iv[i] ^ s[i];
}

/*
 * The associated data of RFC 4106 section 5 and RFC 7634 section 2.1:
 * SPI and sequence number, the high half first with ESN. Its length.
 */
static unsigned int oxfrm_et_aad(u8 *aad, const u8 *esph, bool esn,
				 u32 seq_hi)
{
	memcpy(aad, esph, 4);
	if (!esn) {
		memcpy(aad + 4, esph + 4, 4);
		return 8;
	}
	oxfrm_et_put_be32(aad + 4, seq_hi);
	memcpy(aad + 8, esph + 4, 4);
	return 12;
}

/*
 * What a transform of its own (@alg without IV generator, not oxfrm's)
 * makes of @pt under @key, the associated data @aad and the IV @iv: the
 * ciphertext and ICV, @ptlen + OXFRM_ET_ICV octets into @out. The IV
 * follows the associated data there, and is not authenticated.
 */
static int oxfrm_et_raw_encrypt(const char *alg, const u8 *key,
				unsigned int keylen, const u8 *aad,
				unsigned int aadlen, const u8 *iv,
				const u8 *pt, unsigned int ptlen, u8 *out)
{
	unsigned int len = aadlen + 8 + ptlen + OXFRM_ET_ICV;
	struct aead_request *req = NULL;
	DECLARE_CRYPTO_WAIT(wait);
	struct crypto_aead *tfm;
	struct scatterlist sg;
	u8 *buf;
	int err;

	tfm = crypto_alloc_aead(alg, 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	buf = kzalloc(len + 8, GFP_KERNEL);
	if (buf)
		req = aead_request_alloc(tfm, GFP_KERNEL);
	err = -ENOMEM;
	if (!req)
		goto out;
	err = crypto_aead_setkey(tfm, key, keylen);
	if (!err)
		err = crypto_aead_setauthsize(tfm, OXFRM_ET_ICV);
	if (err)
		goto out;
	memcpy(buf, aad, aadlen);
	memcpy(buf + aadlen, iv, 8);
	memcpy(buf + aadlen + 8, pt, ptlen);
	memcpy(buf + len, iv, 8);
	sg_init_one(&sg, buf, len);
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG |
				  CRYPTO_TFM_REQ_MAY_SLEEP,
				  crypto_req_done, &wait);
	aead_request_set_crypt(req, &sg, &sg, ptlen, buf + len);
	aead_request_set_ad(req, aadlen + 8);
	err = crypto_wait_req(crypto_aead_encrypt(req), &wait);
	if (!err)
		memcpy(out, buf + aadlen + 8, ptlen + OXFRM_ET_ICV);
out:
	aead_request_free(req);
	kfree(buf);
	crypto_free_aead(tfm);
	return err;
}

/*
 * Decryption of the published packet: the published plaintext, trailer
 * included, in place of the ciphertext; then the payload and next header.
 */
static void oxfrm_et_kat_decrypt(struct kunit *test)
{
	const struct oxfrm_et_vec *v = test->param_value;
	unsigned int hlen = OXFRM_ET_HDR + oxfrm_et_algs[v->fam].ivlen;
	unsigned int len = oxfrm_et_payload_len(v);
	struct oxfrm_state *x = oxfrm_et_vec_state(test, v);
	struct sk_buff *skb;
	int err;

	oxfrm_et_check_vec_outer(test, v);
	oxfrm_et_check_vec_trailer(test, v);
	KUNIT_ASSERT_EQ(test, oxfrm_et_esplen(v), hlen + v->ptlen + OXFRM_ET_ICV);

	skb = oxfrm_et_skb(test, oxfrm_et_esp(v), oxfrm_et_esplen(v), 0);
	err = oxfrm_et_input(x, skb, v->seq_hi);
	KUNIT_EXPECT_EQ(test, err, 0);
	if (err)
		goto out;
	oxfrm_et_memeq(test, "plaintext", skb->data + hlen, v->pt, v->ptlen);
	err = oxfrm_esp_input_finish(x, skb, 0);
	KUNIT_EXPECT_EQ(test, err, oxfrm_et_want(len, oxfrm_et_nexthdr(v)));
	if (err < 0)
		goto out;
	KUNIT_EXPECT_EQ(test, skb->len, len);
	if (skb->len == len)
		oxfrm_et_memeq(test, "payload", skb->data, v->pt, len);
out:
	kfree_skb(skb);
}

/*
 * The published packet as a clone, whose buffer another skb shares, and
 * with its last @tail octets in a page fragment that another holder
 * shares too (a spliced page, SKBFL_SHARED_FRAG): each decrypts as the
 * linear packet does, and what is shared still holds the ciphertext.
 * Decryption in place must first give such packets buffers of their own.
 */
static void oxfrm_et_kat_decrypt_shared(struct kunit *test)
{
	const struct oxfrm_et_vec *v = test->param_value;
	unsigned int esplen = oxfrm_et_esplen(v);
	unsigned int tail = OXFRM_ET_ICV + 8;
	int want = oxfrm_et_want(oxfrm_et_payload_len(v),
				 oxfrm_et_nexthdr(v));
	struct oxfrm_state *x = oxfrm_et_vec_state(test, v);
	struct sk_buff *skb, *clone;
	struct page *page;

	skb = oxfrm_et_skb(test, oxfrm_et_esp(v), esplen, 0);
	clone = skb_clone(skb, GFP_KERNEL);
	if (!clone)
		kfree_skb(skb);
	KUNIT_ASSERT_NOT_NULL(test, clone);
	KUNIT_EXPECT_EQ(test, oxfrm_et_decrypt(x, clone, v->seq_hi), want);
	kfree_skb(clone);
	KUNIT_EXPECT_EQ(test, skb->len, esplen);
	oxfrm_et_memeq(test, "shared ciphertext", skb->data, oxfrm_et_esp(v),
		       esplen);
	kfree_skb(skb);

	skb = oxfrm_et_skb(test, oxfrm_et_esp(v), esplen - tail, 0);
	page = alloc_page(GFP_KERNEL);
	if (!page)
		kfree_skb(skb);
	KUNIT_ASSERT_NOT_NULL(test, page);
	memcpy(page_address(page), oxfrm_et_esp(v) + esplen - tail, tail);
	/* The other holder's reference: the page outlives the packet. */
	get_page(page);
	skb_add_rx_frag(skb, 0, page, 0, tail, PAGE_SIZE);
	skb_shinfo(skb)->flags |= SKBFL_SHARED_FRAG;
	KUNIT_EXPECT_EQ(test, oxfrm_et_decrypt(x, skb, v->seq_hi), want);
	kfree_skb(skb);
	oxfrm_et_memeq(test, "shared page", page_address(page),
		       oxfrm_et_esp(v) + esplen - tail, tail);
	put_page(page);
}

/*
 * The published packet with one bit flipped, in each field the ICV
 * covers, fails with -EBADMSG; so does the wrong high half of an extended
 * sequence number. Without ESN the high half is not authenticated.
 */
static void oxfrm_et_kat_tamper(struct kunit *test)
{
	const struct oxfrm_et_vec *v = test->param_value;
	unsigned int hlen = OXFRM_ET_HDR + oxfrm_et_algs[v->fam].ivlen;
	unsigned int esplen = oxfrm_et_esplen(v);
	const unsigned int where[] = {
		0,				/* SPI */
		7,				/* sequence number */
		OXFRM_ET_HDR,			/* IV */
		hlen,				/* ciphertext, first octet */
		esplen - OXFRM_ET_ICV - 1,	/* ... last: next header */
		esplen - OXFRM_ET_ICV,		/* ICV, first octet */
		esplen - 1,			/* ... last */
	};
	struct oxfrm_state *x = oxfrm_et_vec_state(test, v);
	struct sk_buff *skb;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(where); i++) {
		skb = oxfrm_et_skb(test, oxfrm_et_esp(v), esplen, 0);
		skb->data[where[i]] ^= 1 << (i % 8);
		KUNIT_EXPECT_EQ_MSG(test, oxfrm_et_decrypt(x, skb, v->seq_hi),
				    -EBADMSG, "bit %u of octet %u flipped",
				    i % 8, where[i]);
		kfree_skb(skb);
	}

	skb = oxfrm_et_skb(test, oxfrm_et_esp(v), esplen, 0);
	KUNIT_EXPECT_EQ(test, oxfrm_et_decrypt(x, skb, v->seq_hi ^ 1),
			v->esn ? -EBADMSG :
			oxfrm_et_want(oxfrm_et_payload_len(v),
				      oxfrm_et_nexthdr(v)));
	kfree_skb(skb);
}

/* oxfrm_esp_output() of the published payload, as @v's sender. */
static struct sk_buff *oxfrm_et_vec_output(struct kunit *test,
					   struct oxfrm_state *x,
					   const struct oxfrm_et_vec *v)
{
	const u8 *esph = oxfrm_et_esp(v);
	struct oxfrm_esp_out o = {
		.seq = oxfrm_et_get_be32(esph + 4),
		.seq_hi = v->seq_hi,
		.proto = oxfrm_et_nexthdr(v),
	};
	struct sk_buff *skb;
	int err;

	skb = oxfrm_et_skb(test, v->pt, oxfrm_et_payload_len(v),
			   x->header_len + x->trailer_len);
	err = oxfrm_et_output(x, skb, &o);
	KUNIT_EXPECT_EQ(test, err, 0);
	if (err) {
		kfree_skb(skb);
		return NULL;
	}
	return skb;
}

/*
 * Encryption of the published payload with the transform's own (random)
 * seqiv salt: header and length as published, the IV the sequence number
 * XOR the salt, ciphertext and ICV what a separate transform makes of the
 * published plaintext with that IV, and oxfrm decrypts it back.
 */
static void oxfrm_et_kat_encrypt(struct kunit *test)
{
	const struct oxfrm_et_vec *v = test->param_value;
	const struct oxfrm_et_alg *alg = &oxfrm_et_algs[v->fam];
	unsigned int hlen = OXFRM_ET_HDR + alg->ivlen;
	unsigned int len = oxfrm_et_payload_len(v);
	const u8 *esph = oxfrm_et_esp(v);
	struct oxfrm_state *x = oxfrm_et_vec_state(test, v);
	u8 aad[12], iv[8], *salt, *out;
	unsigned int aadlen;
	struct sk_buff *skb;
	int err;

	oxfrm_et_check_vec_trailer(test, v);
	out = kunit_kzalloc(test, v->ptlen + OXFRM_ET_ICV, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);
	skb = oxfrm_et_vec_output(test, x, v);
	if (!skb)
		return;

	oxfrm_et_memeq(test, "SPI and sequence number", skb->data, esph,
		       OXFRM_ET_HDR);
	KUNIT_EXPECT_EQ(test, skb->len, oxfrm_et_esplen(v));
	if (skb->len != oxfrm_et_esplen(v))
		goto out;

	salt = oxfrm_et_seqiv_salt(x);
	if (salt) {
		oxfrm_et_xor_seq(iv, salt, v->seq_hi,
				 oxfrm_et_get_be32(esph + 4));
		oxfrm_et_memeq(test, "IV", skb->data + OXFRM_ET_HDR, iv, 8);
	} else {
		kunit_info(test, "%s: not seqiv, IV not checked",
			   crypto_tfm_alg_driver_name(crypto_aead_tfm(x->tfm)));
	}

	aadlen = oxfrm_et_aad(aad, esph, v->esn, v->seq_hi);
	err = oxfrm_et_raw_encrypt(alg->aead, v->key, v->keylen, aad, aadlen,
				   skb->data + OXFRM_ET_HDR, v->pt, v->ptlen,
				   out);
	KUNIT_EXPECT_EQ(test, err, 0);
	if (!err)
		oxfrm_et_memeq(test, "ciphertext and ICV", skb->data + hlen,
			       out, v->ptlen + OXFRM_ET_ICV);

	err = oxfrm_et_decrypt(x, skb, v->seq_hi);
	KUNIT_EXPECT_EQ(test, err, oxfrm_et_want(len, oxfrm_et_nexthdr(v)));
	if (err >= 0 && skb->len == len)
		oxfrm_et_memeq(test, "payload", skb->data, v->pt, len);
	else if (err >= 0)
		KUNIT_FAIL(test, "payload of %u octets, expected %u", skb->len,
			   len);
out:
	kfree_skb(skb);
}

/*
 * Encryption of the published payload with the seqiv salt set so that the
 * IV is the published one: the published packet, octet for octet.
 */
static void oxfrm_et_kat_encrypt_exact(struct kunit *test)
{
	const struct oxfrm_et_vec *v = test->param_value;
	const u8 *esph = oxfrm_et_esp(v);
	struct oxfrm_state *x = oxfrm_et_vec_state(test, v);
	struct sk_buff *skb;
	u8 *salt;

	salt = oxfrm_et_seqiv_salt(x);
	if (!salt)
		kunit_skip(test, "%s is not the seqiv template",
			   crypto_tfm_alg_driver_name(crypto_aead_tfm(x->tfm)));
	oxfrm_et_xor_seq(salt, esph + OXFRM_ET_HDR, v->seq_hi,
			 oxfrm_et_get_be32(esph + 4));

	skb = oxfrm_et_vec_output(test, x, v);
	if (!skb)
		return;
	KUNIT_EXPECT_EQ(test, skb->len, oxfrm_et_esplen(v));
	if (skb->len == oxfrm_et_esplen(v))
		oxfrm_et_memeq(test, "packet", skb->data, esph, skb->len);
	kfree_skb(skb);
}

/*
 * The AES-NI driver hands a request to cryptd when the FPU is taken, as
 * it is when a softirq interrupts a task in kernel_fpu_begin(); the ESP
 * input path then goes on in cryptd's worker (oxfrm_input_resume_async()).
 * The first published AES-GCM packet without ESN goes through oxfrm_input()
 * with the FPU held, as the ESP handler would take it, to a state in the
 * initial namespace: once with its ICV flipped, once as published. Nothing
 * may be judged before the FPU is given back; then the flipped one must be
 * counted in XfrmInStateProtoError and leave the replay window alone, and
 * the published one must be taken, with no counter moved.
 */
#ifdef CONFIG_X86
struct oxfrm_et_async {
	unsigned long proto, other;	/* XfrmInStateProtoError, the rest */
	u64 packets;
};

static bool oxfrm_et_async_same(const struct oxfrm_et_async *a,
				const struct oxfrm_et_async *b)
{
	return a->proto == b->proto && a->other == b->other &&
	       a->packets == b->packets;
}

static void oxfrm_et_async_read(struct oxfrm_state *x,
				struct oxfrm_et_async *a)
{
	unsigned long sum[LINUX_MIB_XFRMMAX];
	int i;

	oxfrm_mib_fold(oxfrm_pernet(&init_net)->mib, sum);
	a->proto = sum[LINUX_MIB_XFRMINSTATEPROTOERROR];
	a->other = 0;
	for (i = 0; i < LINUX_MIB_XFRMMAX; i++)
		if (i != LINUX_MIB_XFRMINSTATEPROTOERROR)
			a->other += sum[i];
	spin_lock_bh(&x->lock);
	a->packets = x->curlft.packets;
	spin_unlock_bh(&x->lock);
}

/*
 * @esp (@len octets) to 192.0.2.5 through oxfrm_input() with the FPU
 * held; what the counters and @x say at once, and once they have moved.
 */
static void oxfrm_et_async_input(struct kunit *test, struct oxfrm_state *x,
				 const u8 *esp, unsigned int len,
				 struct oxfrm_et_async *now,
				 struct oxfrm_et_async *later)
{
	struct sk_buff *skb = alloc_skb(64 + len, GFP_KERNEL);
	struct oxfrm_et_async before;
	struct iphdr *iph;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 32);
	skb->dev = init_net.loopback_dev;
	skb->protocol = htons(ETH_P_IP);
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = IPPROTO_ESP;
	iph->tot_len = htons(sizeof(*iph) + len);
	iph->saddr = htonl(0xc0000201);
	iph->daddr = htonl(0xc0000205);
	ip_send_check(iph);
	__skb_pull(skb, sizeof(*iph));
	skb_put_data(skb, esp, len);

	oxfrm_et_async_read(x, &before);
	local_bh_disable();
	kernel_fpu_begin();
	rcu_read_lock();
	oxfrm_input(skb, AF_INET, 0);
	rcu_read_unlock();
	/* cryptd's worker runs on this CPU: not before the FPU is back. */
	oxfrm_et_async_read(x, now);
	kernel_fpu_end();
	local_bh_enable();
	for (i = 0; i < 250; i++) {
		oxfrm_et_async_read(x, later);
		if (!oxfrm_et_async_same(later, &before))
			break;
		msleep(20);
	}
	KUNIT_EXPECT_TRUE_MSG(test, oxfrm_et_async_same(now, &before),
			      "judged before the crypto completed");
}

static void oxfrm_et_kat_cryptd(struct kunit *test)
{
	struct oxfrm_et_ctx *ctx = test->priv;
	const struct oxfrm_et_vec *v = NULL;
	struct oxfrm_et_async now, later;
	const char *driver;
	struct oxfrm_state *x;
	u8 esp[256];
	int i;

	for (i = 0; i < ARRAY_SIZE(oxfrm_et_vecs) && !v; i++)
		if (oxfrm_et_vecs[i].fam == OXFRM_ET_GCM &&
		    !oxfrm_et_vecs[i].esn)
			v = &oxfrm_et_vecs[i];
	KUNIT_ASSERT_NOT_NULL(test, v);
	KUNIT_ASSERT_LE(test, oxfrm_et_esplen(v), sizeof(esp));

	ctx->home = oxfrm_pernet(&init_net)->sad;
	x = oxfrm_et_vec_state(test, v);
	driver = crypto_tfm_alg_driver_name(crypto_aead_tfm(x->tfm));
	if (!strstr(driver, "aesni"))
		kunit_skip(test, "%s does not fall back to cryptd", driver);
	x->kstate = OXFRM_STATE_VALID;
	x->replay_window = 32;
	KUNIT_ASSERT_EQ(test, oxfrm_input_state_init(x), 0);
	KUNIT_ASSERT_EQ(test, oxfrm_state_insert(x), 0);

	memcpy(esp, oxfrm_et_esp(v), oxfrm_et_esplen(v));
	esp[oxfrm_et_esplen(v) - 1] ^= 1;
	oxfrm_et_async_input(test, x, esp, oxfrm_et_esplen(v), &now, &later);
	KUNIT_EXPECT_EQ(test, later.proto, now.proto + 1);
	KUNIT_EXPECT_EQ(test, later.other, now.other);
	KUNIT_EXPECT_EQ(test, later.packets, 0);

	/* The same sequence number: no replay, the window did not move. */
	oxfrm_et_async_input(test, x, oxfrm_et_esp(v), oxfrm_et_esplen(v),
			     &now, &later);
	KUNIT_EXPECT_EQ(test, later.proto, now.proto);
	KUNIT_EXPECT_EQ(test, later.other, now.other);
	KUNIT_EXPECT_EQ(test, later.packets, 1);
}
#endif

/* A family, with or without ESN, for the round trips. */
struct oxfrm_et_rt {
	const char *name;
	enum oxfrm_et_family fam;
	bool esn;
};

static const struct oxfrm_et_rt oxfrm_et_rts[] = {
	{ "rfc4106(gcm(aes)), 128-bit key", OXFRM_ET_GCM, false },
	{ "rfc4106(gcm(aes)), 128-bit key, ESN", OXFRM_ET_GCM, true },
	{ "rfc7539esp(chacha20,poly1305)", OXFRM_ET_CHACHA, false },
	{ "rfc7539esp(chacha20,poly1305), ESN", OXFRM_ET_CHACHA, true },
	{ "cbc(aes) and hmac(sha256)", OXFRM_ET_CBC, false },
	{ "cbc(aes) and hmac(sha256), ESN", OXFRM_ET_CBC, true },
};

static void oxfrm_et_rt_desc(const struct oxfrm_et_rt *rt, char *desc)
{
	strscpy(desc, rt->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(oxfrm_et_rt, oxfrm_et_rts, oxfrm_et_rt_desc);

#define OXFRM_ET_RT_MAX	64

/*
 * One round trip of a @len-octet payload: length and header of the
 * packet, the IV (seqiv), the trailer after decryption, payload and next
 * header; and the packet decrypted again with the other high half of the
 * sequence number, which ESN must refuse. False once the case failed.
 */
static bool oxfrm_et_rt_one(struct kunit *test, const struct oxfrm_et_rt *rt,
			    struct oxfrm_state *x, const u8 *payload,
			    unsigned int len)
{
	const struct oxfrm_et_alg *alg = &oxfrm_et_algs[rt->fam];
	static const u8 protos[] = { IPPROTO_UDP, IPPROTO_TCP, IPPROTO_IPIP,
				     IPPROTO_IPV6, IPPROTO_ICMP };
	unsigned int hlen = OXFRM_ET_HDR + alg->ivlen;
	unsigned int clen = ALIGN(len + 2, alg->blksize);
	unsigned int padlen = clen - len - 2;
	struct oxfrm_esp_out o = {
		.seq = 0x1000 + len,
		.seq_hi = rt->esn,
		.proto = protos[len % ARRAY_SIZE(protos)],
	};
	struct sk_buff *skb, *copy = NULL;
	u8 hdr[8], iv[8], *salt, *t;
	unsigned int i;
	int err;

	skb = oxfrm_et_skb(test, payload, len, x->header_len + x->trailer_len);
	err = oxfrm_et_output(x, skb, &o);
	KUNIT_EXPECT_EQ_MSG(test, err, 0, "payload %u", len);
	if (err)
		goto out;
	KUNIT_EXPECT_EQ_MSG(test, skb->len, hlen + clen + OXFRM_ET_ICV,
			    "payload %u", len);
	if (skb->len != hlen + clen + OXFRM_ET_ICV)
		goto out;
	memcpy(hdr, &x->key.spi, 4);
	oxfrm_et_put_be32(hdr + 4, o.seq);
	oxfrm_et_memeq(test, "SPI and sequence number", skb->data, hdr, 8);
	salt = oxfrm_et_seqiv_salt(x);
	if (salt) {
		oxfrm_et_xor_seq(iv, salt, o.seq_hi, o.seq);
		oxfrm_et_memeq(test, "IV", skb->data + OXFRM_ET_HDR, iv, 8);
	}
	copy = skb_copy(skb, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, copy);

	err = oxfrm_et_input(x, skb, o.seq_hi);
	KUNIT_EXPECT_EQ_MSG(test, err, 0, "payload %u", len);
	if (err)
		goto out;
	t = skb->data + hlen + len;
	for (i = 0; i < padlen; i++)
		KUNIT_EXPECT_EQ_MSG(test, t[i], i + 1, "payload %u", len);
	KUNIT_EXPECT_EQ_MSG(test, t[padlen], padlen, "payload %u", len);
	KUNIT_EXPECT_EQ_MSG(test, t[padlen + 1], o.proto, "payload %u", len);
	err = oxfrm_esp_input_finish(x, skb, 0);
	KUNIT_EXPECT_EQ_MSG(test, err, oxfrm_et_want(len, o.proto),
			    "payload %u", len);
	if (err >= 0) {
		KUNIT_EXPECT_EQ_MSG(test, skb->len, len, "payload %u", len);
		if (skb->len == len)
			oxfrm_et_memeq(test, "payload", skb->data, payload, len);
	}

	/* Without ESN the high half is no part of the ICV. */
	if (copy)
		KUNIT_EXPECT_EQ_MSG(test, oxfrm_et_decrypt(x, copy, !o.seq_hi),
				    rt->esn ? -EBADMSG :
				    oxfrm_et_want(len, o.proto),
				    "payload %u, seq_hi %u", len, !o.seq_hi);
out:
	kfree_skb(copy);
	kfree_skb(skb);
	return test->status != KUNIT_FAILURE;
}

/*
 * Payloads of 0 to 64 octets through one state and back, the sequence
 * number's high half 1 with ESN: see oxfrm_et_rt_one().
 */
static void oxfrm_et_roundtrip(struct kunit *test)
{
	const struct oxfrm_et_rt *rt = test->param_value;
	const struct oxfrm_et_alg *alg = &oxfrm_et_algs[rt->fam];
	struct oxfrm_state *x;
	unsigned int i, len;
	u8 key[48], *payload;

	for (i = 0; i < sizeof(key); i++)
		key[i] = 0x40 + i;
	x = oxfrm_et_state(test, rt->fam, key, alg->keylen,
			   htonl(0x0a000000 | rt->fam), rt->esn,
			   XFRM_MODE_TRANSPORT);
	payload = kunit_kmalloc(test, OXFRM_ET_RT_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, payload);
	for (i = 0; i < OXFRM_ET_RT_MAX; i++)
		payload[i] = i * 37 + 11;

	for (len = 0; len <= OXFRM_ET_RT_MAX; len++)
		if (!oxfrm_et_rt_one(test, rt, x, payload, len))
			break;
}

/*
 * ESP octets for an IPv4 packet of @len octets through @x, counted from
 * the algorithm's description alone.
 */
static unsigned int oxfrm_et_esp_size(const struct oxfrm_et_alg *alg,
				      u8 mode, unsigned int len)
{
	unsigned int clear = mode == XFRM_MODE_TRANSPORT ? 20 : 0;
	unsigned int ip = 20;

	return ip + OXFRM_ET_HDR + alg->ivlen +
	       ALIGN(len - clear + 2, alg->blksize) + OXFRM_ET_ICV;
}

/*
 * The inner MTU of every family in both modes, over link MTUs of 576 to
 * 1500: the largest packet whose ESP fits, as esp4_get_mtu() has it (in
 * transport mode the IP header is not padded to the block).
 */
static void oxfrm_et_inner_mtu(struct kunit *test)
{
	const struct oxfrm_et_rt *rt = test->param_value;
	const struct oxfrm_et_alg *alg = &oxfrm_et_algs[rt->fam];
	static const u8 modes[] = { XFRM_MODE_TRANSPORT, XFRM_MODE_TUNNEL };
	struct oxfrm_state *x;
	unsigned int i, m, mtu, len;
	u8 key[48];

	for (i = 0; i < sizeof(key); i++)
		key[i] = 0x40 + i;
	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		x = oxfrm_et_state(test, rt->fam, key, alg->keylen,
				   htonl(0x0b000000 | m << 8 | rt->fam),
				   rt->esn, modes[m]);
		for (mtu = 576; mtu <= 1500; mtu++) {
			len = oxfrm_output_inner_mtu(x, mtu);
			KUNIT_EXPECT_LE_MSG(test,
					    oxfrm_et_esp_size(alg, modes[m], len),
					    mtu, "mode %u, mtu %u", modes[m], mtu);
			KUNIT_EXPECT_GT_MSG(test,
					    oxfrm_et_esp_size(alg, modes[m],
							      len + alg->blksize),
					    mtu, "mode %u, mtu %u", modes[m], mtu);
			if (test->status == KUNIT_FAILURE)
				return;
		}
	}
}

static struct kunit_case oxfrm_et_cases[] = {
	KUNIT_CASE_PARAM(oxfrm_et_kat_decrypt, oxfrm_et_vec_gen_params),
	KUNIT_CASE_PARAM(oxfrm_et_kat_decrypt_shared, oxfrm_et_vec_gen_params),
	KUNIT_CASE_PARAM(oxfrm_et_kat_tamper, oxfrm_et_vec_gen_params),
	KUNIT_CASE_PARAM(oxfrm_et_kat_encrypt, oxfrm_et_vec_gen_params),
	KUNIT_CASE_PARAM(oxfrm_et_kat_encrypt_exact, oxfrm_et_vec_gen_params),
#ifdef CONFIG_X86
	KUNIT_CASE(oxfrm_et_kat_cryptd),
#endif
	KUNIT_CASE_PARAM(oxfrm_et_roundtrip, oxfrm_et_rt_gen_params),
	KUNIT_CASE_PARAM(oxfrm_et_inner_mtu, oxfrm_et_rt_gen_params),
	{ }
};

static struct kunit_suite oxfrm_et_suite = {
	.name = "oxfrm_esp",
	.init = oxfrm_et_init,
	.exit = oxfrm_et_exit,
	.test_cases = oxfrm_et_cases,
};

kunit_test_suite(oxfrm_et_suite);
