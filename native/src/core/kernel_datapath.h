// The eBPF datapath's kernel side as the engine sees it: the loaded program, its tcx links and
// its maps. Implemented with libbpf in native/src/ebpf when the build had clang and libbpf, and
// absent otherwise (open_kernel_datapath then says why); GoogleTest substitutes a fake.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "ebpf/datapath_layout.h"

namespace mcr {

// Per-CPU counters summed over the CPUs.
struct KernelRelayCounts {
  uint64_t packets_in = 0;
  uint64_t bytes_in = 0;
  uint64_t ttl_expired = 0;
  uint64_t not_forwarded_standby = 0;
  uint64_t held_by_fence = 0;
  int64_t last_packet_monotonic_ns = 0;  // 0 = never
};

struct KernelOutputCounts {
  uint64_t packets = 0;
  uint64_t bytes = 0;
  uint64_t send_errors = 0;
  int64_t last_packet_monotonic_ns = 0;
};

class KernelDatapath {
 public:
  virtual ~KernelDatapath() = default;

  // The program runs on the interface's tcx ingress while at least one hold is kept; the link
  // belongs to this process, so it goes when the process does (even on SIGKILL).
  // Throws SystemError when the kernel refuses the attachment.
  virtual void hold_interface(unsigned ifindex) = 0;
  virtual void release_interface(unsigned ifindex) = 0;

  // Rules: an update replaces the value atomically (the program sees the old or the new rule).
  // Throw SystemError when the map refuses (full).
  virtual void put_rule(const mcr_rule_key& key, const mcr_rule& rule) = 0;
  virtual void delete_rule(const mcr_rule_key& key) = 0;
  // IPv6 relays' rules, in their own map.
  virtual void put_rule(const mcr_rule6_key& key, const mcr_rule6& rule) = 0;
  virtual void delete_rule(const mcr_rule6_key& key) = 0;

  virtual void reset_relay_counters(uint32_t slot) = 0;
  virtual void reset_output_counters(uint32_t slot) = 0;
  virtual KernelRelayCounts relay_counters(uint32_t slot) const = 0;
  virtual KernelOutputCounts output_counters(uint32_t slot) const = 0;

  // Plain stores into the program's mmapped control entry: renewing the fence costs no system call.
  virtual void set_active(bool active) = 0;
  virtual void set_forward_until(int64_t monotonic_deadline_ns) = 0;
};

// Loads the program and creates its maps; nullptr with `why_not` set when this build or this
// host cannot (built without clang/libbpf, no CAP_BPF, kernel without tcx, verifier refusal).
std::unique_ptr<KernelDatapath> open_kernel_datapath(std::string& why_not);

}  // namespace mcr
