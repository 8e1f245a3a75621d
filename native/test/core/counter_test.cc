// Live counters: single-writer arithmetic, the errno table with its overflow slot, cache-line
// layout, and the snapshot into OutputStats.
#include "core/counters.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "core/relay.h"

namespace mcr {
namespace {

TEST(Counter, AddsAndRaises) {
  Counter counter;
  counter.add(3);
  counter.add(4);
  EXPECT_EQ(counter.get(), 7u);
  counter.raise_to(5);
  EXPECT_EQ(counter.get(), 7u);
  counter.raise_to(12);
  EXPECT_EQ(counter.get(), 12u);
}

TEST(Counter, ErrnoTableKeepsEachErrnoApartAndFoldsTheRest) {
  ErrnoCounters errors;
  errors.add(ENOBUFS);
  errors.add(EPERM, 2);
  errors.add(ENOBUFS);
  EXPECT_EQ(errors.snapshot(), (std::vector<std::pair<int, uint64_t>>{{ENOBUFS, 2}, {EPERM, 2}}));
  for (int err = 1000; err < 1000 + static_cast<int>(ErrnoCounters::kSlots); ++err) errors.add(err);  // none seen yet
  const auto snapshot = errors.snapshot();
  ASSERT_EQ(snapshot.size(), ErrnoCounters::kSlots + 1);
  EXPECT_EQ(snapshot.back(), (std::pair<int, uint64_t>{ErrnoCounters::kOtherErrno, 2}));  // two did not fit
  EXPECT_EQ(errors.total(), 4u + ErrnoCounters::kSlots);
}

TEST(Counter, RelayAndOutputCountersOwnTheirCacheLines) {
  EXPECT_EQ(alignof(RelayCounters), kCacheLineBytes);
  EXPECT_EQ(alignof(OutputCounters), kCacheLineBytes);
  EXPECT_EQ(sizeof(RelayCounters) % kCacheLineBytes, 0u);
}

TEST(Counter, OutputSnapshotCopiesEveryCounter) {
  Output output;
  output.counters.packets.add(10);
  output.counters.bytes.add(1500);
  output.counters.send_errors.add(ENETUNREACH, 3);
  output.counters.send_errors.add(EMSGSIZE);
  output.counters.last_packet_unix_ns.set(1234);
  const OutputStats stats = output.snapshot();
  EXPECT_EQ(stats.packets, 10u);
  EXPECT_EQ(stats.bytes, 1500u);
  EXPECT_EQ(stats.send_errors, 4u);
  EXPECT_EQ(stats.send_errors_by_errno, (std::vector<std::pair<int, uint64_t>>{{ENETUNREACH, 3}, {EMSGSIZE, 1}}));
  EXPECT_EQ(stats.last_packet_unix_ns, 1234);
}

TEST(Counter, RelaySnapshotCopiesEveryCounter) {
  Relay relay;
  relay.id = "r7";
  relay.spec.name = "feed";
  relay.spec.enabled = false;
  relay.counters.packets_in.add(5);
  relay.counters.bytes_in.add(500);
  relay.counters.rxq_overflow.raise_to(3);
  relay.counters.truncated.add(1);
  relay.counters.ttl_expired.add(2);
  relay.counters.not_forwarded_standby.add(4);
  relay.counters.held_by_fence.add(6);
  relay.counters.last_packet_unix_ns.set(99);
  relay.ingress.rcvbuf_bytes = 8192;
  relay.outputs.push_back(std::make_shared<Output>());
  const RelayStats stats = relay.snapshot();
  EXPECT_EQ(stats.id, "r7");
  EXPECT_EQ(stats.name, "feed");
  EXPECT_FALSE(stats.enabled);
  EXPECT_EQ(stats.packets_in, 5u);
  EXPECT_EQ(stats.bytes_in, 500u);
  EXPECT_EQ(stats.rxq_overflow, 3u);
  EXPECT_EQ(stats.truncated, 1u);
  EXPECT_EQ(stats.ttl_expired, 2u);
  EXPECT_EQ(stats.not_forwarded_standby, 4u);
  EXPECT_EQ(stats.held_by_fence, 6u);
  EXPECT_EQ(stats.last_packet_unix_ns, 99);
  EXPECT_EQ(stats.rcvbuf_bytes, 8192);
  EXPECT_EQ(stats.outputs.size(), 1u);
}

}  // namespace
}  // namespace mcr
