// SystemError: a refusal by the kernel while opening a relay's sockets, with the spec field it is about.
#include <cstring>
#include <string>

#include "core/engine.h"

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
