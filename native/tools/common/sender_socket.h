// mcrgen's socket: tied to its interface, with TTL/hop limit, TOS/traffic class and multicast
// loop set, and connected to the destination so each send skips the route lookup.
#pragma once

#include "common/gen_options.h"
#include "net/fd.h"

namespace mcr::tools {

// Throws UsageError for an unknown interface, SystemError for any failing call.
Fd open_sender(const GenOptions& options);

}  // namespace mcr::tools
