// A forwarding thread: owns an epoll set of ingress sockets, a command queue fed by the engine,
// and one Forwarder (buffer pool + batch). Relays are handed over and taken back by command.
#pragma once

#include <sys/epoll.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/engine.h"
#include "core/forwarder.h"
#include "core/forwarding_state.h"
#include "core/relay.h"
#include "net/fd.h"

namespace mcr {

class Worker {
 public:
  // One epoll_wait returns at most this many ready sources (ingresses + the wake eventfd).
  static constexpr int kMaxEventsPerWait = 64;

  // Starts the thread and places it (options.cpus, options.realtime_priority) as worker number
  // `index`; throws SystemError, with no thread left behind, when the placement is refused.
  Worker(const EngineOptions& options, const ForwardingState& state, unsigned index);
  ~Worker();  // stops the thread and joins it; relays still held are released afterwards
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Each call returns once the worker thread has executed it (or rethrows what it threw).
  void add(std::shared_ptr<Relay> relay);
  void remove(const std::shared_ptr<Relay>& relay);
  void replace(const std::shared_ptr<Relay>& old_relay, std::shared_ptr<Relay> new_relay);
  void update(const std::shared_ptr<Relay>& relay, RelaySpec spec, std::vector<std::shared_ptr<Output>> outputs);

  // Interface recovery: swaps in a socket reopened on an interface that came back, keeping the
  // relay's counters. The old ingress is drained first, so nothing it still queued is lost.
  // `leg` 1 is the B leg (redundancy.input) of a redundant relay.
  void reopen_ingress(const std::shared_ptr<Relay>& relay, IngressSocket ingress, unsigned leg = 0);
  void reopen_output(const std::shared_ptr<Output>& output, OutputSocket socket);

  // Per-relay ownership: returns once the relay's batches follow `owned`. Gaining ownership first
  // discards what the relay queued while another node owned it, so nothing is replayed late.
  void set_owned(const std::shared_ptr<Relay>& relay, bool owned);

  // Role change barrier: returns once no batch that began under the old role is in flight and,
  // after a promotion, whatever the relays queued before it has been discarded.
  void catch_up_with_role();

  void wake() noexcept;

 private:
  using Command = std::function<void()>;
  struct Pending {
    Command command;
    std::promise<void> done;
  };

  void submit(Command command);
  void run();
  // epoll_wait that first polls without sleeping until `busy_poll_until_ns_` (busy polling).
  int wait_for_events(epoll_event* events);
  void serve(const epoll_event* events, int ready);
  void run_commands();
  void catch_up_with_promotions();
  void watch(Relay& relay);  // every ingress (leg) of the relay
  void watch_leg(Relay& relay, unsigned leg);
  void unwatch(Relay& relay);

  const ForwardingState& state_;
  const bool gro_;                  // EngineOptions::gro: ask for UDP_GRO on every ingress
  const int64_t busy_poll_ns_;      // EngineOptions::busy_poll_us; 0 = always sleep
  int64_t busy_poll_until_ns_ = 0;  // poll without sleeping until then (monotonic)
  Forwarder forwarder_;
  Fd epoll_;
  Fd wake_;                                     // eventfd: commands queued, role changed, stop
  std::vector<std::shared_ptr<Relay>> relays_;  // touched only by the worker thread
  std::mutex queue_mutex_;                      // guards queue_; never taken per packet
  std::vector<Pending> queue_;
  std::atomic<bool> stopping_{false};
  std::jthread thread_;  // last: starts after every member above exists
};

}  // namespace mcr
