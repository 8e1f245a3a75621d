// Opening a relay's sockets and snapshotting its counters into the plain RelayStats copy.
#include "core/relay.h"

#include <algorithm>

namespace mcr {

OutputStats Output::snapshot() const {
  OutputStats stats;
  stats.packets = counters.packets.get();
  stats.bytes = counters.bytes.get();
  stats.send_errors_by_errno = counters.send_errors.snapshot();
  for (const auto& [err, count] : stats.send_errors_by_errno) stats.send_errors += count;
  stats.last_packet_unix_ns = counters.last_packet_unix_ns.get();
  stats.gso_datagrams = counters.gso_datagrams.get();
  stats.gso_fallbacks = counters.gso_fallbacks.get();
  return stats;
}

RelayStats Relay::snapshot() const {
  RelayStats stats;
  stats.id = id;
  stats.name = spec.name;
  stats.enabled = spec.enabled;
  stats.packets_in = counters.packets_in.get();
  stats.bytes_in = counters.bytes_in.get();
  // The cmsg value is only as fresh as the last datagram; SO_MEMINFO is exact right now.
  stats.rxq_drops = std::max(counters.rxq_overflow.get(), read_kernel_drops(ingress));
  stats.truncated = counters.truncated.get();
  stats.ttl_expired = counters.ttl_expired.get();
  stats.not_forwarded_standby = counters.not_forwarded_standby.get();
  stats.held_by_fence = counters.held_by_fence.get();
  stats.last_packet_unix_ns = counters.last_packet_unix_ns.get();
  stats.rcvbuf_bytes = ingress.rcvbuf_bytes;
  stats.interfaces_down.assign(interfaces_down.begin(), interfaces_down.end());
  stats.outputs.reserve(outputs.size());
  for (const auto& output : outputs) stats.outputs.push_back(output->snapshot());
  return stats;
}

bool any_output_inherits_ttl(const std::vector<OutputSpec>& outputs) {
  return std::any_of(outputs.begin(), outputs.end(),
                     [](const OutputSpec& output) { return output.ttl == kTtlInherit; });
}

std::shared_ptr<Output> open_relay_output(const OutputSpec& spec, size_t index, int socket_buffer_bytes) {
  auto output = std::make_shared<Output>();
  output->spec = spec;
  output->socket = open_output(spec, index, socket_buffer_bytes);
  return output;
}

std::shared_ptr<Relay> open_relay(std::string id, const RelaySpec& spec, int socket_buffer_bytes) {
  auto relay = std::make_shared<Relay>();
  relay->id = std::move(id);
  relay->spec = spec;
  relay->spec.id = relay->id;
  relay->ingress = open_ingress(spec.input, socket_buffer_bytes, any_output_inherits_ttl(spec.outputs));
  relay->outputs.reserve(spec.outputs.size());
  for (size_t i = 0; i < spec.outputs.size(); ++i) {
    relay->outputs.push_back(open_relay_output(spec.outputs[i], i, socket_buffer_bytes));
  }
  return relay;
}

}  // namespace mcr
