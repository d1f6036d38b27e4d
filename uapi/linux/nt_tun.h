/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * nt_tun: the generic netlink family of the ntkit UDP tunnel device.
 *
 * Devices are made with rtnetlink: `ip link add nt0 type nttun`. This family
 * (NT_TUN_GENL_NAME, "nt_tun", version NTKIT_GENL_VERSION, per network
 * namespace, multicast group "events") sets them up. A device is named by
 * NT_TUN_A_IFINDEX or NT_TUN_A_IFNAME in the namespace of the request.
 * Every command, reading too, and the events need CAP_NET_ADMIN in the
 * namespace's user namespace (peers and endpoints are as private as wg
 * show's). NT_TUN_A_LISTEN_PORT, _FWMARK, _SPORT_MIN, _SPORT_MAX, _TTL and
 * _DSCP act where the device's sockets are, the namespace it was created
 * in, and need CAP_NET_ADMIN there too.
 *
 * NT_TUN_CMD_DEV_GET
 *   doit  NT_TUN_A_IFINDEX | NT_TUN_A_IFNAME              one device
 *   dumpit (no attributes)                                every nttun device
 *   reply:
 *     NT_TUN_A_IFINDEX        NLA_U32
 *     NT_TUN_A_IFNAME         NLA_NUL_STRING
 *     NT_TUN_A_LISTEN_PORT    NLA_U16, the configured port; 0 = any
 *     NT_TUN_A_BOUND_PORT     NLA_U16, the port in use while the device is
 *                             up (the one picked when LISTEN_PORT is 0)
 *     NT_TUN_A_FWMARK         NLA_U32, mark of outer packets (routing)
 *     NT_TUN_A_TTL            NLA_U8, outer TTL / hop limit: 0 = inherit
 *                             the inner packet's, 1..255 fixed (default 0)
 *     NT_TUN_A_DSCP           NLA_U8, outer DSCP: 0..63 fixed, or
 *                             NT_TUN_DSCP_INHERIT (64) (default inherit)
 *     NT_TUN_A_VNI            NLA_U32, virtual network id sent and required
 *                             on receive (default 0)
 *     NT_TUN_A_SPORT_MIN      NLA_U16, 1..65535, outer source ports are
 *     NT_TUN_A_SPORT_MAX      NLA_U16  MIN..MAX from the inner flow hash
 *                             (default 49152..65535)
 *     NT_TUN_A_PEERS          NLA_U32, number of peers
 *     NT_TUN_A_ALLOWEDIPS     NLA_U32, number of allowed-ips (all peers)
 *     NT_TUN_A_DROPS          NLA_NESTED, device-wide drops by reason:
 *       NT_TUN_DROP_*         NLA_U64 each (the attribute type is the
 *                             reason, enum nt_tun_drop)
 *
 * NT_TUN_CMD_DEV_SET      the device and any of LISTEN_PORT, FWMARK, TTL,
 *                         DSCP, VNI, SPORT_MIN, SPORT_MAX. A new port takes
 *                         effect at once on a device that is up (-EADDRINUSE
 *                         leaves the old one).
 *
 * NT_TUN_CMD_PEER_GET     dumpit: the device (required) and optionally
 *                         NT_TUN_A_PEER { NT_TUN_PEER_A_ID } for one peer.
 *   One message per peer, in id order:
 *     NT_TUN_A_IFINDEX
 *     NT_TUN_A_PEER                     NLA_NESTED
 *       NT_TUN_PEER_A_ID                NLA_U32, 1..2^32-1
 *       NT_TUN_PEER_A_ENDPOINT          struct sockaddr_in or sockaddr_in6
 *       NT_TUN_PEER_A_KEEPALIVE         NLA_U16, seconds, 0 (off)..3600
 *       NT_TUN_PEER_A_ALLOWEDIPS        NLA_NESTED, a list of
 *         NT_TUN_PEER_A_ALLOWEDIP       NLA_NESTED
 *           NT_TUN_AIP_A_FAMILY         NLA_U16, AF_INET or AF_INET6
 *           NT_TUN_AIP_A_ADDR           NLA_BINARY, 4 or 16 bytes
 *           NT_TUN_AIP_A_CIDR           NLA_U8, 0..32 or 0..128
 *       NT_TUN_PEER_A_RX_PACKETS        NLA_U64 \
 *       NT_TUN_PEER_A_RX_BYTES          NLA_U64  | inner packets and bytes
 *       NT_TUN_PEER_A_TX_PACKETS        NLA_U64  |
 *       NT_TUN_PEER_A_TX_BYTES          NLA_U64 /
 *       NT_TUN_PEER_A_LAST_RX           NLA_U64, ns since the epoch of the
 *                                       last packet received (0: never)
 *       NT_TUN_PEER_A_DROPS             NLA_NESTED, drops by reason
 *   A peer with more allowed-ips than fit in one message continues in the
 *   next message(s), which repeat NT_TUN_PEER_A_ID and carry only the
 *   rest of its NT_TUN_PEER_A_ALLOWEDIPS.
 *
 * NT_TUN_CMD_PEER_NEW     the device and NT_TUN_A_PEER with ID, ENDPOINT
 *                         (required), ALLOWEDIPS, KEEPALIVE. -EEXIST if the
 *                         id or the endpoint is taken. An allowed-ip held by
 *                         another peer moves to this one (as WireGuard).
 * NT_TUN_CMD_PEER_SET     the device and NT_TUN_A_PEER with ID and any of
 *                         ENDPOINT, KEEPALIVE, ALLOWEDIPS (replaces the
 *                         peer's whole list; an empty nest clears it).
 * NT_TUN_CMD_PEER_DEL     the device and NT_TUN_A_PEER { ID }.
 *
 * Limits, per device (module parameters): max_peers (default 65536) and
 * max_allowedips (default 262144); past them -ENOSPC with a message.
 *
 * Events: every successful DEV_SET, PEER_NEW, PEER_SET and PEER_DEL is
 * multicast on "events" as a message of the same command with IFINDEX and
 * the peer's ID, ENDPOINT and KEEPALIVE (not its allowed-ips). The first
 * packet received from a peer since it was added sends
 * NT_TUN_CMD_PEER_CONTACT with IFINDEX, ID and ENDPOINT.
 *
 * Wire format (Documentation/tunnel.rst): outer IPv4/IPv6, UDP, then
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------+-------+---------------+-------------------------------+
 *  |Ver = 1| Flags | Inner proto   |        Reserved (0)           |
 *  +-------+-------+---------------+-------------------------------+
 *  |                   Virtual network id                          |
 *  +---------------------------------------------------------------+
 * then the inner packet. Inner proto: 4 IPv4, 41 IPv6, 0 none (a
 * keepalive: the header alone). Flags and Reserved are sent as 0 and
 * ignored on receive.
 */
#ifndef _UAPI_LINUX_NT_TUN_H
#define _UAPI_LINUX_NT_TUN_H

#include <linux/ntkit.h>

#define NT_TUN_LINK_KIND	"nttun"
#define NT_TUN_HDR_LEN		8
#define NT_TUN_VERSION		1
#define NT_TUN_PROTO_NONE	0
#define NT_TUN_PROTO_IPV4	4
#define NT_TUN_PROTO_IPV6	41
#define NT_TUN_DSCP_INHERIT	64
#define NT_TUN_KEEPALIVE_MAX	3600
#define NT_TUN_SPORT_MIN_DEFAULT 49152
#define NT_TUN_SPORT_MAX_DEFAULT 65535

enum nt_tun_cmd {
	NT_TUN_CMD_UNSPEC,
	NT_TUN_CMD_DEV_GET,
	NT_TUN_CMD_DEV_SET,
	NT_TUN_CMD_PEER_GET,
	NT_TUN_CMD_PEER_NEW,
	NT_TUN_CMD_PEER_SET,
	NT_TUN_CMD_PEER_DEL,
	NT_TUN_CMD_PEER_CONTACT,	/* event only */
	__NT_TUN_CMD_MAX,
};

#define NT_TUN_CMD_MAX (__NT_TUN_CMD_MAX - 1)

enum nt_tun_attr {
	NT_TUN_A_UNSPEC,
	NT_TUN_A_IFINDEX,
	NT_TUN_A_IFNAME,
	NT_TUN_A_LISTEN_PORT,
	NT_TUN_A_BOUND_PORT,
	NT_TUN_A_FWMARK,
	NT_TUN_A_TTL,
	NT_TUN_A_DSCP,
	NT_TUN_A_VNI,
	NT_TUN_A_SPORT_MIN,
	NT_TUN_A_SPORT_MAX,
	NT_TUN_A_PEERS,
	NT_TUN_A_ALLOWEDIPS,
	NT_TUN_A_DROPS,
	NT_TUN_A_PEER,
	NT_TUN_A_PAD,
	__NT_TUN_A_MAX,
};

#define NT_TUN_A_MAX (__NT_TUN_A_MAX - 1)

enum nt_tun_peer_attr {
	NT_TUN_PEER_A_UNSPEC,
	NT_TUN_PEER_A_ID,
	NT_TUN_PEER_A_ENDPOINT,
	NT_TUN_PEER_A_KEEPALIVE,
	NT_TUN_PEER_A_ALLOWEDIPS,
	NT_TUN_PEER_A_RX_PACKETS,
	NT_TUN_PEER_A_RX_BYTES,
	NT_TUN_PEER_A_TX_PACKETS,
	NT_TUN_PEER_A_TX_BYTES,
	NT_TUN_PEER_A_LAST_RX,
	NT_TUN_PEER_A_DROPS,
	NT_TUN_PEER_A_PAD,
	__NT_TUN_PEER_A_MAX,
};

#define NT_TUN_PEER_A_MAX (__NT_TUN_PEER_A_MAX - 1)

/* The one attribute type inside NT_TUN_PEER_A_ALLOWEDIPS. */
#define NT_TUN_PEER_A_ALLOWEDIP 1

enum nt_tun_aip_attr {
	NT_TUN_AIP_A_UNSPEC,
	NT_TUN_AIP_A_FAMILY,
	NT_TUN_AIP_A_ADDR,
	NT_TUN_AIP_A_CIDR,
	__NT_TUN_AIP_A_MAX,
};

#define NT_TUN_AIP_A_MAX (__NT_TUN_AIP_A_MAX - 1)

/* Why a packet was dropped: the attribute types of the *_DROPS nests. */
enum nt_tun_drop {
	NT_TUN_DROP_UNSPEC,
	/* tx: no allowed-ip holds the inner destination (ICMP unreachable) */
	NT_TUN_DROP_NO_PEER,
	/* tx: no underlay route to the endpoint, or one through the tunnel */
	NT_TUN_DROP_NO_ROUTE,
	/* tx: over the path MTU, may not be fragmented (ICMP sent back) */
	NT_TUN_DROP_TOO_BIG,
	/* tx: not a well-formed IPv4/IPv6 packet */
	NT_TUN_DROP_BAD_INNER,
	/* rx: the outer source is no peer's endpoint */
	NT_TUN_DROP_UNKNOWN_SENDER,
	/* rx: the virtual network id differs */
	NT_TUN_DROP_WRONG_VNI,
	/* rx: truncated, unknown version or inner protocol, malformed inner */
	NT_TUN_DROP_BAD_HEADER,
	/* rx: the inner source is outside the sending peer's allowed-ips */
	NT_TUN_DROP_SPOOFED,
	/* rx: CE outer on a Not-ECT inner (RFC 6040) */
	NT_TUN_DROP_ECN,
	/* either way: out of memory */
	NT_TUN_DROP_NOMEM,
	__NT_TUN_DROP_MAX,
};

#define NT_TUN_DROP_MAX (__NT_TUN_DROP_MAX - 1)

#endif /* _UAPI_LINUX_NT_TUN_H */
