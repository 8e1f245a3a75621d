// mcrgen's end-of-run summary: text for stderr, or one JSON object for stdout (--json).
#pragma once

#include <cstdint>
#include <string>

#include "common/gen_options.h"
#include "common/send_loop.h"

namespace mcr::tools {

std::string format_gen_json(const SendResult& result, const GenOptions& options, uint32_t stream_id);
std::string format_gen_text(const SendResult& result, const GenOptions& options, uint32_t stream_id);

}  // namespace mcr::tools
