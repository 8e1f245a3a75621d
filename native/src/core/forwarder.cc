// recvmmsg -> classify -> one sendmmsg per output over the same buffers; counters and
// rate-limited error events on the way. No allocation, no lock, no copy of a payload.
#include "core/forwarder.h"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/interface.h"
#include "net/address.h"
#include "net/clock.h"
#include "net/gso.h"

namespace mcr {

Forwarder::Forwarder(const EngineOptions& options, const ForwardingState& state)
    : state_(state),
      gso_(options.gso),
      gso_mtu_recheck_ns_(options.gso_mtu_recheck_ns),
      pool_(options.batch_size, options.gro ? BufferPool::kGroSlotBytes : options.buffer_size),
      batch_(options.batch_size, options.gro ? kGsoMaxSegments : 1) {}

void Forwarder::service(Relay& relay, unsigned leg) {
  for (unsigned round = 0; round < kMaxBatchesPerWakeup; ++round) {
    const unsigned received = receive(relay, leg);
    if (received == 0) return;
    const int64_t now_unix_ns = realtime_now_ns();
    const BatchSummary summary = collect(relay, leg, received, now_unix_ns);
    switch (disposition(relay)) {
      case Disposition::forward:
        for (const auto& output : relay.outputs) {
          if (output->listened()) {
            send_to(relay, *output, now_unix_ns);
          } else {
            output->counters.pruned.add(summary.forwardable);  // on demand, nobody listens
          }
        }
        break;
      case Disposition::standby:
        relay.counters.not_forwarded_standby.add(summary.forwardable);
        break;
      case Disposition::stale:
        relay.counters.not_forwarded_standby.add(summary.forwardable);
        discard_queued(relay);
        return;
      case Disposition::fenced:
        relay.counters.held_by_fence.add(summary.forwardable);
        break;
    }
    if (received < pool_.capacity()) return;  // the queue is empty: skip a recvmmsg that would say so
  }
}

void Forwarder::discard_queued(Relay& relay) {
  for (unsigned leg = 0; leg < relay.leg_count(); ++leg) {
    for (unsigned round = 0; round < kMaxDiscardBatches; ++round) {
      const unsigned received = receive(relay, leg);
      if (received == 0) break;
      const BatchSummary summary = collect(relay, leg, received, realtime_now_ns());
      relay.counters.not_forwarded_standby.add(summary.forwardable);
    }
  }
}

void Forwarder::drop_queued_copies(Relay& relay) {
  for (unsigned leg = 0; leg < relay.leg_count(); ++leg) {
    for (unsigned round = 0; round < kMaxDiscardBatches; ++round) {
      const unsigned received = receive(relay, leg);
      if (received == 0) break;
      pool_.rearm(received);
    }
  }
}

void Forwarder::catch_up_with_promotion(Relay& relay) {
  if (state_.role.load(std::memory_order_acquire) != Role::active) return;
  const uint64_t promotions = state_.promotions.load(std::memory_order_relaxed);
  if (relay.promotions_seen == promotions) return;
  relay.promotions_seen = promotions;
  discard_queued(relay);
}

uint64_t Forwarder::current_promotions() const noexcept {
  return state_.promotions.load(std::memory_order_acquire);
}

unsigned Forwarder::receive(Relay& relay, unsigned leg) {
  const int received =
      recvmmsg(relay.ingress_of(leg).fd.get(), pool_.receive_messages(), pool_.capacity(), MSG_DONTWAIT, nullptr);
  if (received > 0) return static_cast<unsigned>(received);
  if (received < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
    relay.counters.receive_errors.add(1);
    const char* what = leg == 0 ? "recvmmsg on the ingress failed" : "recvmmsg on the B leg (redundancy.input) failed";
    report_error(relay, nullptr, relay.last_error_event_ns, what, errno, leg);
  }
  return 0;
}

// A redundant relay's batch leaves here already filtered: `forwardable` is what would be sent.
BatchSummary Forwarder::collect(Relay& relay, unsigned leg, unsigned received, int64_t now_unix_ns) {
  BatchSummary summary = batch_.collect(pool_, received);
  pool_.rearm(received);  // only headers are reset; the payloads stay for the sends
  RelayCounters& counters = relay.counters;
  counters.packets_in.add(summary.forwardable);
  counters.bytes_in.add(summary.bytes);
  counters.truncated.add(summary.truncated);
  counters.rxq_overflow.raise_to(summary.rxq_overflow);
  counters.last_packet_unix_ns.set(now_unix_ns);
  if (relay.analysis[leg]) analyze(relay, leg, now_unix_ns);  // the one branch when analyze is off
  if (relay.redundancy) summary.forwardable = relay.redundancy->filter(leg, batch_, summary.bytes, monotonic_now_ns());
  return summary;
}

// Before the redundancy filter, whatever the node's role: the analysis describes what the leg
// brought, copies included, and is warm at failover. Each datagram's arrival is the kernel's
// receive timestamp (the ingress asks for it while the analysis measures jitter), so neither the
// worker's wake-up latency nor datagrams queued while it was busy show as input jitter; where a
// datagram has none, the time its batch was read stands in (the same CLOCK_REALTIME). The relay's
// own numbers are its input's (leg 0); a redundant relay's legs have theirs too.
void Forwarder::analyze(Relay& relay, unsigned leg, int64_t batch_unix_ns) {
  StreamAnalyzer& analyzer = *relay.analysis[leg];
  for (unsigned i = 0; i < batch_.forwardable(); ++i) {
    const iovec& datagram = batch_.send_iovec(i);
    const int64_t kernel_ns = batch_.arrival_ns(i);
    analyzer.observe(static_cast<const std::byte*>(datagram.iov_base), datagram.iov_len,
                     kernel_ns != 0 ? kernel_ns : batch_unix_ns);
  }
  const RtpStats& rtp = analyzer.rtp();
  const auto jitter_us = static_cast<uint64_t>(rtp.jitter_us + 0.5);
  const uint64_t ts_errors = analyzer.ts_continuity_errors();
  if (leg == 0) {
    RelayCounters& counters = relay.counters;
    counters.rtp_lost.set(rtp.lost);
    counters.rtp_reordered.set(rtp.reordered);
    counters.rtp_duplicates.set(rtp.duplicates);
    counters.rtp_jitter_us.set(jitter_us);
    counters.ts_continuity_errors.set(ts_errors);
  }
  if (!relay.redundancy) return;
  LegCounters& counters = relay.redundancy->leg_counters(leg);
  counters.leg_rtp_lost.set(rtp.lost);
  counters.leg_rtp_reordered.set(rtp.reordered);
  counters.leg_rtp_duplicates.set(rtp.duplicates);
  counters.leg_rtp_jitter_us.set(jitter_us);
  counters.leg_ts_continuity_errors.set(ts_errors);
}

Forwarder::Disposition Forwarder::disposition(Relay& relay) const {
  if (state_.role.load(std::memory_order_acquire) != Role::active || !relay.owned) return Disposition::standby;
  const uint64_t promotions = state_.promotions.load(std::memory_order_relaxed);
  if (relay.promotions_seen != promotions) {
    relay.promotions_seen = promotions;
    return Disposition::stale;  // received while standby, read after the promotion
  }
  const int64_t deadline_ns = state_.forward_until_ns.load(std::memory_order_relaxed);
  if (deadline_ns != 0 && monotonic_now_ns() >= deadline_ns) return Disposition::fenced;
  return Disposition::forward;
}

// A partial sendmmsg (k < n sent) means message k failed: the next call reports its errno,
// which is counted (once per datagram the message carries) before skipping it, and the rest of
// the batch still goes out. A GSO message the kernel refuses is not an error: its datagrams and
// the rest of the batch are sent again as plain messages (see fall_back_from_gso).
void Forwarder::send_to(Relay& relay, Output& output, int64_t now_unix_ns) {
  OutputMessages ready = batch_.address_to(output.socket.destination, output.inherits_ttl(), gso_segment_limit(output));
  relay.counters.ttl_expired.add(ready.ttl_expired);
  mmsghdr* messages = batch_.messages();
  unsigned next = 0;
  uint64_t delivered = 0;
  uint64_t bytes = 0;
  uint64_t gso_datagrams = 0;
  while (next < ready.count) {
    const int sent = sendmmsg(output.socket.fd.get(), messages + next, ready.count - next, 0);
    if (sent > 0) {
      for (unsigned i = next; i < next + static_cast<unsigned>(sent); ++i) {
        const unsigned datagrams = batch_.message_datagrams(i);
        delivered += datagrams;
        bytes += messages[i].msg_len;  // a GSO message reports the bytes of all its segments
        if (datagrams > 1) gso_datagrams += datagrams;
      }
      next += static_cast<unsigned>(sent);
      continue;
    }
    if (sent < 0 && errno == EINTR) continue;
    const int err = sent < 0 ? errno : EIO;  // 0 sent without an error: count it, never spin
    if (batch_.message_datagrams(next) > 1 && is_gso_refusal(err)) {
      next = fall_back_from_gso(output, next, err, ready);
      continue;
    }
    output.counters.send_errors.add(err, batch_.message_datagrams(next));
    report_error(relay, &output, output.last_error_event_ns, "sendmmsg failed", err);
    ++next;
  }
  if (gso_datagrams != 0) output.counters.gso_datagrams.add(gso_datagrams);
  if (delivered == 0) return;
  output.counters.packets.add(delivered);
  output.counters.bytes.add(bytes);
  output.counters.last_packet_unix_ns.set(now_unix_ns);
}

// GSO is used on an output while the engine allows it, the socket passed the probe, and no
// unexplained refusal is recent; after kGsoReprobeIntervalNs the next batch tries it again.
unsigned Forwarder::gso_segment_limit(Output& output) const {
  if (!gso_) return 0;
  if (output.gso_suspended_until_ns == 0 && output.gso_mtu_recheck_ns == 0) return output.socket.gso_segment_limit;
  const int64_t now_ns = monotonic_now_ns();
  if (output.gso_mtu_recheck_ns != 0 && now_ns >= output.gso_mtu_recheck_ns) recheck_gso_mtu(output, now_ns);
  if (output.gso_suspended_until_ns != 0) {
    if (now_ns < output.gso_suspended_until_ns) return 0;
    output.gso_suspended_until_ns = 0;
  }
  return output.socket.gso_segment_limit;
}

// Segments follow the interface MTU: read now (off the fast path), and again every
// gso_mtu_recheck_ns_ while it keeps the limit below what the output opened with, so GSO
// returns at full size once the MTU is put back.
void Forwarder::recheck_gso_mtu(Output& output, int64_t now_ns) const {
  output.socket.gso_segment_limit =
      gso_max_segment_bytes(interface_mtu(output.spec.interface), output.socket.destination.family());
  const bool lowered = output.socket.gso_segment_limit < output.socket.gso_segment_limit_at_open;
  output.gso_mtu_recheck_ns = lowered ? now_ns + gso_mtu_recheck_ns_ : 0;
}

// The kernel refused GSO message `message`: rebuild the output's messages from that message's
// first datagram on without GSO, and return where to continue (0). Messages before it were sent
// and counted already; TTL-expired datagrams were counted once. EMSGSIZE (Linux 6.x) or EINVAL
// (older kernels) when segment + headers exceed the MTU usually means the MTU shrank since the
// output opened: the MTU is read again, and later batches group only segments that fit.
unsigned Forwarder::fall_back_from_gso(Output& output, unsigned message, int err, OutputMessages& ready) {
  output.counters.gso_fallbacks.add(1);
  const int64_t now_ns = monotonic_now_ns();
  const unsigned limit_before = output.socket.gso_segment_limit;
  if (err == EINVAL || err == EMSGSIZE) recheck_gso_mtu(output, now_ns);
  // A smaller MTU explains the refusal and the new limit avoids it: keep GSO on at that size.
  // Any other refusal turns GSO off on this output until the reprobe.
  if (output.socket.gso_segment_limit >= limit_before) output.gso_suspended_until_ns = now_ns + kGsoReprobeIntervalNs;
  const unsigned first_datagram = batch_.message_first_datagram(message);
  ready = batch_.address_to(output.socket.destination, output.inherits_ttl(), 0, first_datagram);
  return 0;
}

// At most one event per output (or ingress) per kErrorEventIntervalNs: an output that keeps
// failing is reported once a second, never once per datagram.
void Forwarder::report_error(const Relay& relay, const Output* output, int64_t& last_event_ns, const char* what,
                             int err, unsigned leg) const {
  const int64_t now_ns = monotonic_now_ns();
  if (last_event_ns != 0 && now_ns - last_event_ns < kErrorEventIntervalNs) return;
  last_event_ns = now_ns;
  EngineEvent event;
  event.relay_id = relay.id;
  if (output != nullptr) {
    event.type = "send-error";
    event.interface = output->spec.interface;
    event.message = std::string(what) + " on output " + output->spec.interface + " " +
                    format_endpoint(output->socket.destination) + ": " + std::strerror(err) + " (" +
                    std::to_string(output->counters.send_errors.total()) + " send errors so far)";
  } else {
    const IngressSpec& ingress = leg == 0 ? relay.spec.input : relay.spec.redundancy->input;
    event.type = "receive-error";
    event.interface = ingress.interface;
    event.message = std::string(what) + " on " + ingress.interface + " " + ingress.group + ":" +
                    std::to_string(ingress.port) + ": " + std::strerror(err);
  }
  state_.emit(event);
}

}  // namespace mcr
