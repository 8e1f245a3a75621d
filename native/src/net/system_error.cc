// SystemError's message: the field, what was refused, and the errno text.
#include "net/system_error.h"

#include <cstring>

namespace mcr {

namespace {

std::string describe(const std::string& field, int err, const std::string& what) {
  std::string text = field.empty() ? what : field + ": " + what;
  if (err != 0) text += " (" + std::string(std::strerror(err)) + ")";
  return text;
}

}  // namespace

SystemError::SystemError(std::string field, int err, const std::string& what)
    : std::runtime_error(describe(field, err, what)), field_(std::move(field)), err_(err) {}

}  // namespace mcr
