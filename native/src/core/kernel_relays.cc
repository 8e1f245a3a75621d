// The eBPF datapath's relay bookkeeping: counter slots, link holds, rule keys, fallback reasons.
#include "core/kernel_relays.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "core/spec_match.h"
#include "net/clock.h"
#include "net/system_error.h"

namespace mcr {

namespace {

bool same_key(const mcr_rule_key& a, const mcr_rule_key& b) {
  return a.ifindex == b.ifindex && a.saddr == b.saddr && a.daddr == b.daddr && a.dport == b.dport;
}

bool same_key(const mcr_rule6_key& a, const mcr_rule6_key& b) {
  return a.ifindex == b.ifindex && a.dport == b.dport && std::memcmp(a.saddr, b.saddr, sizeof(a.saddr)) == 0 &&
         std::memcmp(a.daddr, b.daddr, sizeof(a.daddr)) == 0;
}

template <typename Key>
bool contains(const std::vector<Key>& keys, const Key& key) {
  return std::any_of(keys.begin(), keys.end(), [&](const Key& k) { return same_key(k, key); });
}

// The kernel stamps CLOCK_MONOTONIC; the stats report wall-clock time.
int64_t to_unix_ns(int64_t monotonic_ns) {
  if (monotonic_ns == 0) return 0;
  return realtime_now_ns() - (monotonic_now_ns() - monotonic_ns);
}

void add_other_errno(std::vector<std::pair<int, uint64_t>>& by_errno, uint64_t count) {
  const auto other = std::find_if(by_errno.begin(), by_errno.end(), [](const auto& entry) { return entry.first == 0; });
  if (other != by_errno.end()) {
    other->second += count;
  } else {
    by_errno.emplace_back(0, count);
  }
}

}  // namespace

KernelRelays::KernelRelays(std::unique_ptr<KernelDatapath> datapath, std::string why_not, InterfaceFactsLookup lookup)
    : datapath_(std::move(datapath)), why_not_(std::move(why_not)), lookup_(std::move(lookup)) {}

KernelRelays::~KernelRelays() {
  clear();
}

KernelRelays::Entry& KernelRelays::entry_for(const std::string& id) {
  auto found = entries_.find(id);
  if (found != entries_.end()) return found->second;
  const auto slot = relay_slots_.take();
  if (!slot)
    throw SystemError("", ENOSPC, "the eBPF datapath holds " + std::to_string(MCR_EBPF_MAX_RELAYS) + " relays");
  datapath_->reset_relay_counters(*slot);
  Entry entry;
  entry.relay_slot = *slot;
  return entries_.emplace(id, std::move(entry)).first->second;
}

// Outputs that did not change keep their slot (and counts), as they keep their socket.
void KernelRelays::assign_output_slots(Entry& entry, const RelaySpec& spec, KernelRulePlan& plan) {
  std::vector<std::pair<OutputSpec, uint32_t>> previous = std::move(entry.output_slots);
  std::vector<bool> kept(previous.size(), false);
  entry.output_slots.clear();
  for (size_t i = 0; i < spec.outputs.size(); ++i) {
    std::optional<uint32_t> slot;
    for (size_t p = 0; p < previous.size() && !slot; ++p) {
      if (!kept[p] && same_output(previous[p].first, spec.outputs[i])) {
        kept[p] = true;
        slot = previous[p].second;
      }
    }
    if (!slot) {
      slot = output_slots_.take();
      if (!slot) throw SystemError("", ENOSPC, "the eBPF datapath's output counters are all taken");
      datapath_->reset_output_counters(*slot);
    }
    entry.output_slots.emplace_back(spec.outputs[i], *slot);
    plan.rule.outputs[i].counter_slot = *slot;  // the rule of the relay's family is the one stored
    plan.rule6.outputs[i].counter_slot = *slot;
  }
  for (size_t p = 0; p < previous.size(); ++p) {
    if (!kept[p]) output_slots_.give_back(previous[p].second);
  }
}

// New keys first, stale keys after: a datagram always meets the old or the new rule.
template <typename Key, typename Rule>
void KernelRelays::replace_rules(const std::vector<Key>& previous, const std::vector<Key>& keys, const Rule& rule) {
  for (const auto& key : keys) datapath_->put_rule(key, rule);
  for (const auto& key : previous) {
    if (!contains(keys, key)) datapath_->delete_rule(key);
  }
}

void KernelRelays::install(Entry& entry, const KernelRulePlan& plan) {
  if (plan.ingress_index != entry.ingress_index) datapath_->hold_interface(plan.ingress_index);
  const unsigned previous_index = entry.ingress_index;
  const std::vector<mcr_rule_key> previous_keys = std::exchange(entry.keys, plan.keys);
  const std::vector<mcr_rule6_key> previous_keys6 = std::exchange(entry.keys6, plan.keys6);
  entry.ingress_index = plan.ingress_index;
  replace_rules(previous_keys, plan.keys, plan.rule);
  replace_rules(previous_keys6, plan.keys6, plan.rule6);
  if (previous_index != 0 && previous_index != plan.ingress_index) datapath_->release_interface(previous_index);
}

void KernelRelays::withdraw(Entry& entry) {
  for (const auto& key : entry.keys) datapath_->delete_rule(key);
  for (const auto& key : entry.keys6) datapath_->delete_rule(key);
  entry.keys.clear();
  entry.keys6.clear();
  if (entry.ingress_index != 0) datapath_->release_interface(entry.ingress_index);
  entry.ingress_index = 0;
}

void KernelRelays::sync(const Relay& relay) {
  if (!datapath_) return;
  Entry* entry = nullptr;
  try {
    entry = &entry_for(relay.id);
    KernelRulePlan plan = plan_kernel_rule(relay.spec, lookup_);
    // Relay placement: the program has no per-relay owner check, so only owned relays get a rule;
    // the socket path drains the others.
    if (!relay.owned)
      plan = KernelRulePlan{.fallback_reason = "owner: another node owns the relay (MCR_PLACEMENT=relay)"};
    if (!plan.in_kernel()) {
      withdraw(*entry);
      entry->fallback_reason = plan.fallback_reason;
      return;
    }
    plan.rule.relay_slot = entry->relay_slot;
    plan.rule6.relay_slot = entry->relay_slot;
    assign_output_slots(*entry, relay.spec, plan);
    install(*entry, plan);
    entry->fallback_reason.clear();
  } catch (const SystemError& error) {
    if (entry == nullptr) {
      why_not_ = error.what();
      return;
    }
    withdraw(*entry);
    entry->fallback_reason = error.what();
  }
}

void KernelRelays::forget(const std::string& id) {
  const auto found = entries_.find(id);
  if (found == entries_.end()) return;
  withdraw(found->second);
  relay_slots_.give_back(found->second.relay_slot);
  for (const auto& [spec, slot] : found->second.output_slots) output_slots_.give_back(slot);
  entries_.erase(found);
}

void KernelRelays::add_to(RelayStats& stats, const Relay& relay) const {
  const auto found = entries_.find(relay.id);
  if (found == entries_.end()) {
    stats.datapath = "socket";
    stats.datapath_reason = why_not_;
    return;
  }
  const Entry& entry = found->second;
  stats.datapath = entry.ingress_index != 0 ? "ebpf" : "socket";
  stats.datapath_reason = entry.fallback_reason;
  const KernelRelayCounts relay_counts = datapath_->relay_counters(entry.relay_slot);
  stats.packets_in += relay_counts.packets_in;
  stats.bytes_in += relay_counts.bytes_in;
  stats.ttl_expired += relay_counts.ttl_expired;
  stats.not_forwarded_standby += relay_counts.not_forwarded_standby;
  stats.held_by_fence += relay_counts.held_by_fence;
  stats.last_packet_unix_ns = std::max(stats.last_packet_unix_ns, to_unix_ns(relay_counts.last_packet_monotonic_ns));
  for (size_t i = 0; i < stats.outputs.size() && i < entry.output_slots.size(); ++i) {
    const KernelOutputCounts counts = datapath_->output_counters(entry.output_slots[i].second);
    OutputStats& output = stats.outputs[i];
    output.packets += counts.packets;
    output.bytes += counts.bytes;
    if (counts.send_errors != 0) {
      // The program learns only that a redirect failed, not why: reported as errno 0 ("other").
      output.send_errors += counts.send_errors;
      add_other_errno(output.send_errors_by_errno, counts.send_errors);
    }
    output.last_packet_unix_ns = std::max(output.last_packet_unix_ns, to_unix_ns(counts.last_packet_monotonic_ns));
  }
}

uint64_t KernelRelays::packets_in(const std::string& id) const {
  const auto found = entries_.find(id);
  if (found == entries_.end()) return 0;
  return datapath_->relay_counters(found->second.relay_slot).packets_in;
}

void KernelRelays::set_active(bool active) {
  if (datapath_) datapath_->set_active(active);
}

void KernelRelays::set_forward_until(int64_t monotonic_deadline_ns) {
  if (datapath_) datapath_->set_forward_until(monotonic_deadline_ns);
}

void KernelRelays::clear() {
  if (!datapath_) return;
  for (auto& [id, entry] : entries_) withdraw(entry);
  entries_.clear();
  datapath_.reset();
}

}  // namespace mcr
