// The engine's one rtnetlink socket (links, IPv4 and IPv6 addresses, IPv4 netconf) and the thread
// that reads it: every burst of messages becomes one InterfaceChanges handed to the listener.
#pragma once

#include <functional>
#include <mutex>
#include <thread>

#include "core/interface_changes.h"
#include "net/fd.h"

namespace mcr {

// A thread of its own rather than one more source in a worker's epoll: reopening sockets and
// waiting for several workers' command queues must never stall a forwarding loop, and with N
// workers no single one of them owns the relays a change affects.
class InterfaceMonitor {
 public:
  using Listener = std::function<void(const InterfaceChanges&)>;  // called on the monitor thread

  // Opens and binds the socket on the caller's thread (throws std::system_error), then starts.
  explicit InterfaceMonitor(Listener listener);
  ~InterfaceMonitor();  // stop()
  InterfaceMonitor(const InterfaceMonitor&) = delete;
  InterfaceMonitor& operator=(const InterfaceMonitor&) = delete;

  // Returns once the thread has exited, with the socket and the eventfd closed; the listener is
  // not called afterwards. Idempotent and safe from any thread but the monitor's own.
  void stop();

 private:
  void run();
  bool read_changes(InterfaceChanges& changes);  // false when the socket failed for good

  Listener listener_;
  Fd netlink_;
  Fd wake_;                // eventfd: stop
  std::mutex stop_mutex_;  // two threads closing the engine at once join only once
  std::jthread thread_;    // last: starts after every member above exists
};

}  // namespace mcr
