// The querier's sockets on one interface. Reports are read from a packet socket: without
// multicast routing the kernel hands an IGMPv2/MLDv1 report, which is addressed to its group,
// to a raw IP socket only when this host joined that group itself, so a raw socket would see
// just IGMPv3/MLDv2 reports. Queries go out of a raw IP socket, which adds the IP header with
// TTL / hop limit 1, the Router Alert option and (ICMPv6) the checksum.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "net/address.h"
#include "net/fd.h"

namespace mcr::membership {

// AF_PACKET socket bound to `ifindex`, filtered in the kernel (BPF) to IGMP or to IPv6 with a
// hop-by-hop header, with all-multicast reception on. Non-blocking. Throws SystemError.
Fd open_membership_listener(int family, unsigned ifindex);

// Raw IGMP or ICMPv6 socket that sends on `ifindex`. Throws SystemError.
Fd open_query_sender(int family, unsigned ifindex);

// Sends a query: a general one to 224.0.0.1 / ff02::1, a group-specific one to the group.
// Returns errno, 0 when sent.
int send_query(const Fd& sender, unsigned ifindex, const IpAddress& group, std::span<const uint8_t> message);

// The source address queries leave with and the election compares: the interface's first IPv4
// address, or its IPv6 link-local address. nullopt when it has none (yet).
std::optional<IpAddress> interface_query_address(const std::string& interface, int family);

}  // namespace mcr::membership
