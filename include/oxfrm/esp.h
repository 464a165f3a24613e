/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ESP (src/esp): the transform of an SA through the kernel crypto API, and
 * (with the data path) ESP packets for IPv4 and IPv6.
 */
#ifndef _OXFRM_ESP_H
#define _OXFRM_ESP_H

struct netlink_ext_ack;
struct oxfrm_state;

/* state.c */
int oxfrm_esp_init_state(struct oxfrm_state *x, struct netlink_ext_ack *extack);
void oxfrm_esp_destroy_state(struct oxfrm_state *x);

#endif /* _OXFRM_ESP_H */
