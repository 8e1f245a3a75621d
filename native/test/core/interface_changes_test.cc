// rtnetlink parsing of the interface monitor, on hand-built messages: which interfaces a burst
// names, which were deleted, and that malformed or foreign messages are ignored safely.
#include "core/interface_changes.h"

#include <gtest/gtest.h>
#include <linux/if_addr.h>
#include <linux/netconf.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace mcr {
namespace {

// Appends one rtnetlink message: header, fixed part, then `attributes` (already encoded).
template <typename Fixed>
void append_message(std::vector<char>& buffer, uint16_t type, const Fixed& fixed,
                    const std::vector<char>& attributes = {}) {
  std::vector<char> message(NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(Fixed)), 0);
  std::memcpy(message.data() + NLMSG_HDRLEN, &fixed, sizeof(Fixed));
  message.insert(message.end(), attributes.begin(), attributes.end());
  nlmsghdr header{};
  header.nlmsg_type = type;
  header.nlmsg_len = static_cast<uint32_t>(message.size());
  std::memcpy(message.data(), &header, sizeof(header));
  message.resize(NLMSG_ALIGN(message.size()), 0);
  buffer.insert(buffer.end(), message.begin(), message.end());
}

// An IFLA_IFNAME attribute carrying `name` and its terminating NUL.
std::vector<char> name_attribute(const std::string& name) {
  rtattr attribute{};
  attribute.rta_type = IFLA_IFNAME;
  attribute.rta_len = static_cast<uint16_t>(RTA_LENGTH(name.size() + 1));
  std::vector<char> encoded(RTA_ALIGN(attribute.rta_len), 0);
  std::memcpy(encoded.data(), &attribute, sizeof(attribute));
  std::copy(name.begin(), name.end(), encoded.begin() + RTA_LENGTH(0));
  return encoded;
}

// A 32-bit netconf attribute (NETCONFA_IFINDEX, NETCONFA_RP_FILTER...).
std::vector<char> int_attribute(uint16_t type, int32_t value) {
  rtattr attribute{};
  attribute.rta_type = type;
  attribute.rta_len = static_cast<uint16_t>(RTA_LENGTH(sizeof(value)));
  std::vector<char> encoded(RTA_ALIGN(attribute.rta_len), 0);
  std::memcpy(encoded.data(), &attribute, sizeof(attribute));
  std::memcpy(encoded.data() + RTA_LENGTH(0), &value, sizeof(value));
  return encoded;
}

// What the kernel sends when net.ipv4.conf.<interface>.<sysctl> changes.
void append_netconf(std::vector<char>& buffer, uint8_t family, int32_t index, uint16_t sysctl, int32_t value) {
  netconfmsg message{};
  message.ncm_family = family;
  std::vector<char> attributes = int_attribute(NETCONFA_IFINDEX, index);
  const std::vector<char> setting = int_attribute(sysctl, value);
  attributes.insert(attributes.end(), setting.begin(), setting.end());
  append_message(buffer, RTM_NEWNETCONF, message, attributes);
}

ifinfomsg link_with_index(int index) {
  ifinfomsg link{};
  link.ifi_index = index;
  return link;
}

TEST(InterfaceChanges, NamesLinksByNameAndIndexAndMarksDeletions) {
  std::vector<char> buffer;
  append_message(buffer, RTM_NEWLINK, link_with_index(7), name_attribute("in0"));
  append_message(buffer, RTM_DELLINK, link_with_index(8), name_attribute("out0"));
  InterfaceChanges changes;
  collect_interface_changes(buffer.data(), buffer.size(), changes);
  EXPECT_EQ(changes.names, (std::set<std::string>{"in0", "out0"}));
  EXPECT_EQ(changes.indexes, (std::set<unsigned>{7, 8}));
  EXPECT_EQ(changes.deleted, (std::set<std::string>{"out0"}));
  EXPECT_FALSE(changes.everything);
}

