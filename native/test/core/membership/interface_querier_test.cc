// The querier state machine on an injected clock: startup and periodic general queries, the
// election against a lower address and the takeover when it goes silent, group timers, leaves
// with their group-specific queries, older-version compatibility, and the HA standby.
#include "core/membership/interface_querier.h"

#include <gtest/gtest.h>

namespace mcr::membership {
namespace {

constexpr int64_t kSecond = kNanosecondsPerSecond;

IpAddress ip(const char* text) {
  return *parse_ip_address(text);
}

Message query_from(const char* sender, int version = 3, const char* group = "0.0.0.0") {
  Message message;
  message.kind = MessageKind::query;
  message.version = version;
  message.sender = ip(sender);
  message.query_group = ip(group);
  return message;
}

Message report(const char* sender, int version, RecordType type, const char* group,
               std::vector<const char*> sources = {}) {
  Message message;
  message.kind = MessageKind::report;
  message.version = version;
  message.sender = ip(sender);
  GroupRecord record{type, ip(group), {}};
  for (const char* source : sources) record.sources.push_back(ip(source));
  message.records.push_back(record);
  return message;
}

class QuerierTest : public ::testing::Test {
 protected:
  QuerierTest() : querier(AF_INET, Timers::for_interval_s(10)) {
    querier.set_own_address(ip("10.0.0.5"));
    querier.set_active(true, 0);
  }
  // Runs the clock to `until_ns`, stepping to each deadline; returns every query sent on the way.
  std::vector<std::pair<int64_t, QueryToSend>> run_until(int64_t until_ns) {
    std::vector<std::pair<int64_t, QueryToSend>> sent;
    for (;;) {
      const int64_t at = std::max(now, querier.next_deadline_ns());
      if (at > until_ns) break;
      now = at;
      for (const QueryToSend& query : querier.take_due(now)) sent.emplace_back(now, query);
    }
    now = until_ns;
    for (const QueryToSend& query : querier.take_due(now)) sent.emplace_back(now, query);
    return sent;
  }
  int64_t general_queries(const std::vector<std::pair<int64_t, QueryToSend>>& sent) const {
    return std::count_if(sent.begin(), sent.end(),
                         [](const auto& entry) { return is_unspecified(entry.second.group); });
  }

