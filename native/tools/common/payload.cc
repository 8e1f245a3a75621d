// Filler for MCR test payloads (the header codec is inline in payload.h: it is on the hot path).
#include "common/payload.h"

namespace mcr::tools {

void fill_payload_filler(std::span<std::byte> datagram) {
  for (std::size_t i = 0; i < datagram.size(); ++i) {
    datagram[i] = static_cast<std::byte>(i & 0xff);
  }
}

}  // namespace mcr::tools
