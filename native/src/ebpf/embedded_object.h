// The compiled relay_datapath.bpf.c, embedded at build time (cmake/EmbedBinary.cmake) so the
// addon needs no file beside it.
#pragma once

#include <cstddef>

namespace mcr {

extern const unsigned char kRelayDatapathObject[];
extern const size_t kRelayDatapathObjectSize;

}  // namespace mcr
