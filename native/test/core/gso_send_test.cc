// GSO through the real kernel: on loopback same-size datagrams leave as super-datagrams and
// arrive one by one, exactly once, sizes intact; on a veth whose MTU shrank after the output
// opened, the kernel refuses it and the output falls back to plain sends, counted, once, then
// sizes its segments by the new MTU, and back to full size once the MTU is put back.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <net/if.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "core/engine.h"
#include "loopback.h"
#include "net/gso.h"
#include "private_network.h"

namespace mcr {
namespace {

using namespace mcr::test;

// A short MTU recheck interval, so following the MTU back up takes milliseconds, not 10 s.
constexpr int64_t kMtuRecheckNs = 100'000'000;

// Mixed sizes in one stream: runs that group, a short tail, empty datagrams that cannot.
const std::vector<size_t> kMixedSizes = {64, 64, 64, 64, 20, 0, 0, 1200, 1200, 1200, 8000, 8000, 10, 0, 64};

std::string sized(uint64_t sequence, size_t size) {
  if (size == 0) return "";
  std::string payload = numbered(sequence, size);
  payload.resize(size, '.');  // numbered() never shortens; tiny sizes keep only the prefix
  return payload;
}

// Sends `rounds` bursts of kMixedSizes back to back (so batches hold several datagrams).
std::vector<std::string> send_mixed(const Sender& sender, uint16_t port, unsigned rounds, const Receiver& out) {
  std::vector<std::string> sent;
  for (unsigned round = 0; round < rounds; ++round) {
    const size_t before = out.count();
    for (const size_t size : kMixedSizes) {
      sent.push_back(sized(sent.size(), size));
      sender.send(port, sent.back());
    }
    if (!out.wait_for(before + kMixedSizes.size())) break;  // keep queues shallow: nothing may drop
  }
  return sent;
}

std::vector<std::string> payloads(const std::vector<Received>& received) {
  std::vector<std::string> result;
  for (const Received& datagram : received) result.push_back(datagram.payload);
  return result;
}

TEST(GsoSend, LoopbackRelayDeliversEveryDatagramOnceWithItsSizeThroughGso) {
  Engine engine(small_engine_options());
  Receiver out;
  const uint16_t ingress = free_port();
  const std::string id = engine.add_relay(loopback_relay(ingress, {out.port()}));
  Sender sender;
  const std::vector<std::string> sent = send_mixed(sender, ingress, 200, out);
  ASSERT_TRUE(out.wait_for(sent.size()));
  EXPECT_EQ(payloads(out.received()), sent);
  const OutputStats stats = engine.stats(id)->outputs.at(0);
  EXPECT_EQ(stats.packets, sent.size());
  EXPECT_GT(stats.gso_datagrams, 0u);  // bursts of equal sizes did leave as super-datagrams
  EXPECT_EQ(stats.gso_fallbacks, 0u);
  EXPECT_EQ(stats.send_errors, 0u);
}

TEST(GsoSend, OptionOffSendsEveryDatagramOnItsOwn) {
  EngineOptions options = small_engine_options();
  options.gso = false;
  Engine engine(options);
  Receiver out;
  const uint16_t ingress = free_port();
  const std::string id = engine.add_relay(loopback_relay(ingress, {out.port()}));
  Sender sender;
  const std::vector<std::string> sent = send_mixed(sender, ingress, 50, out);
  ASSERT_TRUE(out.wait_for(sent.size()));
  EXPECT_EQ(payloads(out.received()), sent);
  EXPECT_EQ(engine.stats(id)->outputs.at(0).gso_datagrams, 0u);
}

// Joins `group` on interface `name` and records every datagram's size.
class GroupReceiver {
 public:
  GroupReceiver(const std::string& name, const std::string& group, uint16_t port) : fd_(udp_socket(AF_INET)) {
    const int on = 1;
    setsockopt(fd_.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    setsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUFFORCE, &kTestSocketBufferBytes, sizeof(int));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    inet_pton(AF_INET, group.c_str(), &address.sin_addr);
    if (!try_bind(fd_, address)) throw std::runtime_error("bind " + group);
    ip_mreqn request{};
    request.imr_multiaddr = address.sin_addr;
    request.imr_ifindex = static_cast<int>(if_nametoindex(name.c_str()));
    if (setsockopt(fd_.get(), IPPROTO_IP, IP_ADD_MEMBERSHIP, &request, sizeof(request)) != 0) {
      throw std::runtime_error("join " + group + " on " + name + ": " + std::strerror(errno));
    }
    thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
  }

  std::vector<size_t> sizes() const {
    std::lock_guard lock(mutex_);
    return sizes_;
  }
  bool wait_for(size_t count) const {
    return eventually([&] { return sizes().size() >= count; });
  }

 private:
  void run(const std::stop_token& stop) {
    std::vector<char> buffer(65536);
    while (!stop.stop_requested()) {
      pollfd ready{fd_.get(), POLLIN, 0};
      if (poll(&ready, 1, 20) <= 0) continue;
      const ssize_t length = recv(fd_.get(), buffer.data(), buffer.size(), MSG_DONTWAIT);
      if (length < 0) continue;
      std::lock_guard lock(mutex_);
      sizes_.push_back(static_cast<size_t>(length));
    }
  }

