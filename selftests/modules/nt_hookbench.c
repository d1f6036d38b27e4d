// SPDX-License-Identifier: GPL-2.0
/*
 * nt_hookbench: for the policy benchmark only, never installed. The time
 * one packet takes through the IPv4 input hooks of a network namespace,
 * whatever registered them (nt_policy, nftables, iptables), measured by
 * passing one crafted packet through them many times in a row. It leaves
 * out everything else a packet costs (driver, IP, sockets), which under
 * TCG drowns the difference between two engines in noise.
 *
 * In the namespace to measure:
 *   echo "udp|tcp SADDR DADDR SPORT DPORT IFINDEX ITERS" \
 *       > /sys/module/nt_hookbench/parameters/run
 *   cat /sys/module/nt_hookbench/parameters/result
 * gives "NS_PER_PACKET ITERS". Every hook must accept the packet: one
 * that takes it (drop, queue, steal) ends the run with -EBADMSG.
 */
#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/netdevice.h>
#include <linux/inet.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/skbuff.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <net/ip.h>
#include <net/net_namespace.h>

#define HB_BATCH 256
#define HB_PAYLOAD 64

static DEFINE_MUTEX(hb_lock);
static char hb_result[64] = "none";

static int hb_okfn(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	return 0;
}

static struct sk_buff *hb_packet(bool tcp, __be32 saddr, __be32 daddr,
				 u16 sport, u16 dport, struct net_device *dev)
{
	unsigned int l4 = tcp ? sizeof(struct tcphdr) :
			  sizeof(struct udphdr) + HB_PAYLOAD;
	struct sk_buff *skb;
	struct iphdr *iph;

	skb = alloc_skb(LL_MAX_HEADER + sizeof(*iph) + l4, GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = tcp ? IPPROTO_TCP : IPPROTO_UDP;
	iph->saddr = saddr;
	iph->daddr = daddr;
	iph->tot_len = htons(sizeof(*iph) + l4);
	ip_send_check(iph);
	skb_set_transport_header(skb, sizeof(*iph));
	if (tcp) {
		struct tcphdr *th = skb_put_zero(skb, sizeof(*th));

		th->source = htons(sport);
		th->dest = htons(dport);
		th->doff = sizeof(*th) / 4;
		th->ack = 1;
		th->window = htons(512);
	} else {
		struct udphdr *uh = skb_put_zero(skb, sizeof(*uh) + HB_PAYLOAD);

		uh->source = htons(sport);
		uh->dest = htons(dport);
		uh->len = htons(sizeof(*uh) + HB_PAYLOAD);
	}
	skb->protocol = htons(ETH_P_IP);
	skb->pkt_type = PACKET_HOST;
	skb->dev = dev;
	skb->skb_iif = dev->ifindex;
	return skb;
}

static int hb_run(const char *val, const struct kernel_param *kp)
{
	struct net *net = current->nsproxy->net_ns;
	char proto[8], sa[16], da[16];
	unsigned int iters, i, j;
	struct net_device *dev;
	struct sk_buff *skb;
	__be32 saddr, daddr;
	u16 sport, dport;
	int ifindex, ret = 0;
	u64 t0, ns;

	if (sscanf(val, "%7s %15s %15s %hu %hu %d %u", proto, sa, da, &sport,
		   &dport, &ifindex, &iters) != 7 ||
	    (strcmp(proto, "tcp") && strcmp(proto, "udp")) ||
	    !in4_pton(sa, -1, (u8 *)&saddr, -1, NULL) ||
	    !in4_pton(da, -1, (u8 *)&daddr, -1, NULL) ||
	    !iters || iters > 100000000)
		return -EINVAL;
	dev = dev_get_by_index(net, ifindex);
	if (!dev)
		return -ENODEV;
	skb = hb_packet(!strcmp(proto, "tcp"), saddr, daddr, sport, dport,
			dev);
	if (!skb) {
		dev_put(dev);
		return -ENOMEM;
	}
	mutex_lock(&hb_lock);
	t0 = ktime_get_ns();
	for (i = 0; i < iters && !ret; i += HB_BATCH) {
		/* as on the receive path: bottom halves off, under RCU */
		local_bh_disable();
		for (j = 0; j < HB_BATCH && i + j < iters; j++) {
			if (nf_hook(NFPROTO_IPV4, NF_INET_LOCAL_IN, net, NULL,
				    skb, dev, NULL, hb_okfn) != 1) {
				skb = NULL;	/* a hook took it */
				ret = -EBADMSG;
				break;
			}
		}
		local_bh_enable();
		cond_resched();
	}
	ns = ktime_get_ns() - t0;
	if (!ret) {
		u32 rem;
		u64 whole = div_u64_rem(ns, iters, &rem);

		snprintf(hb_result, sizeof(hb_result), "%llu.%02llu %u", whole,
			 div_u64((u64)rem * 100, iters), iters);
	} else {
		strscpy(hb_result, "taken", sizeof(hb_result));
	}
	mutex_unlock(&hb_lock);
	kfree_skb(skb);
	dev_put(dev);
	return ret;
}

static const struct kernel_param_ops hb_run_ops = {
	.set = hb_run,
};
module_param_cb(run, &hb_run_ops, NULL, 0200);
MODULE_PARM_DESC(run, "udp|tcp SADDR DADDR SPORT DPORT IFINDEX ITERS");
module_param_string(result, hb_result, sizeof(hb_result), 0444);
MODULE_PARM_DESC(result, "ns per packet through the input hooks, and ITERS");

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ntkit test: the cost of a netns's IPv4 input hooks");
