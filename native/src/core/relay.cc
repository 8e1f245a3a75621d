// Opening a relay's sockets (or parking a disabled relay without any) and snapshotting its
// counters into the plain RelayStats copy.
#include "core/relay.h"

#include <algorithm>

#include "net/clock.h"

namespace mcr {

#define MCR_SNAPSHOT_COUNT(member, name, Live) stats.member = count_of(counters.member);
#define MCR_SNAPSHOT_BY_ERRNO(member, name) stats.member##_by_errno = counters.member.snapshot();

OutputStats Output::snapshot() const {
  OutputStats stats;
  MCR_OUTPUT_COUNTERS(MCR_SNAPSHOT_COUNT)
  MCR_OUTPUT_ERRNO_TABLES(MCR_SNAPSHOT_BY_ERRNO)
  stats.last_packet_unix_ns = counters.last_packet_unix_ns.get();
  // Pruned time is the gate's: it closes and opens on the querier thread, with or without traffic.
  if (gate) stats.pruned_ms = static_cast<uint64_t>(gate->pruned_ns(monotonic_now_ns()) / kNanosecondsPerMillisecond);
  return stats;
}

RelayStats Relay::snapshot() const {
  RelayStats stats;
  stats.id = id;
  stats.name = spec.name;
  stats.enabled = spec.enabled;
  MCR_RELAY_COUNTERS(MCR_SNAPSHOT_COUNT)
  MCR_RELAY_ERRNO_TABLES(MCR_SNAPSHOT_BY_ERRNO)
  // The cmsg value is only as fresh as the last datagram; SO_MEMINFO is exact right now.
  const uint64_t second_leg_drops = redundancy ? read_kernel_drops(redundancy->second()) : 0;
  stats.rxq_overflow = std::max(stats.rxq_overflow, read_kernel_drops(ingress) + second_leg_drops);
  stats.last_packet_unix_ns = counters.last_packet_unix_ns.get();
  stats.rcvbuf_bytes = ingress.rcvbuf_bytes;
  stats.interfaces_down.assign(interfaces_down.begin(), interfaces_down.end());
  stats.outputs.reserve(outputs.size());
  for (const auto& output : outputs) stats.outputs.push_back(output->snapshot());
  if (redundancy) redundancy->snapshot(stats, monotonic_now_ns());
  return stats;
}

void Relay::restart_analysis() {
  for (unsigned leg = 0; leg < analysis.size(); ++leg) {
    const bool analysed = spec.analyze != AnalyzeMode::off && leg < leg_count();
    analysis[leg] = analysed ? std::make_unique<StreamAnalyzer>(spec.analyze) : nullptr;
  }
  sync_arrival_timestamps();
}

void Relay::sync_arrival_timestamps() noexcept {
  for (unsigned leg = 0; leg < leg_count(); ++leg)
    set_arrival_timestamps(ingress_of(leg), measures_jitter(spec.analyze));
}

#undef MCR_SNAPSHOT_COUNT
#undef MCR_SNAPSHOT_BY_ERRNO

bool any_output_inherits_ttl(const std::vector<OutputSpec>& outputs) {
  return std::any_of(outputs.begin(), outputs.end(),
                     [](const OutputSpec& output) { return output.ttl == kTtlInherit; });
}

std::shared_ptr<Output> unopened_output(const OutputSpec& spec) {
  auto output = std::make_shared<Output>();
  output->spec = spec;
  return output;
}

std::shared_ptr<Output> open_relay_output(const OutputSpec& spec, size_t index, int socket_buffer_bytes) {
  auto output = unopened_output(spec);
  output->socket = open_output(spec, index, socket_buffer_bytes);
  return output;
}

std::shared_ptr<Relay> open_relay(std::string id, const RelaySpec& spec, int socket_buffer_bytes) {
  auto relay = std::make_shared<Relay>();
  relay->id = std::move(id);
  relay->spec = spec;
  relay->spec.id = relay->id;
  const bool receive_ttl = any_output_inherits_ttl(spec.outputs);
  relay->ingress = open_ingress(spec.input, socket_buffer_bytes, receive_ttl);
  if (spec.redundancy) {
    IngressSocket second = open_ingress(spec.redundancy->input, socket_buffer_bytes, receive_ttl, "redundancy.input");
    relay->redundancy = std::make_unique<RedundantInput>(*spec.redundancy, std::move(second), monotonic_now_ns());
  }
  relay->outputs.reserve(spec.outputs.size());
  for (size_t i = 0; i < spec.outputs.size(); ++i) {
    relay->outputs.push_back(open_relay_output(spec.outputs[i], i, socket_buffer_bytes));
  }
  relay->restart_analysis();
  return relay;
}

std::shared_ptr<Relay> parked_relay(std::string id, const RelaySpec& spec) {
  auto relay = std::make_shared<Relay>();
  relay->id = std::move(id);
  relay->spec = spec;
  relay->spec.id = relay->id;
  relay->outputs.reserve(spec.outputs.size());
  for (const OutputSpec& output_spec : spec.outputs) relay->outputs.push_back(unopened_output(output_spec));
  return relay;
}

}  // namespace mcr
