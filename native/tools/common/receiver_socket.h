// mcrsink's socket: bound to the group (or local unicast address) and port, joined on the
// interface by index (any-source or source-specific), with drop counting and kernel timestamps.
#pragma once

#include "common/sink_options.h"
#include "net/fd.h"

namespace mcr::tools {

// How long one recvmmsg() call may block before the loop re-checks its stop conditions.
inline constexpr int64_t kReceivePollIntervalMs = 20;

// Throws UsageError for an unknown interface, SystemError for any failing call.
Fd open_receiver(const SinkOptions& options);

}  // namespace mcr::tools
