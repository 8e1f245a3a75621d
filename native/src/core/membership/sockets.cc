#include "core/membership/sockets.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "core/membership/message.h"
#include "net/system_error.h"

namespace mcr::membership {
namespace {

constexpr char kField[] = "querierInterfaces";

void set_option(int fd, int level, int name, const void* value, socklen_t length, const char* what) {
  if (setsockopt(fd, level, name, value, length) != 0) throw SystemError(kField, errno, what);
}

void set_int(int fd, int level, int name, int value, const char* what) {
  set_option(fd, level, name, &value, sizeof value, what);
}

// Accepts an IPv4 packet whose protocol is IGMP (2), or an IPv6 packet whose next header is
// hop-by-hop (0), which every MLD message has; the rest of the check is the parser's.
void attach_filter(int fd, int family) {
  sock_filter ipv4[] = {
      BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_IGMP, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, 0xffff),
      BPF_STMT(BPF_RET | BPF_K, 0),
  };
  sock_filter ipv6[] = {
      BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 6),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, 0xffff),
      BPF_STMT(BPF_RET | BPF_K, 0),
  };
  sock_fprog program{4, family == AF_INET ? ipv4 : ipv6};
  set_option(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof program, "cannot filter the membership socket");
}

}  // namespace

Fd open_membership_listener(int family, unsigned ifindex) {
  const uint16_t protocol = htons(family == AF_INET ? ETH_P_IP : ETH_P_IPV6);
  // Protocol 0 first: nothing is queued before the filter is attached and the socket bound.
  Fd fd(socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) throw SystemError(kField, errno, "cannot open a packet socket (CAP_NET_RAW is needed)");
  attach_filter(fd.get(), family);
  set_int(fd.get(), SOL_PACKET, PACKET_IGNORE_OUTGOING, 1, "cannot ignore outgoing packets");
  sockaddr_ll address{};
  address.sll_family = AF_PACKET;
  address.sll_protocol = protocol;
  address.sll_ifindex = static_cast<int>(ifindex);
  if (bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    throw SystemError(kField, errno, "cannot bind the packet socket to the interface");
  }
  // IGMPv2/MLDv1 reports go to their group's MAC address, which the NIC filters out otherwise.
  packet_mreq membership{};
  membership.mr_ifindex = static_cast<int>(ifindex);
  membership.mr_type = PACKET_MR_ALLMULTI;
  set_option(fd.get(), SOL_PACKET, PACKET_ADD_MEMBERSHIP, &membership, sizeof membership,
             "cannot receive all multicast on the interface");
  return fd;
}

Fd open_query_sender(int family, unsigned ifindex) {
  const int protocol = family == AF_INET ? int{IPPROTO_IGMP} : int{IPPROTO_ICMPV6};
  Fd fd(socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol));
  if (!fd) throw SystemError(kField, errno, "cannot open a raw socket for queries (CAP_NET_RAW is needed)");
  if (family == AF_INET) {
    const uint8_t router_alert[4] = {0x94, 0x04, 0, 0};  // RFC 2113, required by RFC 2236/3376
    set_option(fd.get(), IPPROTO_IP, IP_OPTIONS, router_alert, sizeof router_alert, "cannot set Router Alert");
    set_int(fd.get(), IPPROTO_IP, IP_MULTICAST_TTL, 1, "cannot set the query TTL");
    set_int(fd.get(), IPPROTO_IP, IP_MULTICAST_LOOP, 0, "cannot turn off multicast loop");
    ip_mreqn interface {};
    interface.imr_ifindex = static_cast<int>(ifindex);
    set_option(fd.get(), IPPROTO_IP, IP_MULTICAST_IF, &interface, sizeof interface, "cannot choose the interface");
  } else {
    // Hop-by-hop header: Router Alert (value 0: MLD, RFC 2711) and a 2-byte PadN.
    const uint8_t hop_by_hop[8] = {0, 0, 5, 2, 0, 0, 1, 0};
    set_option(fd.get(), IPPROTO_IPV6, IPV6_HOPOPTS, hop_by_hop, sizeof hop_by_hop, "cannot set Router Alert");
    set_int(fd.get(), IPPROTO_IPV6, IPV6_MULTICAST_HOPS, 1, "cannot set the query hop limit");
    set_int(fd.get(), IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0, "cannot turn off multicast loop");
    set_int(fd.get(), IPPROTO_IPV6, IPV6_MULTICAST_IF, static_cast<int>(ifindex), "cannot choose the interface");
  }
  return fd;
}

int send_query(const Fd& sender, unsigned ifindex, const IpAddress& group, std::span<const uint8_t> message) {
  IpAddress destination = group;
  if (is_unspecified(group)) {
    destination = *parse_ip_address(group.family == AF_INET ? "224.0.0.1" : "ff02::1");  // all nodes
  }
  const SocketAddress to = make_socket_address(destination, 0, ifindex);
  const ssize_t sent = sendto(sender.get(), message.data(), message.size(), 0, to.get(), to.length);
  return sent < 0 ? errno : 0;
}

std::optional<IpAddress> interface_query_address(const std::string& interface, int family) {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return std::nullopt;
  std::optional<IpAddress> found;
  for (const ifaddrs* entry = list; entry != nullptr && !found; entry = entry->ifa_next) {
    if (entry->ifa_addr == nullptr || entry->ifa_addr->sa_family != family || interface != entry->ifa_name) continue;
    IpAddress address = unspecified_address(family);
    if (family == AF_INET) {
      address.v4 = reinterpret_cast<const sockaddr_in*>(entry->ifa_addr)->sin_addr;
      found = address;
    } else {
      address.v6 = reinterpret_cast<const sockaddr_in6*>(entry->ifa_addr)->sin6_addr;
      if (IN6_IS_ADDR_LINKLOCAL(&address.v6)) found = address;
    }
  }
  freeifaddrs(list);
  return found;
}

}  // namespace mcr::membership
