// The output side of a relay: one UDP socket per output, tied to its interface, with the
// destination address every datagram of the batch is sent to.
#pragma once

#include <cstddef>

#include "core/relay_spec.h"
#include "net/address.h"
#include "net/fd.h"

namespace mcr {

struct OutputSocket {
  Fd fd;
  SocketAddress destination;
  unsigned interface_index = 0;
  // Largest GSO segment this socket may send: from the interface MTU, 0 when the kernel refused
  // the UDP_SEGMENT probe (no GSO) or the MTU could not be read.
  unsigned gso_segment_limit = 0;
  // gso_segment_limit as the socket opened: after a refusal for size lowered the limit, the
  // forwarder reads the MTU again until the limit is back to this.
  unsigned gso_segment_limit_at_open = 0;
};

// Opens and configures the socket of spec.outputs[index] on the caller's thread; errors name
// "outputs[<index>].<field>". Sends are blocking: a UDP send only blocks while the socket
// buffer is full, which is back-pressure we want rather than a drop.
OutputSocket open_output(const OutputSpec& spec, size_t index, int socket_buffer_bytes);

}  // namespace mcr
