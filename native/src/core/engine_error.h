// EngineError: the one error type the core throws for a refused call, carrying a contract
// ErrorCode (libs/contract), the field in the caller's spelling and the offending value. The
// kernel's refusals stay SystemError (net/system_error.h, with the errno); the binding gives those
// ErrorCode::system.
#pragma once

#include <stdexcept>
#include <string>

#include "generated/contract.h"

namespace mcr {

using contract::ErrorCode;

class EngineError : public std::runtime_error {
 public:
  // what() is "<field>: <reason>", or the reason alone when there is no field.
  EngineError(ErrorCode code, std::string field, std::string value, const std::string& reason);
  ErrorCode code() const noexcept { return code_; }
  const std::string& field() const noexcept { return field_; }
  const std::string& value() const noexcept { return value_; }

 private:
  ErrorCode code_;
  std::string field_;
  std::string value_;
};

// "<field>: must be <rule>, got <value>": the wording of every out-of-range refusal.
[[noreturn]] void refuse_value(ErrorCode code, const std::string& field, const std::string& value,
                               const std::string& rule);
// The same for a string value, shown in quotes ("got 'eth 0'"); `value()` keeps the bare text.
[[noreturn]] void refuse_text(ErrorCode code, const std::string& field, const std::string& text,
                              const std::string& rule);

}  // namespace mcr
