// SPDX-License-Identifier: GPL-2.0
/*
 * oxfrm: module init and exit, per namespace state, and the checks that keep
 * oxfrm from loading beside the kernel's own xfrm_user, esp4, esp6 or af_key.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kobject.h>
#include <linux/netlink.h>
#include <net/net_namespace.h>
#include <oxfrm/oxfrm.h>
#include <oxfrm/esp.h>
#include <oxfrm/mib.h>
#include <oxfrm/sysctl.h>
#include <oxfrm/netlink.h>
#include <oxfrm/input.h>
#include <oxfrm/output.h>
#include <oxfrm/policy.h>
#include <oxfrm/state.h>

unsigned int oxfrm_net_id __read_mostly;
EXPORT_SYMBOL_IF_OXFRM_KUNIT(oxfrm_net_id);

/*
 * Whether a module is loaded, by its entry in /sys/module. Our own module's
 * kobject lives in that same kset, which the kernel does not export.
 */
bool oxfrm_module_loaded(const char *name)
{
	struct kset *modules = THIS_MODULE->mkobj.kobj.kset;
	struct kobject *kobj;

	if (!modules)
		return false;
	kobj = kset_find_obj(modules, name);
	if (!kobj)
		return false;
	kobject_put(kobj);
	return true;
}

static int __net_init oxfrm_net_init(struct net *net)
{
	struct oxfrm_net *on = oxfrm_pernet(net);
	int err;

	on->net = net;
	oxfrm_policy_default_init(on);
	err = oxfrm_mib_net_init(on);
	if (err)
		return err;
	err = oxfrm_sysctl_net_init(on);
	if (err)
		goto err_mib;
	err = oxfrm_state_net_init(on);
	if (err)
		goto err_sysctl;
	err = oxfrm_spd_net_init(on);
	if (err)
		goto err_state;
	err = oxfrm_output_net_init(on);
	if (err)
		goto err_spd;
	err = oxfrm_input_net_init(on);
	if (err)
		goto err_output;
	err = oxfrm_netlink_net_init(on);
	if (err)
		goto err_input;
	return 0;

err_input:
	oxfrm_input_net_exit(on);
err_output:
	oxfrm_output_net_exit(on);
err_spd:
	oxfrm_spd_net_exit(on);
err_state:
	oxfrm_state_net_exit(on);
err_sysctl:
	oxfrm_sysctl_net_exit(on);
err_mib:
	oxfrm_mib_net_exit(on);
	return err;
}

/* Stop announcing events; the namespace's readers are gone after this. */
static void __net_exit oxfrm_net_pre_exit(struct net *net)
{
	oxfrm_netlink_net_pre_exit(oxfrm_pernet(net));
}

static void __net_exit oxfrm_net_exit(struct net *net)
{
	struct oxfrm_net *on = oxfrm_pernet(net);

	oxfrm_netlink_net_exit(on);
	oxfrm_input_net_exit(on);
	oxfrm_output_net_exit(on);
	oxfrm_spd_net_exit(on);
	oxfrm_state_net_exit(on);
	oxfrm_sysctl_net_exit(on);
	oxfrm_mib_net_exit(on);
}

static struct pernet_operations oxfrm_net_ops = {
	.init = oxfrm_net_init,
	.pre_exit = oxfrm_net_pre_exit,
	.exit = oxfrm_net_exit,
	.id = &oxfrm_net_id,
	.size = sizeof(struct oxfrm_net),
};

static int __init oxfrm_init(void)
{
	int err;

	/*
	 * af_key holds nothing oxfrm needs, but it configures the kernel's
	 * own SPD and SAD behind oxfrm's back: a key manager would find it
	 * and talk to the wrong stack.
	 */
	if (oxfrm_module_loaded("af_key")) {
		pr_err("af_key is loaded and configures the kernel's own IPsec; unload af_key first\n");
		return -EBUSY;
	}

	/*
	 * The ESP handlers first: once a namespace has its NETLINK_XFRM
	 * socket, users can open sockets that pin this module, so nothing
	 * may fail after that. Until the namespaces are ready, the handlers
	 * drop what they receive.
	 */
	err = oxfrm_esp_init();
	if (err)
		return err;
	err = oxfrm_input_init();
	if (err)
		goto err_input;
	err = oxfrm_state_init();
	if (err)
		goto err_state;
	err = oxfrm_proto_init();
	if (err)
		goto err_proto;

	err = register_pernet_subsys(&oxfrm_net_ops);
	if (err)
		goto err_pernet;
	oxfrm_input_enable();

	oxfrm_km_init();
	pr_info("loaded\n");
	return 0;

err_pernet:
	oxfrm_proto_exit();
err_proto:
	oxfrm_state_exit();
err_state:
	oxfrm_input_exit();
err_input:
	oxfrm_esp_exit();
	return err;
}

static void __exit oxfrm_exit(void)
{
	oxfrm_km_exit();
	/* Waits for handlers still running: none runs after this. */
	oxfrm_proto_exit();
	unregister_pernet_subsys(&oxfrm_net_ops);
	oxfrm_state_exit();
	oxfrm_input_exit();
	oxfrm_esp_exit();
	pr_info("unloaded\n");
}

module_init(oxfrm_init);
module_exit(oxfrm_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("oxfrm: an XFRM-style IPsec stack");
MODULE_ALIAS_NET_PF_PROTO(PF_NETLINK, NETLINK_XFRM);
