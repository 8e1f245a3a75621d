// The querier on a real veth pair in a private network namespace: its general queries leave
// with IGMP/MLD on the wire and are parsed on the far end, and a host's join on the far end
// appears in its membership snapshot; the standby sends nothing.
#include "core/membership/querier.h"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <array>
#include <chrono>
#include <thread>

#include "../private_network.h"
#include "core/engine_error.h"
#include "core/membership/sockets.h"
#include "core/membership/wire.h"

namespace mcr::membership {
namespace {

using namespace std::chrono_literals;

// Waits up to `timeout` for a query on `listener`'s interface; nullopt when none came.
std::optional<Message> next_query(const Fd& listener, int family, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::array<uint8_t, 2048> packet{};
  while (std::chrono::steady_clock::now() < deadline) {
    const ssize_t length = recv(listener.get(), packet.data(), packet.size(), 0);
    if (length <= 0) {
      std::this_thread::sleep_for(5ms);
      continue;
    }
    const std::span<const uint8_t> bytes(packet.data(), static_cast<size_t>(length));
    auto message = family == AF_INET ? parse_ipv4_packet(bytes) : parse_ipv6_packet(bytes);
    if (message && message->kind == MessageKind::query) return message;
  }
  return std::nullopt;
}

bool has_group(const Querier& querier, int family, const char* group) {
  const IpAddress wanted = *parse_ip_address(group);
  for (const InterfaceSnapshot& link : querier.snapshot().interfaces) {
    if (link.family != family) continue;
    for (const GroupEntry& entry : link.groups) {
      if (entry.group == wanted) return true;
    }
  }
  return false;
}

TEST(QuerierSockets, QueriesBothFamiliesAndLearnsAJoinOnTheFarEnd) {
  test::in_private_network([] {
    test::create_veth_pair("qa", "qb");
    test::shell("ip addr add fe80::2/64 dev qb nodad 2>/dev/null || true");
    const Fd listener_v4 = open_membership_listener(AF_INET, if_nametoindex("qa"));
    const Fd listener_v6 = open_membership_listener(AF_INET6, if_nametoindex("qa"));
    Querier querier({{"qb"}, 10}, true);
    const auto igmp = next_query(listener_v4, AF_INET, 2000ms);
    ASSERT_TRUE(igmp);
    EXPECT_EQ(igmp->version, 3);
    EXPECT_EQ(igmp->sender, *parse_ip_address("10.99.0.2"));
    const auto mld = next_query(listener_v6, AF_INET6, 2000ms);
    ASSERT_TRUE(mld);
    EXPECT_EQ(mld->version, 2);

    const Fd member(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    ip_mreqn join{};
    inet_pton(AF_INET, "239.9.9.9", &join.imr_multiaddr);
    join.imr_ifindex = static_cast<int>(if_nametoindex("qa"));
    ASSERT_EQ(setsockopt(member.get(), IPPROTO_IP, IP_ADD_MEMBERSHIP, &join, sizeof join), 0);
    const auto deadline = std::chrono::steady_clock::now() + 3s;
    while (!has_group(querier, AF_INET, "239.9.9.9") && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(10ms);
    }
    EXPECT_TRUE(has_group(querier, AF_INET, "239.9.9.9"));
    EXPECT_EQ(querier.snapshot().interfaces[0].state, QuerierState::querier);
  });
}

TEST(QuerierSockets, TheStandbySendsNoQuery) {
  test::in_private_network([] {
    test::create_veth_pair("qa", "qb");
    const Fd listener = open_membership_listener(AF_INET, if_nametoindex("qa"));
    Querier querier({{"qb"}, 10}, false);
    EXPECT_FALSE(next_query(listener, AF_INET, 500ms));
    EXPECT_EQ(querier.snapshot().interfaces[0].state, QuerierState::standby);
    querier.set_active(true);
    EXPECT_TRUE(next_query(listener, AF_INET, 1000ms));
  });
}

TEST(QuerierSockets, AnInterfaceThatAppearsLaterIsOpenedAndQueried) {
  test::in_private_network([] {
    Querier querier({{"qb"}, 10}, true);
    EXPECT_FALSE(querier.snapshot().interfaces[0].up);
    test::create_veth_pair("qa", "qb");
    const Fd listener = open_membership_listener(AF_INET, if_nametoindex("qa"));
    EXPECT_TRUE(next_query(listener, AF_INET, 2500ms));  // the querier looks again every second
    EXPECT_TRUE(querier.snapshot().interfaces[0].up);
  });
}

TEST(QuerierSockets, BadOptionsAreRefusedByName) {
  const auto field_refused = [](const QuerierOptions& options) -> std::string {
    try {
      Querier querier(options, true);
    } catch (const EngineError& error) {
      return error.field();
    }
    return "(accepted)";
  };
  EXPECT_EQ(field_refused({{"eth0"}, 0}), "querierIntervalS");
  EXPECT_EQ(field_refused({{}, 125}), "querierInterfaces");
  EXPECT_EQ(field_refused({{"eth0", "eth0"}, 125}), "querierInterfaces[0]");
  EXPECT_EQ(field_refused({{"lo", "bad/name"}, 125}), "querierInterfaces[1]");
}

}  // namespace
}  // namespace mcr::membership
