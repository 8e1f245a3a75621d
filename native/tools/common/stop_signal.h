// SIGINT/SIGTERM handling for the tools: the handler only sets a flag that the send/receive loop
// checks; blocking calls are interrupted (no SA_RESTART) so the flag is seen promptly.
#pragma once

namespace mcr::tools {

void install_stop_signal_handlers();
bool stop_requested();

}  // namespace mcr::tools
