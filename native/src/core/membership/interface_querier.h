// The querier of one interface and family as a pure state machine: the RFC election (lowest
// address queries), startup and periodic general queries, group-specific queries after a leave,
// the querier version that older queriers impose, and the interface's membership table. Driven
// by the caller's clock; it never reads the time or touches a socket.
#pragma once

#include <climits>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/membership/group_table.h"
#include "core/membership/message.h"
#include "core/membership/timers.h"

namespace mcr::membership {

struct QueryToSend {
  int version = 0;
  IpAddress group;  // unspecified: a general query
  int64_t max_response_ns = 0;
};

enum class QuerierState : uint8_t {
  querier,      // elected (or alone): sends the queries
  non_querier,  // a querier with a lower address is present: listens only
  standby,      // this node is the HA standby: listens only, the active node queries
  no_address,   // the interface has no usable source address yet
};

const char* querier_state_name(QuerierState state);

struct QuerierCounters {
  uint64_t general_queries_sent = 0;
  uint64_t group_queries_sent = 0;
  uint64_t reports_received = 0;
  uint64_t queries_received = 0;  // from other queriers
};

class InterfaceQuerier {
 public:
  // `family` AF_INET (IGMP, newest version 3) or AF_INET6 (MLD, newest version 2).
  InterfaceQuerier(int family, const Timers& timers);

  // The address queries go out from and the election compares: the interface's primary IPv4
  // address, or its IPv6 link-local address (RFC 3810 section 5.1.14).
  void set_own_address(const std::optional<IpAddress>& address);
  // Active: may query (with startup queries when it becomes active). Inactive: listens only.
  void set_active(bool active, int64_t now_ns);

  void receive(const Message& message, int64_t now_ns);
  // Advances every timer to `now_ns` and returns the queries due now, oldest first.
  std::vector<QueryToSend> take_due(int64_t now_ns);
  // When take_due next has something to do; INT64_MAX when nothing is scheduled.
  int64_t next_deadline_ns() const;

  QuerierState state() const;
  int family() const { return family_; }
  int query_version() const { return query_version_; }
  const Timers& timers() const { return timers_; }
  const std::optional<IpAddress>& own_address() const { return own_address_; }
  const std::optional<IpAddress>& other_querier() const { return other_querier_; }
  int64_t other_querier_expires_ns() const { return other_querier_expires_ns_; }
  int64_t next_general_query_ns() const { return next_general_query_ns_; }
  const GroupTable& table() const { return table_; }
  const QuerierCounters& counters() const { return counters_; }

 private:
  struct PendingGroupQuery {
    IpAddress group;
    int64_t remaining = 0;
    int64_t next_ns = 0;
  };

  bool may_send() const { return active_ && elected_ && own_address_.has_value(); }
  void receive_query(const Message& query, int64_t now_ns);
  void advance_election(int64_t now_ns);
  void take_general_query(int64_t now_ns, std::vector<QueryToSend>& due);
  void take_group_queries(int64_t now_ns, std::vector<QueryToSend>& due);

  int family_;
  int newest_version_;
  Timers timers_;
  GroupTable table_;
  std::optional<IpAddress> own_address_;
  bool active_ = false;
  bool elected_ = true;  // until a query from a lower address is heard
  std::optional<IpAddress> other_querier_;
  int64_t other_querier_expires_ns_ = 0;
  int query_version_;
  int64_t older_querier_expires_ns_ = 0;
  int64_t next_general_query_ns_ = 0;
  int64_t startup_queries_left_ = 0;
  std::vector<PendingGroupQuery> group_queries_;
  QuerierCounters counters_;
};

}  // namespace mcr::membership
