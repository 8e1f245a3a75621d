#include "core/membership/listener_gates.h"

#include <algorithm>

namespace mcr::membership {

ListenerGate::ListenerGate(std::string interface, const IpAddress& group, bool open, int64_t now_ns)
    : interface_(std::move(interface)), group_(group), open_(open), closed_since_ns_(now_ns) {}

int64_t ListenerGate::pruned_ns(int64_t now_ns) const noexcept {
  const int64_t before = closed_before_ns_.load(std::memory_order_relaxed);
  if (is_open()) return before;
  return before + std::max<int64_t>(0, now_ns - closed_since_ns_.load(std::memory_order_relaxed));
}

void ListenerGate::set_open(bool open, int64_t now_ns) noexcept {
  if (open == is_open()) return;
  if (open) {
    closed_before_ns_.fetch_add(now_ns - closed_since_ns_.load(std::memory_order_relaxed), std::memory_order_relaxed);
  } else {
    closed_since_ns_.store(now_ns, std::memory_order_relaxed);
  }
  open_.store(open, std::memory_order_relaxed);
}

bool ListenerGates::reported(const std::string& interface, const IpAddress& group) const {
  for (const Reported& entry : reported_) {
    if (entry.interface != interface) continue;
    return std::find(entry.groups.begin(), entry.groups.end(), group) != entry.groups.end();
  }
  return false;
}

std::shared_ptr<ListenerGate> ListenerGates::acquire(const std::string& interface, const IpAddress& group,
                                                     int64_t now_ns) {
  std::lock_guard lock(mutex_);
  auto gate = std::make_shared<ListenerGate>(interface, group, reported(interface, group), now_ns);
  std::erase_if(gates_, [](const std::weak_ptr<ListenerGate>& known) { return known.expired(); });
  gates_.push_back(gate);
  return gate;
}

void ListenerGates::update(const std::string& interface, int family, const GroupTable& table, int64_t now_ns) {
  std::lock_guard lock(mutex_);
  auto entry = std::find_if(reported_.begin(), reported_.end(),
                            [&](const Reported& known) { return known.interface == interface; });
  if (entry == reported_.end()) entry = reported_.insert(reported_.end(), Reported{interface, {}});
  std::erase_if(entry->groups, [&](const IpAddress& group) { return group.family == family; });
  for (const GroupEntry& group : table.groups()) entry->groups.push_back(group.group);
  for (const auto& weak : gates_) {
    const auto gate = weak.lock();
    if (!gate || gate->interface() != interface || gate->group().family != family) continue;
    gate->set_open(table.has_member(gate->group()), now_ns);
  }
}

}  // namespace mcr::membership