  Fd fd_;
  mutable std::mutex mutex_;
  std::vector<size_t> sizes_;
  std::jthread thread_;  // last: joined before the members it reads go
};

// A relay from a loopback ingress to `group`:`port` on interface `name`.
RelaySpec relay_to(uint16_t ingress, const std::string& name, const std::string& group, uint16_t port) {
  RelaySpec spec = loopback_relay(ingress, {});
  OutputSpec output;
  output.interface = name;
  output.group = group;
  output.port = port;
  spec.outputs.push_back(output);
  return spec;
}

TEST(GsoSend, RefusedGsoFallsBackToPlainSendsCountedOnce) {
  in_private_network([] {
    create_veth_pair("mcrg-a", "mcrg-b");
    const uint16_t ingress = free_port();
    const uint16_t group_port = free_port();
    GroupReceiver out("mcrg-a", "239.9.8.7", group_port);
    Engine engine(small_engine_options());
    // Segments of up to 1472 bytes at MTU 1500.
    const std::string id = engine.add_relay(relay_to(ingress, "mcrg-b", "239.9.8.7", group_port));
    // Now 1400-byte segments + headers exceed the MTU: the kernel refuses them (EMSGSIZE on 6.x,
    // EINVAL on older kernels), while a plain 1400-byte datagram is fragmented and still delivered.
    shell("ip link set mcrg-b mtu 1000");
    Sender sender;
    size_t sent = 0;
    const bool refused = eventually([&] {
      for (int i = 0; i < 32; ++i, ++sent) sender.send(ingress, numbered(sent, 1400));
      return engine.stats(id)->outputs.at(0).gso_fallbacks > 0;
    });
    ASSERT_TRUE(refused) << "no batch ever held two datagrams";
    ASSERT_TRUE(out.wait_for(sent)) << out.sizes().size() << " of " << sent;
    for (int i = 0; i < 200; ++i, ++sent) sender.send(ingress, numbered(sent, 1400));
    ASSERT_TRUE(out.wait_for(sent)) << out.sizes().size() << " of " << sent;
    const OutputStats stats = engine.stats(id)->outputs.at(0);
    EXPECT_EQ(out.sizes(), std::vector<size_t>(sent, 1400));
    EXPECT_EQ(stats.packets, sent);
    EXPECT_EQ(stats.send_errors, 0u);
    EXPECT_EQ(stats.gso_fallbacks, 1u);  // once: later batches use segments that fit the new MTU
  });
}

TEST(GsoSend, AfterARefusalForSizeSegmentsFollowTheMtuDownAndBackUp) {
  in_private_network([] {
    create_veth_pair("mcrg-c", "mcrg-d");
    const uint16_t ingress = free_port();
    const uint16_t group_port = free_port();
    GroupReceiver out("mcrg-c", "239.9.8.6", group_port);
    // The MTU is re-read every 100 ms instead of every 10 s; an unexplained refusal would still
    // suspend GSO for the default kGsoReprobeIntervalNs, which is what the 900-byte step rules out.
    EngineOptions options = small_engine_options();
    options.gso_mtu_recheck_ns = kMtuRecheckNs;
    Engine engine(options);
    const std::string id = engine.add_relay(relay_to(ingress, "mcrg-d", "239.9.8.6", group_port));
    const auto output_stats = [&] { return engine.stats(id)->outputs.at(0); };
    Sender sender;
    size_t sent = 0;
    const auto send_until = [&](size_t size, const std::function<bool()>& condition) {
      return eventually([&] {
        for (int i = 0; i < 32; ++i, ++sent) sender.send(ingress, numbered(sent, size));
        return condition();
      });  // 5 s: well inside the 10 s a suspended output would wait
    };
    shell("ip link set mcrg-d mtu 1000");  // 1400-byte segments no longer fit
    ASSERT_TRUE(send_until(1400, [&] { return output_stats().gso_fallbacks > 0; }));
    // The refusal is explained by the MTU: GSO goes on at once with segments that fit.
    uint64_t gso_before = output_stats().gso_datagrams;
    ASSERT_TRUE(send_until(900, [&] { return output_stats().gso_datagrams > gso_before; }))
        << "no GSO for 900-byte datagrams under MTU 1000";
    shell("ip link set mcrg-d mtu 1500");  // the operator puts the MTU back
    std::this_thread::sleep_for(std::chrono::nanoseconds(kMtuRecheckNs));
    gso_before = output_stats().gso_datagrams;
    ASSERT_TRUE(send_until(1400, [&] { return output_stats().gso_datagrams > gso_before; }))
        << "GSO did not return to full-size segments after the MTU was put back";
    ASSERT_TRUE(out.wait_for(sent)) << out.sizes().size() << " of " << sent;
    EXPECT_EQ(output_stats().packets, sent);
    EXPECT_EQ(output_stats().send_errors, 0u);
    EXPECT_EQ(output_stats().gso_fallbacks, 1u);  // one refusal: the MTU explained it
  });
}

TEST(GsoSend, RefusesANonPositiveMtuRecheckInterval) {
  EngineOptions options = small_engine_options();
  options.gso_mtu_recheck_ns = 0;
  try {
    Engine engine(options);
    ADD_FAILURE() << "accepted gso_mtu_recheck_ns 0";
  } catch (const EngineError& error) {
    EXPECT_EQ(error.code(), ErrorCode::invalid_option);
    EXPECT_EQ(error.field(), "gsoMtuRecheckNs");
    EXPECT_STREQ(error.what(), "gsoMtuRecheckNs: must be a positive interval in nanoseconds, got 0");
  }
}

}  // namespace
}  // namespace mcr
