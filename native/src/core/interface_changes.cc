// rtnetlink message parsing for the interface monitor: link messages give index, name and
// deletion; address messages give only an index (the address itself does not matter here); IPv4
// netconf messages give the index whose rp_filter or forwarding changed.
// Walked by hand with memcpy: the kernel's NLMSG_*/RTA_* macros use C casts and assume alignment.
#include "core/interface_changes.h"

#include <sys/socket.h>

#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netconf.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

namespace mcr {

namespace {

template <typename Header>
bool read_header(std::string_view bytes, Header& header) {
  if (bytes.size() < sizeof(Header)) return false;
  std::memcpy(&header, bytes.data(), sizeof(Header));
  return true;
}

// IFLA_IFNAME among a link message's attributes, bounded by the attribute length (the kernel
// NUL-terminates it; a malformed message may not).
std::string link_name(std::string_view attributes) {
  rtattr attribute{};
  while (read_header(attributes, attribute)) {
    if (attribute.rta_len < sizeof(rtattr) || attribute.rta_len > attributes.size()) break;
    if (attribute.rta_type == IFLA_IFNAME) {
      const std::string_view text = attributes.substr(RTA_LENGTH(0), attribute.rta_len - RTA_LENGTH(0));
      return std::string(text.substr(0, text.find('\0')));
    }
    attributes.remove_prefix(std::min<size_t>(RTA_ALIGN(attribute.rta_len), attributes.size()));
  }
  return {};
}

void collect_link(uint16_t type, std::string_view body, InterfaceChanges& changes) {
  ifinfomsg link{};
  if (!read_header(body, link)) return;
  if (link.ifi_index > 0) changes.indexes.insert(static_cast<unsigned>(link.ifi_index));
  std::string name = link_name(body.substr(std::min<size_t>(NLMSG_ALIGN(sizeof(ifinfomsg)), body.size())));
  if (name.empty()) return;
  if (type == RTM_DELLINK) changes.deleted.insert(name);
  changes.names.insert(std::move(name));
}

void collect_address(std::string_view body, InterfaceChanges& changes) {
  ifaddrmsg address{};
  if (!read_header(body, address)) return;
  if (address.ifa_index > 0) changes.indexes.insert(address.ifa_index);
}

// Which interface an IPv4 netconf message is about, when it reports a sysctl the eBPF rules read
// (rp_filter; forwarding, which the program's route lookup needs). The "default" entry is left out:
// it only seeds interfaces created later, which are read when they appear.
void collect_ipv4_conf(std::string_view body, InterfaceChanges& changes) {
  netconfmsg message{};
  if (!read_header(body, message) || message.ncm_family != AF_INET) return;
  std::string_view attributes = body.substr(std::min<size_t>(NLMSG_ALIGN(sizeof(netconfmsg)), body.size()));
  std::optional<int32_t> index;
  bool relevant = false;
  rtattr attribute{};
  while (read_header(attributes, attribute)) {
    if (attribute.rta_len < sizeof(rtattr) || attribute.rta_len > attributes.size()) break;
    if (attribute.rta_type == NETCONFA_IFINDEX && attribute.rta_len >= RTA_LENGTH(sizeof(int32_t))) {
      int32_t value = 0;
      std::memcpy(&value, attributes.data() + RTA_LENGTH(0), sizeof(value));
      index = value;
    }
    if (attribute.rta_type == NETCONFA_RP_FILTER || attribute.rta_type == NETCONFA_FORWARDING) relevant = true;
    attributes.remove_prefix(std::min<size_t>(RTA_ALIGN(attribute.rta_len), attributes.size()));
  }
  if (!relevant || !index) return;
  if (*index == NETCONFA_IFINDEX_ALL) changes.ipv4_conf_all = true;
  if (*index > 0) changes.ipv4_conf_indexes.insert(static_cast<unsigned>(*index));
}

}  // namespace

void collect_interface_changes(const void* data, size_t length, InterfaceChanges& changes) {
  std::string_view messages(static_cast<const char*>(data), length);
  nlmsghdr header{};
  while (read_header(messages, header)) {
    if (header.nlmsg_len < NLMSG_HDRLEN || header.nlmsg_len > messages.size()) return;  // truncated
    const std::string_view body = messages.substr(NLMSG_HDRLEN, header.nlmsg_len - NLMSG_HDRLEN);
    switch (header.nlmsg_type) {
      case RTM_NEWLINK:
      case RTM_DELLINK:
        collect_link(header.nlmsg_type, body, changes);
        break;
      case RTM_NEWADDR:
      case RTM_DELADDR:
        collect_address(body, changes);
        break;
      case RTM_NEWNETCONF:
        collect_ipv4_conf(body, changes);
        break;
      case NLMSG_OVERRUN:
        changes.everything = true;
        break;
      default:
        break;
    }
    messages.remove_prefix(std::min<size_t>(NLMSG_ALIGN(header.nlmsg_len), messages.size()));
  }
}

}  // namespace mcr
