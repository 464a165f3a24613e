// SPDX-License-Identifier: GPL-2.0
/*
 * oxfrm's key manager, registered with the kernel's XFRM core. Its one job
 * is to compile per-socket policies (setsockopt IP_XFRM_POLICY and
 * IPV6_XFRM_POLICY), with which strongSwan exempts its IKE sockets from
 * IPsec. The compiled policies live in the kernel's own per-socket lists:
 * the kernel's XFRM enforces them on those sockets, and oxfrm's data path
 * leaves sockets that carry one alone. The kernel's SPD and SAD stay empty;
 * only a socket policy with templates makes the kernel ask for an SA
 * (->acquire), which oxfrm refuses: such sockets get no SA from the kernel.
 */

#include <linux/in.h>
#include <linux/in6.h>
#include <net/sock.h>
#include <net/xfrm.h>
#include <oxfrm/netlink.h>
#include <oxfrm/policy.h>

static void oxfrm_km_copy_tmpls(struct xfrm_policy *xp,
				const struct xfrm_user_tmpl *ut, int nr)
{
	int i;

	xp->xfrm_nr = nr;
	for (i = 0; i < nr; i++) {
		struct xfrm_tmpl *t = &xp->xfrm_vec[i];

		t->id = ut[i].id;
		t->saddr = ut[i].saddr;
		t->encap_family = ut[i].family;
		t->reqid = ut[i].reqid;
		t->mode = ut[i].mode;
		t->share = ut[i].share;
		t->optional = ut[i].optional;
		t->aalgos = ut[i].aalgos;
		t->ealgos = ut[i].ealgos;
		t->calgos = ut[i].calgos;
		/* All-ones masks allow every algorithm. */
		t->allalgs = !~(t->aalgos & t->ealgos & t->calgos);
	}
}

/*
 * @data is a struct xfrm_userpolicy_info followed by templates. Returns the
 * policy and its direction in @dir, or NULL and an errno in @dir.
 */
static struct xfrm_policy *oxfrm_km_compile_policy(struct sock *sk, int opt,
						   u8 *data, int len, int *dir)
{
	struct xfrm_userpolicy_info *p = (struct xfrm_userpolicy_info *)data;
	struct xfrm_user_tmpl *ut = (struct xfrm_user_tmpl *)(p + 1);
	struct xfrm_policy *xp;
	int nr;

	if ((sk->sk_family == AF_INET && opt != IP_XFRM_POLICY) ||
	    (sk->sk_family == AF_INET6 && opt != IPV6_XFRM_POLICY)) {
		*dir = -EOPNOTSUPP;
		return NULL;
	}
	*dir = -EINVAL;
	if (sk->sk_family != AF_INET && sk->sk_family != AF_INET6)
		return NULL;
	if (len < (int)sizeof(*p) || oxfrm_policy_verify_info(p, NULL))
		return NULL;
	nr = (len - sizeof(*p)) / sizeof(*ut);
	if (oxfrm_policy_verify_tmpls(ut, nr, p->sel.family, p->dir, NULL))
		return NULL;
	/* A socket sends and receives; it does not forward. */
	if (p->dir > XFRM_POLICY_OUT)
		return NULL;

	xp = xfrm_policy_alloc(sock_net(sk), GFP_ATOMIC);
	if (!xp) {
		*dir = -ENOBUFS;
		return NULL;
	}
	xp->priority = p->priority;
	xp->index = p->index;
	xp->selector = p->sel;
	xp->lft = p->lft;
	xp->action = p->action;
	xp->flags = p->flags;
	xp->family = p->sel.family;
	xp->type = XFRM_POLICY_TYPE_MAIN;
	oxfrm_km_copy_tmpls(xp, ut, nr);
	*dir = p->dir;
	return xp;
}

/* The kernel's SAD stays empty: oxfrm negotiates nothing for it. */
static int oxfrm_km_acquire(struct xfrm_state *x, struct xfrm_tmpl *t,
			    struct xfrm_policy *xp)
{
	return -EINVAL;
}

static struct xfrm_mgr oxfrm_km = {
	.acquire = oxfrm_km_acquire,
	.compile_policy = oxfrm_km_compile_policy,
};

void oxfrm_km_init(void)
{
	xfrm_register_km(&oxfrm_km);
}

/* Waits for every caller of the key manager to finish. */
void oxfrm_km_exit(void)
{
	xfrm_unregister_km(&oxfrm_km);
}
