// Interface facts from SIOCGIFHWADDR (link type and MAC), the interface flags, getifaddrs and the
// rp_filter sysctls.
#include "core/interface_facts.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <algorithm>
#include <cstring>
#include <fstream>

#include "core/interface.h"
#include "net/fd.h"

namespace mcr {

namespace {

std::optional<in_addr> first_ipv4_address(const std::string& name) {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return std::nullopt;
  std::optional<in_addr> found;
  for (const ifaddrs* entry = list; entry != nullptr && !found; entry = entry->ifa_next) {
    if (entry->ifa_addr == nullptr || entry->ifa_addr->sa_family != AF_INET || name != entry->ifa_name) continue;
    sockaddr_in address{};
    std::memcpy(&address, entry->ifa_addr, sizeof(address));
    found = address.sin_addr;
  }
  freeifaddrs(list);
  return found;
}

// Asks the kernel which source it would use: a UDP socket connected to the group through the
// interface (IPV6_MULTICAST_IF, as the output socket sets it) runs the same source address
// selection (RFC 6724: scope, deprecated and tentative addresses) without sending anything.
std::optional<in6_addr> kernel_ipv6_source(unsigned ifindex, const in6_addr& group) {
  Fd probe(socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!probe) return std::nullopt;
  const int index = static_cast<int>(ifindex);
  if (setsockopt(probe.get(), IPPROTO_IPV6, IPV6_MULTICAST_IF, &index, sizeof(index)) != 0) return std::nullopt;
  sockaddr_in6 destination{};
  destination.sin6_family = AF_INET6;
  destination.sin6_addr = group;
  destination.sin6_port = htons(9);  // any port: connect() only routes
  destination.sin6_scope_id = ifindex;
  if (connect(probe.get(), reinterpret_cast<const sockaddr*>(&destination), sizeof(destination)) != 0) {
    return std::nullopt;
  }
  sockaddr_in6 source{};
  socklen_t length = sizeof(source);
  if (getsockname(probe.get(), reinterpret_cast<sockaddr*>(&source), &length) != 0) return std::nullopt;
  if (IN6_IS_ADDR_UNSPECIFIED(&source.sin6_addr)) return std::nullopt;
  return source.sin6_addr;
}

// One net.ipv4.conf.<device>.<setting>; 0 when unreadable (no IPv4 on the interface, no /proc).
uint32_t read_ipv4_conf(const std::string& device, const char* setting) {
  std::ifstream file("/proc/sys/net/ipv4/conf/" + device + "/" + setting);
  int value = 0;
  if (!(file >> value) || value < 0) return 0;
  return static_cast<uint32_t>(value);
}

uint32_t read_rp_filter(const std::string& device) {
  return std::min<uint32_t>(read_ipv4_conf(device, "rp_filter"), MCR_EBPF_RP_FILTER_LOOSE);
}

// The kernel's IN_DEV_RPFILTER: the stricter-looking (larger) of "all" and the device's own.
uint32_t effective_rp_filter(const std::string& name) {
  return std::max(read_rp_filter("all"), read_rp_filter(name));
}

}  // namespace

std::optional<InterfaceFacts> read_interface_facts(const std::string& name) {
  const InterfaceStatus status = query_interface(name);
  if (!status.exists()) return std::nullopt;
  InterfaceFacts facts;
  facts.index = status.index;
  facts.up = status.up;
  Fd probe(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  ifreq request{};
  std::strncpy(request.ifr_name, name.c_str(), IFNAMSIZ - 1);
  if (probe && ioctl(probe.get(), SIOCGIFHWADDR, &request) == 0) {
    facts.ethernet = request.ifr_hwaddr.sa_family == ARPHRD_ETHER;
    std::copy_n(reinterpret_cast<const uint8_t*>(request.ifr_hwaddr.sa_data), facts.mac.size(), facts.mac.begin());
  }
  facts.ipv4 = first_ipv4_address(name);
  facts.rp_filter = effective_rp_filter(name);
  facts.ipv4_forwarding = read_ipv4_conf(name, "forwarding") != 0;  // IN_DEV_FORWARD: the device's own
  facts.ipv6_source = [index = status.index](const in6_addr& group) { return kernel_ipv6_source(index, group); };
  return facts;
}

}  // namespace mcr
