// The engine's IGMP/MLD querier: one thread that reads membership messages from every named
// interface (both families), runs each interface's InterfaceQuerier on CLOCK_MONOTONIC and sends
// the queries they ask for. Only the HA active node queries; every node listens and learns.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/membership/interface_querier.h"
#include "core/membership/listener_gates.h"
#include "net/fd.h"

namespace mcr::membership {

struct QuerierOptions {
  std::vector<std::string> interfaces;
  int64_t interval_s = contract::querier::interval_s_default;
};

// A copy of one interface's state, taken under the querier's lock.
struct InterfaceSnapshot {
  std::string interface;
  int family = AF_INET;
  bool up = false;  // false while the interface is missing: the querier reopens it when it returns
  QuerierState state = QuerierState::no_address;
  int query_version = 0;
  std::optional<IpAddress> own_address;
  std::optional<IpAddress> other_querier;
  int64_t other_querier_expires_ns = 0;
  int64_t next_general_query_ns = 0;
  QuerierCounters counters;
  std::vector<GroupEntry> groups;
};

struct QuerierSnapshot {
  int64_t now_ns = 0;  // CLOCK_MONOTONIC at the copy: every *_ns above is on that clock
  Timers timers;
  bool active = false;
  std::vector<InterfaceSnapshot> interfaces;
};

class Querier {
 public:
  // Checks the options (EngineError invalid_option naming querierInterfaces / querierIntervalS),
  // opens the sockets of every interface present (SystemError, e.g. without CAP_NET_RAW), starts.
  // `gates`: the engine's on-demand output gates, which follow the membership tables (may be null).
  Querier(const QuerierOptions& options, bool active, std::shared_ptr<ListenerGates> gates = nullptr);
  ~Querier();  // stop()
  Querier(const Querier&) = delete;
  Querier& operator=(const Querier&) = delete;

  void set_active(bool active);
  QuerierSnapshot snapshot() const;
  void stop();

 private:
  struct Link;  // one interface and family: its sockets and its InterfaceQuerier

  void run();
  void receive(Link& link);
  void send_due(Link& link, int64_t now_ns);
  void refresh_links(int64_t now_ns);
  int poll_timeout_ms(int64_t now_ns) const;

  void update_gates(const Link& link, int64_t now_ns) const;

  Timers timers_;
  std::shared_ptr<ListenerGates> gates_;
  mutable std::mutex mutex_;  // guards links_ and active_ against snapshot() and set_active()
  std::vector<std::unique_ptr<Link>> links_;
  bool active_;
  int64_t next_refresh_ns_ = 0;
  Fd wake_;  // eventfd: stop, or a role change to act on now
  std::atomic<bool> stopping_{false};
  std::mutex stop_mutex_;
  std::jthread thread_;  // last: starts after every member above exists
};

}  // namespace mcr::membership