TEST(InterfaceChanges, AddressMessagesNameTheirInterfaceByIndex) {
  std::vector<char> buffer;
  ifaddrmsg address{};
  address.ifa_family = AF_INET6;
  address.ifa_index = 12;
  append_message(buffer, RTM_NEWADDR, address);
  address.ifa_index = 13;
  append_message(buffer, RTM_DELADDR, address);
  InterfaceChanges changes;
  collect_interface_changes(buffer.data(), buffer.size(), changes);
  EXPECT_EQ(changes.indexes, (std::set<unsigned>{12, 13}));
  EXPECT_TRUE(changes.names.empty());
  EXPECT_TRUE(changes.deleted.empty());
}

TEST(InterfaceChanges, IgnoresOtherMessagesAndStopsAtATruncatedOne) {
  std::vector<char> buffer;
  rtmsg route{};
  append_message(buffer, RTM_NEWROUTE, route);
  append_message(buffer, RTM_NEWLINK, link_with_index(3), name_attribute("eth3"));
  const size_t whole = buffer.size();
  append_message(buffer, RTM_NEWLINK, link_with_index(4), name_attribute("eth4"));
  InterfaceChanges changes;
  collect_interface_changes(buffer.data(), whole + 20, changes);  // the last message is cut short
  EXPECT_EQ(changes.names, (std::set<std::string>{"eth3"}));
  EXPECT_EQ(changes.indexes, (std::set<unsigned>{3}));
}

TEST(InterfaceChanges, ANameWithoutTerminatorIsBoundedByItsAttribute) {
  std::vector<char> buffer;
  append_message(buffer, RTM_NEWLINK, link_with_index(5), name_attribute("wg0"));
  // Overwrite the NUL: the name must still end at the attribute's end, not run into the next bytes.
  const size_t name_at = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(ifinfomsg)) + RTA_LENGTH(0);
  buffer[name_at + 3] = 'X';
  InterfaceChanges changes;
  collect_interface_changes(buffer.data(), buffer.size(), changes);
  EXPECT_EQ(changes.names, (std::set<std::string>{"wg0X"}));
}

TEST(InterfaceChanges, Ipv4RpFilterAndForwardingChangesNameTheirInterfaceOrAll) {
  std::vector<char> buffer;
  append_netconf(buffer, AF_INET, 7, NETCONFA_RP_FILTER, 1);
  append_netconf(buffer, AF_INET, 8, NETCONFA_FORWARDING, 1);
  append_netconf(buffer, AF_INET, NETCONFA_IFINDEX_ALL, NETCONFA_RP_FILTER, 2);
  InterfaceChanges changes;
  collect_interface_changes(buffer.data(), buffer.size(), changes);
  EXPECT_EQ(changes.ipv4_conf_indexes, (std::set<unsigned>{7, 8}));
  EXPECT_TRUE(changes.ipv4_conf_all);
  EXPECT_TRUE(changes.indexes.empty());  // the sockets need not look again
  EXPECT_FALSE(changes.empty());
}

TEST(InterfaceChanges, NetconfOfIpv6OtherSysctlsOrTheDefaultEntryIsIgnored) {
  std::vector<char> buffer;
  append_netconf(buffer, AF_INET6, 7, NETCONFA_FORWARDING, 1);
  append_netconf(buffer, AF_INET, 8, NETCONFA_MC_FORWARDING, 1);
  append_netconf(buffer, AF_INET, NETCONFA_IFINDEX_DEFAULT, NETCONFA_RP_FILTER, 1);
  InterfaceChanges changes;
  collect_interface_changes(buffer.data(), buffer.size(), changes);
  EXPECT_TRUE(changes.empty());
}

TEST(InterfaceChanges, EmptyUntilSomethingIsNamed) {
  InterfaceChanges changes;
  EXPECT_TRUE(changes.empty());
  changes.everything = true;
  EXPECT_FALSE(changes.empty());
}

}  // namespace
}  // namespace mcr
