// Which parts of two relay specs are "the same" for update_relay: an unchanged ingress keeps the
// relay (only its outputs are swapped), an unchanged output keeps its socket and counters.
#pragma once

#include "core/relay_spec.h"

namespace mcr {

// Same interface, same group address (compared as addresses, not text), same port, same sources.
bool same_ingress(const IngressSpec& a, const IngressSpec& b);

// Same input, and the same B leg or none on both: the relay's sockets are kept by an update (a
// change of the redundancy settings alone is applied in place, RedundantInput::reconfigure).
bool same_ingresses(const RelaySpec& a, const RelaySpec& b);

// Every field equal: an output whose ttl, dscp or source changed gets a new socket.
bool same_output(const OutputSpec& a, const OutputSpec& b);

// Both ingresses listen on the same group:port, so both sockets receive the same datagrams.
bool ingresses_overlap(const IngressSpec& a, const IngressSpec& b);

}  // namespace mcr
