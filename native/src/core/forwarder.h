// The hot path of one worker: receive a relay's datagrams in batches into the worker's buffer
// pool and send each batch to every output, or drain it without sending (standby, fenced).
#pragma once

#include <cstdint>

#include "core/batch.h"
#include "core/buffer_pool.h"
#include "core/engine.h"
#include "core/forwarding_state.h"
#include "core/relay.h"

namespace mcr {

class Forwarder {
 public:
  // Fairness: at most this many batches per relay per wakeup; level-triggered epoll reports a
  // relay that still has data again on the next round, after the other ready relays had a turn.
  static constexpr unsigned kMaxBatchesPerWakeup = 4;
  // Bound on a discard (promotion, enabling): a full 4 MiB receive queue of minimum-size
  // datagrams (~768 bytes of kernel memory each) is ~5,500 datagrams = 86 batches of 64.
  static constexpr unsigned kMaxDiscardBatches = 1024;
  static constexpr int64_t kErrorEventIntervalNs = 1'000'000'000;  // per output (or ingress)

  Forwarder(const EngineOptions& options, const ForwardingState& state);

  // Handles a relay whose ingress epoll reported readable: leg 0 is the input, leg 1 the B leg of
  // a redundant relay, whose batches pass its RedundantInput filter before they are sent.
  void service(Relay& relay, unsigned leg = 0);

  // Receives everything queued on the relay's ingresses and sends nothing, counting it as not
  // forwarded (standby). Used when a relay starts forwarding, so nothing queued before is
  // replayed late. A redundant relay's merge window still learns the keys, so copies of these
  // datagrams that the other leg brings later are not forwarded either.
  void discard_queued(Relay& relay);

  // Empties the ingress queues without counting anything: the datagrams are copies another
  // socket of the same relay has forwarded or will forward (rebuild on the same group:port).
  void drop_queued_copies(Relay& relay);

  // After a promotion to active: discards what the relay queued while standby, once. Called for
  // every relay when the worker is woken by set_role, so an idle relay keeps its next datagram.
  void catch_up_with_promotion(Relay& relay);

  // The promotion count a relay starts with, so a new relay has nothing to catch up with.
  uint64_t current_promotions() const noexcept;

 private:
  enum class Disposition { forward, standby, stale, fenced };

  unsigned receive(Relay& relay, unsigned leg);
  BatchSummary collect(Relay& relay, unsigned leg, unsigned received, int64_t now_unix_ns);
  void analyze(Relay& relay, unsigned leg, int64_t batch_unix_ns);
  Disposition disposition(Relay& relay) const;
  void send_to(Relay& relay, Output& output, int64_t now_unix_ns);
  unsigned gso_segment_limit(Output& output) const;
  void recheck_gso_mtu(Output& output, int64_t now_ns) const;
  unsigned fall_back_from_gso(Output& output, unsigned message, int err, OutputMessages& ready);
  // `leg` names the ingress of a receive error (0 = input, 1 = redundancy.input).
  void report_error(const Relay& relay, const Output* output, int64_t& last_event_ns, const char* what, int err,
                    unsigned leg = 0) const;

  const ForwardingState& state_;
  const bool gso_;                    // EngineOptions::gso
  const int64_t gso_mtu_recheck_ns_;  // EngineOptions::gso_mtu_recheck_ns
  BufferPool pool_;
  Batch batch_;
};

}  // namespace mcr
