// On-demand outputs: each one holds a gate that is open while a member of its destination group
// is reported on its interface. The querier thread opens and closes the gates from its membership
// tables; a worker reads one relaxed atomic per output per batch and sends only through an open
// gate. The gate also keeps how long it has been closed (pruned), off the forwarding path.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/membership/group_table.h"
#include "net/address.h"

namespace mcr::membership {

class ListenerGate {
 public:
  ListenerGate(std::string interface, const IpAddress& group, bool open, int64_t now_ns);

  // The worker's one read per batch: relaxed, since a datagram more or less at a transition is
  // within the protocol's own latency.
  bool is_open() const noexcept { return open_.load(std::memory_order_relaxed); }
  // Total time closed up to `now_ns`, including the current closed stretch.
  int64_t pruned_ns(int64_t now_ns) const noexcept;

  const std::string& interface() const { return interface_; }
  const IpAddress& group() const { return group_; }
  void set_open(bool open, int64_t now_ns) noexcept;  // the querier thread only

 private:
  std::string interface_;
  IpAddress group_;
  std::atomic<bool> open_;
  std::atomic<int64_t> closed_since_ns_;  // valid while closed
  std::atomic<int64_t> closed_before_ns_{0};
};

// The registry the engine takes gates from and the querier updates. Thread-safe.
class ListenerGates {
 public:
  // A gate for an on-demand output, open at once when the group is already reported there.
  std::shared_ptr<ListenerGate> acquire(const std::string& interface, const IpAddress& group, int64_t now_ns);

  // The querier's latest table of one interface and family: every gate there follows it.
  void update(const std::string& interface, int family, const GroupTable& table, int64_t now_ns);

 private:
  struct Reported {
    std::string interface;
    std::vector<IpAddress> groups;  // both families of the interface
  };

  bool reported(const std::string& interface, const IpAddress& group) const;

  mutable std::mutex mutex_;
  std::vector<std::weak_ptr<ListenerGate>> gates_;
  std::vector<Reported> reported_;
};

}  // namespace mcr::membership
