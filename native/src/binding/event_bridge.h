// Carries engine events from worker threads to JavaScript: a thread-safe function with a
// bounded queue, non-blocking calls, and a count of events dropped when the queue is full —
// a packet thread never waits for JavaScript. Holding it also keeps the event loop alive.
#pragma once

#include <napi.h>

#include <atomic>
#include <cstdint>

#include "core/engine.h"

namespace mcr::binding {

class EventBridge {
 public:
  EventBridge(Napi::Env env, Napi::Function callback);
  ~EventBridge();
  EventBridge(const EventBridge&) = delete;
  EventBridge& operator=(const EventBridge&) = delete;

  void post(const EngineEvent& event);  // any thread, never blocks
  void release();                       // JS thread; after this, post() drops
  uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }

 private:
  static constexpr size_t kMaxQueuedEvents = 256;
  Napi::ThreadSafeFunction tsfn_;
  std::atomic<bool> released_{false};
  std::atomic<uint64_t> dropped_{0};
};

}  // namespace mcr::binding
