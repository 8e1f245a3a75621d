// The querier's timers (RFC 3376 section 8, RFC 3810 section 9), all derived from the query
// interval the operator chose and the contract's RFC defaults, in nanoseconds.
#pragma once

#include <algorithm>
#include <cstdint>

#include "generated/contract.h"
#include "net/clock.h"

namespace mcr::membership {

struct Timers {
  int64_t query_interval_ns = contract::querier::interval_s_default * kNanosecondsPerSecond;
  int64_t robustness = contract::querier::robustness;
  // Capped at half the query interval: the RFCs require it to be shorter than the interval.
  int64_t query_response_interval_ns =
      std::min(contract::querier::max_response_ms * kNanosecondsPerMillisecond, query_interval_ns / 2);
  int64_t last_member_query_interval_ns = contract::querier::last_member_query_interval_ms * kNanosecondsPerMillisecond;

  static Timers for_interval_s(int64_t interval_s) {
    Timers timers;
    timers.query_interval_ns = interval_s * kNanosecondsPerSecond;
    timers.query_response_interval_ns =
        std::min(contract::querier::max_response_ms * kNanosecondsPerMillisecond, timers.query_interval_ns / 2);
    return timers;
  }

  // How long a report keeps a group (or source) alive: robustness x QI + QRI.
  int64_t group_membership_interval_ns() const { return robustness * query_interval_ns + query_response_interval_ns; }
  // How long a querier with a lower address silences us: robustness x QI + QRI / 2.
  int64_t other_querier_present_interval_ns() const {
    return robustness * query_interval_ns + query_response_interval_ns / 2;
  }
  // Older host / older querier present intervals equal the group membership interval.
  int64_t older_version_present_interval_ns() const { return group_membership_interval_ns(); }
  int64_t startup_query_interval_ns() const { return query_interval_ns / 4; }
  int64_t startup_query_count() const { return robustness; }
  int64_t last_member_query_count() const { return robustness; }
  // Last member query time: how long a group lives after a leave unless a member answers.
  int64_t last_member_query_time_ns() const { return last_member_query_count() * last_member_query_interval_ns; }
};

}  // namespace mcr::membership
