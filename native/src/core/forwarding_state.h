// Engine-wide switches every worker reads once per batch: the role (active/standby), the
// fencing deadline, and where notable events go. Written by the engine, read lock-free.
#pragma once

#include <atomic>
#include <cstdint>

#include "core/engine.h"

namespace mcr {

struct ForwardingState {
  // set_role bumps `promotions` before storing Role::active (release), so a worker that loads
  // active (acquire) also sees the new promotion count and discards what was queued before it.
  std::atomic<Role> role{Role::active};
  std::atomic<uint64_t> promotions{0};
  std::atomic<int64_t> forward_until_ns{0};  // CLOCK_MONOTONIC deadline; 0 = none
  EventSink events;                          // set at construction, never changed

  // Called from worker threads; a throwing sink must not take the data plane down.
  void emit(const EngineEvent& event) const noexcept {
    if (!events) return;
    try {
      events(event);
    } catch (...) {  // NOLINT(bugprone-empty-catch): the event is lost, forwarding goes on
    }
  }
};

}  // namespace mcr
