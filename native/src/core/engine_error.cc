// EngineError's message, and the one wording of an out-of-range value.
#include "core/engine_error.h"

namespace mcr {

namespace {

std::string describe(const std::string& field, const std::string& reason) {
  return field.empty() ? reason : field + ": " + reason;
}

}  // namespace

EngineError::EngineError(ErrorCode code, std::string field, std::string value, const std::string& reason)
    : std::runtime_error(describe(field, reason)), code_(code), field_(std::move(field)), value_(std::move(value)) {}

void refuse_value(ErrorCode code, const std::string& field, const std::string& value, const std::string& rule) {
  throw EngineError(code, field, value, "must be " + rule + ", got " + value);
}

void refuse_text(ErrorCode code, const std::string& field, const std::string& text, const std::string& rule) {
  throw EngineError(code, field, text, "must be " + rule + ", got '" + text + "'");
}

}  // namespace mcr