  InterfaceQuerier querier;
  int64_t now = 0;
};

TEST(MembershipTimers, DeriveFromTheQueryIntervalAsTheRfcsDo) {
  const Timers defaults = Timers::for_interval_s(125);
  EXPECT_EQ(defaults.query_response_interval_ns, 10 * kSecond);
  EXPECT_EQ(defaults.group_membership_interval_ns(), 260 * kSecond);
  EXPECT_EQ(defaults.other_querier_present_interval_ns(), 255 * kSecond);
  EXPECT_EQ(defaults.startup_query_interval_ns(), 125 * kSecond / 4);
  EXPECT_EQ(defaults.last_member_query_time_ns(), 2 * kSecond);
  const Timers short_interval = Timers::for_interval_s(2);
  EXPECT_EQ(short_interval.query_response_interval_ns, kSecond);  // capped below the interval
}

TEST_F(QuerierTest, SendsStartupQueriesThenOnePerInterval) {
  const auto sent = run_until(40 * kSecond);
  // t=0 and t=2.5 (startup, a quarter interval apart), then 12.5, 22.5, 32.5.
  ASSERT_EQ(general_queries(sent), 5);
  EXPECT_EQ(sent[0].first, 0);
  EXPECT_EQ(sent[1].first, 10 * kSecond / 4);
  EXPECT_EQ(sent[2].first - sent[1].first, 10 * kSecond);
  EXPECT_EQ(sent[0].second.version, 3);
  EXPECT_EQ(sent[0].second.max_response_ns, 5 * kSecond);
  EXPECT_EQ(querier.state(), QuerierState::querier);
}

TEST_F(QuerierTest, StandsDownForALowerAddressAndTakesOverWhenItGoesSilent) {
  run_until(1 * kSecond);
  querier.receive(query_from("10.0.0.1"), now);
  EXPECT_EQ(querier.state(), QuerierState::non_querier);
  EXPECT_EQ(*querier.other_querier(), ip("10.0.0.1"));
  const int64_t heard = now;
  const auto silent = run_until(heard + querier.timers().other_querier_present_interval_ns() - 1);
  EXPECT_EQ(general_queries(silent), 0);
  const auto takeover = run_until(heard + querier.timers().other_querier_present_interval_ns());
  ASSERT_EQ(general_queries(takeover), 1);
  EXPECT_EQ(querier.state(), QuerierState::querier);
}

TEST_F(QuerierTest, KeepsQueryingWhenTheOtherQuerierHasAHigherAddress) {
  run_until(1 * kSecond);
  querier.receive(query_from("10.0.0.9"), now);
  EXPECT_EQ(querier.state(), QuerierState::querier);
  EXPECT_EQ(general_queries(run_until(30 * kSecond)), 3);
}

TEST_F(QuerierTest, AReportedGroupLivesOneMembershipIntervalAfterItsLastReport) {
  querier.receive(report("10.0.0.20", 3, RecordType::is_exclude, "239.1.1.1"), now);
  ASSERT_TRUE(querier.table().has_member(ip("239.1.1.1")));
  run_until(querier.timers().group_membership_interval_ns() - 1);
  EXPECT_TRUE(querier.table().has_member(ip("239.1.1.1")));
  run_until(querier.timers().group_membership_interval_ns());
  EXPECT_FALSE(querier.table().has_member(ip("239.1.1.1")));
}

TEST_F(QuerierTest, ALeaveSendsGroupQueriesAndEndsTheGroupAfterTheLastMemberQueryTime) {
  run_until(3 * kSecond);
  querier.receive(report("10.0.0.20", 2, RecordType::is_exclude, "239.1.1.1"), now);
  querier.receive(report("10.0.0.20", 2, RecordType::to_include, "239.1.1.1"), now);
  const int64_t left = now;
  const auto sent = run_until(left + querier.timers().last_member_query_time_ns());
  int group_queries = 0;
  for (const auto& [at, query] : sent) {
    if (query.group == ip("239.1.1.1")) ++group_queries;
  }
  EXPECT_EQ(group_queries, 2);  // last member query count = robustness
  EXPECT_FALSE(querier.table().has_member(ip("239.1.1.1")));
}

TEST_F(QuerierTest, IncludeSourcesExpireOneByOneAndBlockLowersOnlyTheBlockedOnes) {
  querier.receive(report("10.0.0.20", 3, RecordType::is_include, "232.1.1.1", {"10.9.0.1", "10.9.0.2"}), now);
  querier.receive(report("10.0.0.20", 3, RecordType::block, "232.1.1.1", {"10.9.0.1"}), now);
  run_until(querier.timers().last_member_query_time_ns());
  ASSERT_EQ(querier.table().groups().size(), 1u);
  const auto& sources = querier.table().groups()[0].sources;
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_EQ(sources[0].source, ip("10.9.0.2"));
}

TEST_F(QuerierTest, AnOlderHostPutsTheGroupInCompatibilityModeWhereBlockIsIgnored) {
  querier.receive(report("10.0.0.21", 2, RecordType::is_exclude, "239.1.1.1"), now);
  querier.receive(report("10.0.0.20", 3, RecordType::to_exclude, "239.1.1.1", {"10.9.0.1"}), now);
  const GroupEntry& group = querier.table().groups()[0];
  EXPECT_EQ(group.compatibility_version, 2);
  EXPECT_TRUE(group.excluded_sources.empty());  // sources ignored in v2 mode
  run_until(querier.timers().older_version_present_interval_ns() + 1);
  EXPECT_FALSE(querier.table().has_member(ip("239.1.1.1")));
}

TEST_F(QuerierTest, AnOlderQuerierSetsTheVersionOfOurQueriesUntilItGoesSilent) {
  run_until(1 * kSecond);
  querier.receive(query_from("10.0.0.9", 2), now);
  auto sent = run_until(10 * kSecond);
  ASSERT_FALSE(sent.empty());
  EXPECT_EQ(sent.back().second.version, 2);
  sent = run_until(now + querier.timers().older_version_present_interval_ns() + querier.timers().query_interval_ns);
  EXPECT_EQ(sent.back().second.version, 3);
}

TEST_F(QuerierTest, TheStandbyListensAndLearnsButNeverQueries) {
  InterfaceQuerier standby(AF_INET6, Timers::for_interval_s(10));
  standby.set_own_address(ip("fe80::5"));
  EXPECT_EQ(standby.state(), QuerierState::standby);
  EXPECT_TRUE(standby.take_due(0).empty());
  Message join = report("fe80::20", 2, RecordType::is_exclude, "ff3e::1");
  standby.receive(join, 0);
  EXPECT_TRUE(standby.table().has_member(ip("ff3e::1")));
  EXPECT_TRUE(standby.take_due(kSecond).empty());
  standby.set_active(true, 2 * kSecond);
  const auto due = standby.take_due(2 * kSecond);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].version, 2);
}

TEST_F(QuerierTest, WithoutAnAddressNothingIsSent) {
  InterfaceQuerier bare(AF_INET, Timers::for_interval_s(10));
  bare.set_active(true, 0);
  EXPECT_EQ(bare.state(), QuerierState::no_address);
  EXPECT_TRUE(bare.take_due(0).empty());
  EXPECT_EQ(bare.next_deadline_ns(), INT64_MAX);
}

}  // namespace
}  // namespace mcr::membership
