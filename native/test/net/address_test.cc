// Address parsing (with and without a zone), the multicast test, and sockaddr building, reading
// and printing.
#include "net/address.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <net/if.h>

namespace mcr {
namespace {

TEST(Address, ParsesIpv4AndIpv6) {
  const auto v4 = parse_ip_address("239.1.2.3");
  ASSERT_TRUE(v4.has_value());
  EXPECT_EQ(v4->family, AF_INET);
  EXPECT_EQ(ntohl(v4->v4.s_addr), 0xEF010203u);
  const auto v6 = parse_ip_address("ff3e::8000:1");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->family, AF_INET6);
}

TEST(Address, RejectsWhatIsNotAnAddress) {
  for (const char* text : {"239.1.1", "", "eth0", "300.1.1.1", "::g", "1.2.3.4 "}) {
    EXPECT_FALSE(parse_ip_address(text).has_value()) << text;
  }
}

TEST(Address, TellsMulticastFromUnicast) {
  EXPECT_TRUE(is_multicast(*parse_ip_address("224.0.0.1")));
  EXPECT_TRUE(is_multicast(*parse_ip_address("239.255.255.255")));
  EXPECT_FALSE(is_multicast(*parse_ip_address("223.255.255.255")));
  EXPECT_FALSE(is_multicast(*parse_ip_address("240.0.0.1")));
  EXPECT_TRUE(is_multicast(*parse_ip_address("ff02::1")));
  EXPECT_FALSE(is_multicast(*parse_ip_address("fe80::1")));
  EXPECT_FALSE(is_multicast(*parse_ip_address("::1")));
}

TEST(Address, EqualityComparesAddressesNotText) {
  EXPECT_EQ(*parse_ip_address("ff3e:0::1"), *parse_ip_address("ff3e::1"));
  EXPECT_FALSE(*parse_ip_address("239.1.1.1") == *parse_ip_address("239.1.1.2"));
  EXPECT_FALSE(*parse_ip_address("::ffff:239.1.1.1") == *parse_ip_address("239.1.1.1"));
}

TEST(Address, BuildsSocketAddressesWithPortAndScope) {
  const SocketAddress v4 = make_socket_address(*parse_ip_address("10.0.0.5"), 6000);
  EXPECT_EQ(v4.family(), AF_INET);
  EXPECT_EQ(v4.length, sizeof(sockaddr_in));
  EXPECT_EQ(format_endpoint(v4), "10.0.0.5:6000");

  const SocketAddress link_local = make_socket_address(*parse_ip_address("ff02::fb"), 5353, 7);
  EXPECT_EQ(link_local.length, sizeof(sockaddr_in6));
  EXPECT_EQ(reinterpret_cast<const sockaddr_in6*>(&link_local.storage)->sin6_scope_id, 7u);
  EXPECT_EQ(format_endpoint(link_local), "[ff02::fb]:5353");

  const SocketAddress global = make_socket_address(*parse_ip_address("ff3e::1"), 1, 7);
  EXPECT_EQ(reinterpret_cast<const sockaddr_in6*>(&global.storage)->sin6_scope_id, 0u);
}

TEST(Address, ReadsIpPortAndScopeBackFromTheSockaddr) {
  const IpAddress group = *parse_ip_address("ff02::fb");
  SocketAddress address = make_socket_address(group, 5353, 7);
  EXPECT_EQ(address.ip(), group);
  EXPECT_EQ(address.port(), 5353);
  EXPECT_EQ(address.scope_id(), 7u);
  address.set_port(6000);
  address.set_scope_id(9);
  EXPECT_EQ(format_endpoint(address), "[ff02::fb]:6000");
  EXPECT_EQ(address.scope_id(), 9u);

  SocketAddress v4 = make_socket_address(*parse_ip_address("10.0.0.5"), 1);
  v4.set_scope_id(9);  // IPv4 has no scope: nothing to set, nothing to read
  EXPECT_EQ(v4.scope_id(), 0u);
  EXPECT_EQ(format_endpoint(v4), "10.0.0.5:1");
}

TEST(Address, FormatsTheAddressAloneInItsShortestForm) {
  EXPECT_EQ(format_ip_address(*parse_ip_address("239.1.1.1")), "239.1.1.1");
  EXPECT_EQ(format_ip_address(*parse_ip_address("ff3e:0:0::1")), "ff3e::1");
}

TEST(Address, ParsesSocketAddressesWithAnInterfaceZone) {
  const unsigned loopback = if_nametoindex("lo");
  ASSERT_NE(loopback, 0u);
  const auto link_local = parse_socket_address("fe80::1%lo", 5000);
  ASSERT_TRUE(link_local.has_value());
  EXPECT_EQ(link_local->port(), 5000);
  EXPECT_EQ(link_local->scope_id(), loopback);
  // The zone names the interface whatever the address's scope: mcrsink joins on it.
  EXPECT_EQ(parse_socket_address("ff15::1%lo", 0)->scope_id(), loopback);

  const auto plain = parse_socket_address("239.1.1.1", 5000);
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(format_endpoint(*plain), "239.1.1.1:5000");
  EXPECT_EQ(parse_socket_address("fe80::1", 1)->scope_id(), 0u);
}

TEST(Address, RejectsZonesThatNameNoInterfaceOrSitOnIpv4) {
  for (const char* text : {"1.2.3.4%lo", "fe80::1%no-such-if0", "fe80::1%", "%lo", "eth0"}) {
    EXPECT_FALSE(parse_socket_address(text, 1).has_value()) << text;
  }
}

}  // namespace
}  // namespace mcr
