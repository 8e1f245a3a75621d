// Which relays the eBPF datapath forwards: installs, updates and withdraws each relay's rule as
// its spec and interfaces change, and adds the kernel's counters to the relay's socket counters.
// A relay the program cannot forward stays on the socket path, with the reason. Every relay keeps
// its sockets either way: they hold the group memberships, and they forward what the program
// passes to the stack (IP options, fragments, GSO super-packets) and everything while the rule is
// withdrawn. Called under the engine lock only.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/engine.h"
#include "core/kernel_datapath.h"
#include "core/kernel_rule.h"
#include "core/relay.h"
#include "core/slot_pool.h"
#include "core/stats.h"

namespace mcr {

class KernelRelays {
 public:
  // `datapath` null: every relay runs on sockets, `why_not` says why (empty: sockets were chosen).
  KernelRelays(std::unique_ptr<KernelDatapath> datapath, std::string why_not, InterfaceFactsLookup lookup);
  ~KernelRelays();
  KernelRelays(const KernelRelays&) = delete;
  KernelRelays& operator=(const KernelRelays&) = delete;

  bool available() const noexcept { return datapath_ != nullptr; }

  // Brings the relay's rule in line with its spec and interfaces now (install, replace, withdraw).
  void sync(const Relay& relay);
  // The relay is gone (or rebuilt): its rule, link hold and counters go.
  void forget(const std::string& id);
  // Adds the kernel's counts to a socket snapshot and names the datapath that runs the relay.
  void add_to(RelayStats& stats, const Relay& relay) const;
  // The datagrams the program counted on the relay's input (0 when it never had a rule): input
  // liveness reads this with the socket count, as add_to adds it to packetsIn.
  uint64_t packets_in(const std::string& id) const;

  void set_active(bool active);
  void set_forward_until(int64_t monotonic_deadline_ns);
  // Detaches from every interface (the engine closes).
  void clear();

 private:
  struct Entry {
    uint32_t relay_slot = 0;
    std::vector<std::pair<OutputSpec, uint32_t>> output_slots;
    unsigned ingress_index = 0;        // 0: no rule installed, no link held
    std::vector<mcr_rule_key> keys;    // an IPv4 relay's
    std::vector<mcr_rule6_key> keys6;  // an IPv6 relay's
    std::string fallback_reason;
  };

  Entry& entry_for(const std::string& id);
  void assign_output_slots(Entry& entry, const RelaySpec& spec, KernelRulePlan& plan);
  template <typename Key, typename Rule>
  void replace_rules(const std::vector<Key>& previous, const std::vector<Key>& keys, const Rule& rule);
  void install(Entry& entry, const KernelRulePlan& plan);
  void withdraw(Entry& entry);

  std::unique_ptr<KernelDatapath> datapath_;
  std::string why_not_;
  InterfaceFactsLookup lookup_;
  SlotPool relay_slots_{MCR_EBPF_MAX_RELAYS};
  SlotPool output_slots_{MCR_EBPF_MAX_OUTPUT_SLOTS};
  std::map<std::string, Entry> entries_;
};

}  // namespace mcr
