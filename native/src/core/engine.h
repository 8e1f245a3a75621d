// The packet engine: worker threads that forward relays' datagrams with recvmmsg/sendmmsg.
// Public face of the core; the Node-API binding wraps exactly this class.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/engine_error.h"
#include "core/relay_spec.h"
#include "core/stats.h"
#include "net/gso.h"
#include "net/system_error.h"  // SystemError: what add/update throw when the system refuses

namespace mcr {

namespace membership {
class ListenerGates;
}

// Ranges and defaults are the contract's (contract::option, from libs/contract); errors about an
// option name it in the caller's spelling (`bufferSize`).
struct EngineOptions {
  unsigned workers = contract::option::workers.default_value;          // forwarding threads
  unsigned batch_size = contract::option::batch_size.default_value;    // datagrams per recvmmsg / sendmmsg
  unsigned buffer_size = contract::option::buffer_size.default_value;  // bytes per receive slot
  // Requested SO_RCVBUF/SO_SNDBUF (SO_*BUFFORCE tried first).
  int socket_buffer_bytes = contract::option::socket_buffer_bytes.default_value;
  // UDP GSO (UDP_SEGMENT) on send, per output where the kernel accepts it; refusals fall back to
  // one datagram per message on that output (counted) and are probed again later.
  bool gso = contract::option::gso.default_value;
  // While an MTU drop keeps an output's GSO segments smaller than at open, the MTU is read again
  // this often, so full-size segments return once it is put back. Not exposed to JavaScript:
  // tests shorten it instead of waiting out the default.
  int64_t gso_mtu_recheck_ns = kGsoReprobeIntervalNs;
  // UDP GRO (UDP_GRO) on the ingress sockets: the kernel may hand over several datagrams of one
  // flow coalesced in one buffer (an upstream GSO sender, or a NIC / veth with GRO forwarding on),
  // which the engine splits again. Receive slots become 64 KiB each (batch_size x 64 KiB per
  // worker) so a coalesced buffer always fits; buffer_size is then ignored. Off by default.
  bool gro = contract::option::gro.default_value;
  // Worker i runs on cpus[i % cpus.size()]; empty = the threads keep the process's affinity
  // (so `taskset` on the process keeps working). The engine never changes its own affinity.
  std::vector<unsigned> cpus;
  // SCHED_FIFO priority 1..99 for the workers; 0 = normal scheduling (the default).
  int realtime_priority = contract::option::realtime_priority.default_value;
  // Busy polling: after a wakeup that found datagrams, a worker keeps polling its sockets for
  // this many microseconds before it sleeps in epoll_wait again. While traffic arrives faster
  // than that, the worker never sleeps, so no datagram waits for a thread wakeup (lower and
  // steadier latency), at the price of a core that stays busy. 0 = off (the default).
  unsigned busy_poll_us = contract::option::busy_poll_us.default_value;
  // contract::option::datapath: "socket", "ebpf" (the engine throws EngineError invalid_option
  // when the program cannot be loaded; relays it cannot forward stay on sockets, with the reason)
  // or "auto" (eBPF when the build and the host allow it, sockets otherwise, with the reason).
  std::string datapath = contract::option::datapath.default_value;
};

enum class Role { active, standby };

// "interface-down" / "interface-up": one per relay and interface transition (never per packet).
// A relay whose ingress or output interface is down or gone waits for it, keeping its spec and
// counters; when the interface (same name, possibly a new index) returns, the engine reopens
// and rejoins that relay's sockets by itself. Source: rtnetlink link and address notifications.
struct EngineEvent {
  std::string type;       // "interface-down", "interface-up", "send-error", ...
  std::string relay_id;   // "" when not about one relay
  std::string interface;  // "" when not about an interface
  std::string message;    // human-readable detail
};
using EventSink = std::function<void(const EngineEvent&)>;  // called from worker threads

class Engine {
 public:
  // Throws EngineError invalid_option for an option outside the contract, SystemError when a
  // worker cannot be placed (cpus, realtime_priority).
  explicit Engine(EngineOptions options = {}, EventSink events = {});
  ~Engine();  // close()
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Opens the relay's sockets on the calling thread (so every error is reported here, with the
  // field), then hands the relay to a worker. A disabled relay (spec.enabled false) is only
  // recorded: no socket, no membership, nothing received, until an update enables it.
  // Returns the relay id (spec.id or a generated one).
  // Throws EngineError (invalid_spec, duplicate id, closed) or SystemError.
  std::string add_relay(const RelaySpec& spec);

  // Replaces a relay's spec. Same ingress: the worker swaps the output set between two batches,
  // keeping the sockets and counters of outputs that did not change (no gap, no duplicate).
  // Different ingress: the relay is rebuilt. Disabling closes every socket of the relay (it
  // leaves its group); enabling opens them again. Counters of the relay and of unchanged outputs
  // survive all of these; other relays never pause. Throws like add_relay, EngineError not_found
  // if unknown; a refused update leaves the relay as it was.
  void update_relay(const std::string& id, const RelaySpec& spec);

  // Removes a relay; returns once its worker no longer touches it and its sockets are closed.
  // Throws EngineError not_found if unknown.
  void remove_relay(const std::string& id);

  std::vector<std::string> relay_ids() const;
  std::optional<RelayStats> stats(const std::string& id) const;
  std::vector<RelayStats> stats() const;
  // Every relay's received-datagram count, without the rest of its stats (input liveness polls it).
  std::vector<InputCount> input_counts() const;

  // Standby: sockets stay open and joined, datagrams are drained and counted, nothing is sent.
  // Promotion discards whatever was queued before it. Returns once every worker has seen the
  // change: after set_role(standby) nothing more is sent; after set_role(active) only datagrams
  // that arrive later are forwarded.
  void set_role(Role role);
  Role role() const;

  // Per-relay placement (MCR_PLACEMENT=relay): a relay this node does not own is drained like a
  // standby's even while the node is active; the role and the fencing deadline still apply to all.
  // Synchronous like set_role: after set_relay_owned(id, false) the relay sends nothing more; after
  // set_relay_owned(id, true) it forwards only datagrams that arrive later. Throws not_found.
  void set_relay_owned(const std::string& id, bool owned);
  // Whether relays added from now on start owned (true, the default) or wait for set_relay_owned.
  void set_new_relays_owned(bool owned);

  // Fencing: workers stop sending once CLOCK_MONOTONIC passes `deadline_ns` (checked every batch).
  void set_forward_until(int64_t monotonic_deadline_ns);
  void clear_forward_until();

  // The gates of on-demand outputs, for the querier to open and close (core/membership).
  std::shared_ptr<membership::ListenerGates> listener_gates() const;

  // Stops the workers, closes every socket, frees every buffer. Idempotent.
  void close();
  bool closed() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mcr
