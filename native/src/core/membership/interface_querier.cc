#include "core/membership/interface_querier.h"

#include <algorithm>

namespace mcr::membership {

const char* querier_state_name(QuerierState state) {
  switch (state) {
    case QuerierState::querier:
      return "querier";
    case QuerierState::non_querier:
      return "non-querier";
    case QuerierState::standby:
      return "standby";
    case QuerierState::no_address:
      return "no-address";
  }
  return "unknown";
}

InterfaceQuerier::InterfaceQuerier(int family, const Timers& timers)
    : family_(family),
      newest_version_(family == AF_INET ? 3 : 2),
      timers_(timers),
      table_(timers, newest_version_),
      query_version_(newest_version_) {}

void InterfaceQuerier::set_own_address(const std::optional<IpAddress>& address) {
  own_address_ = address;
}

void InterfaceQuerier::set_active(bool active, int64_t now_ns) {
  if (active == active_) return;
  active_ = active;
  if (!active) return;
  // A node that starts querying sends its startup queries (RFC 3376 section 8.6), so members
  // refresh the switches' state at once, e.g. right after an HA failover.
  startup_queries_left_ = timers_.startup_query_count();
  next_general_query_ns_ = now_ns;
}

QuerierState InterfaceQuerier::state() const {
  if (!own_address_) return QuerierState::no_address;
  if (!active_) return QuerierState::standby;
  return elected_ ? QuerierState::querier : QuerierState::non_querier;
}

void InterfaceQuerier::receive(const Message& message, int64_t now_ns) {
  if (message.kind == MessageKind::query) {
    receive_query(message, now_ns);
    return;
  }
  ++counters_.reports_received;
  const std::vector<IpAddress> left = table_.apply_report(message, now_ns);
  if (!may_send()) return;
  for (const IpAddress& group : left) {
    auto pending = std::find_if(group_queries_.begin(), group_queries_.end(),
                                [&](const PendingGroupQuery& query) { return query.group == group; });
    if (pending == group_queries_.end()) {
      group_queries_.push_back({group, timers_.last_member_query_count(), now_ns});
    }
  }
}

void InterfaceQuerier::receive_query(const Message& query, int64_t now_ns) {
  if (own_address_ && query.sender == *own_address_) return;  // our own, looped back
  ++counters_.queries_received;
  if (query.version < newest_version_) {
    // RFC 3376 section 7.3.1: an older querier on the link sets the version of our queries.
    query_version_ = std::min(query_version_, query.version);
    older_querier_expires_ns_ = now_ns + timers_.older_version_present_interval_ns();
  }
  if (!is_unspecified(query.query_group)) table_.lower_group_timer(query.query_group, now_ns);
  const bool lower = !own_address_ || compare_addresses(query.sender, *own_address_) < 0;
  if (!lower) return;
  // RFC 3376 section 6.6.2: the lowest address queries; the others wait for it to go silent.
  elected_ = false;
  other_querier_ = query.sender;
  other_querier_expires_ns_ = now_ns + timers_.other_querier_present_interval_ns();
  group_queries_.clear();
}

void InterfaceQuerier::advance_election(int64_t now_ns) {
  if (!elected_ && other_querier_expires_ns_ <= now_ns) {
    elected_ = true;  // the other querier went silent: take over with a general query now
    other_querier_.reset();
    next_general_query_ns_ = now_ns;
  }
  if (query_version_ != newest_version_ && older_querier_expires_ns_ <= now_ns) query_version_ = newest_version_;
}

void InterfaceQuerier::take_general_query(int64_t now_ns, std::vector<QueryToSend>& due) {
  if (next_general_query_ns_ > now_ns) return;
  due.push_back({query_version_, unspecified_address(family_), timers_.query_response_interval_ns});
  ++counters_.general_queries_sent;
  if (startup_queries_left_ > 0) --startup_queries_left_;
  next_general_query_ns_ =
      now_ns + (startup_queries_left_ > 0 ? timers_.startup_query_interval_ns() : timers_.query_interval_ns);
}

void InterfaceQuerier::take_group_queries(int64_t now_ns, std::vector<QueryToSend>& due) {
  for (PendingGroupQuery& pending : group_queries_) {
    if (pending.next_ns > now_ns) continue;
    due.push_back({query_version_, pending.group, timers_.last_member_query_interval_ns});
    ++counters_.group_queries_sent;
    --pending.remaining;
    pending.next_ns = now_ns + timers_.last_member_query_interval_ns;
  }
  std::erase_if(group_queries_, [](const PendingGroupQuery& pending) { return pending.remaining <= 0; });
}

std::vector<QueryToSend> InterfaceQuerier::take_due(int64_t now_ns) {
  table_.expire(now_ns);
  advance_election(now_ns);
  std::vector<QueryToSend> due;
  if (!may_send()) return due;
  take_general_query(now_ns, due);
  take_group_queries(now_ns, due);
  return due;
}

int64_t InterfaceQuerier::next_deadline_ns() const {
  int64_t next = table_.next_change_ns();
  if (!elected_) next = std::min(next, other_querier_expires_ns_);
  if (query_version_ != newest_version_) next = std::min(next, older_querier_expires_ns_);
  if (may_send()) {
    next = std::min(next, next_general_query_ns_);
    for (const PendingGroupQuery& pending : group_queries_) next = std::min(next, pending.next_ns);
  }
  return next;
}

}  // namespace mcr::membership
