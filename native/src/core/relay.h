// A running relay: its spec, its open ingress and output sockets, and its live counters.
// Shared between the engine (stats, updates) and the worker that forwards it.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/analysis/stream_analyzer.h"
#include "core/counters.h"
#include "core/engine.h"
#include "core/ingress_socket.h"
#include "core/membership/listener_gates.h"
#include "core/output_socket.h"
#include "core/redundancy/redundant_input.h"
#include "core/relay_spec.h"
#include "core/stats.h"

namespace mcr {

struct Output {
  OutputSpec spec;
  OutputSocket socket;
  OutputCounters counters;
  int64_t last_error_event_ns = 0;     // worker only: CLOCK_MONOTONIC of the last send-error event
  int64_t gso_suspended_until_ns = 0;  // worker only: CLOCK_MONOTONIC until which GSO stays off (refused)
  int64_t gso_mtu_recheck_ns = 0;      // worker only: when to read the MTU again (0 = limit as opened)

  // On-demand outputs only: open while a member of the group is reported on the interface. Set
  // before the worker first sees the output, never changed after.
  std::shared_ptr<membership::ListenerGate> gate;

  bool inherits_ttl() const noexcept { return spec.ttl == kTtlInherit; }
  // One relaxed load per batch: false while an on-demand output has no listener.
  bool listened() const noexcept { return gate == nullptr || gate->is_open(); }
  OutputStats snapshot() const;
};

// Threading: `spec` and `outputs` change only on the owning worker, inside a command the engine
// waits for while holding its lock; the engine reads them only under that lock. A disabled relay
// is on no worker (it has no socket to read), so the engine changes it directly under the lock.
// Counters have one writer (the worker) and are read at any time.
struct Relay {
  std::string id;
  RelaySpec spec;
  IngressSocket ingress;
  std::unique_ptr<RedundantInput> redundancy;  // spec.redundancy: the B leg and its state; else null
  RelayCounters counters;
  // Worker only: the analysis of each leg per spec.analyze (docs/stream-analysis.md): leg 0 is
  // `input`, leg 1 the B leg of `redundancy` (null for a plain relay); null = off.
  std::array<std::unique_ptr<StreamAnalyzer>, RedundantInput::kLegs> analysis;
  std::vector<std::shared_ptr<Output>> outputs;
  uint64_t promotions_seen = 0;  // worker only: Role promotions this relay has caught up with
  // Per-relay placement: false while another node owns the relay, so this node drains it like a
  // standby even when the node is active. Written by a worker command (or under the engine lock
  // while the relay is parked), read by the worker once per batch.
  bool owned = true;
  int64_t last_error_event_ns = 0;  // worker only: CLOCK_MONOTONIC of the last receive-error event
  // Engine lock only: the relay's interfaces that are down or gone right now, and those deleted
  // since the relay's sockets on them were opened (memberships and bindings died with them).
  std::set<std::string> interfaces_down;
  std::set<std::string> interfaces_lost;

  RelayStats snapshot() const;

  // Starts the analysis of every leg afresh in spec.analyze's mode (none when off). Worker only,
  // or under the engine lock while the relay is on no worker.
  void restart_analysis();
  // Asks each leg's ingress for per-datagram receive timestamps exactly while spec.analyze
  // measures RTP jitter; again after an ingress is reopened.
  void sync_arrival_timestamps() noexcept;

  // Leg 0 is `ingress`, leg 1 the B leg of `redundancy` (which must exist).
  IngressSocket& ingress_of(unsigned leg) noexcept { return leg == 0 ? ingress : redundancy->second(); }
  unsigned leg_count() const noexcept { return redundancy ? RedundantInput::kLegs : 1; }
};

bool any_output_inherits_ttl(const std::vector<OutputSpec>& outputs);

// Opens every socket of a relay on the calling thread (errors name the spec field).
std::shared_ptr<Relay> open_relay(std::string id, const RelaySpec& spec, int socket_buffer_bytes);

// A disabled relay: its spec and counters and nothing else. No socket means no membership and
// nothing received, so a disabled stream stops crossing the links that lead to this host.
std::shared_ptr<Relay> parked_relay(std::string id, const RelaySpec& spec);

std::shared_ptr<Output> open_relay_output(const OutputSpec& spec, size_t index, int socket_buffer_bytes);

// An output with fresh counters and no socket yet (a parked relay's, or one about to be opened).
std::shared_ptr<Output> unopened_output(const OutputSpec& spec);

}  // namespace mcr
