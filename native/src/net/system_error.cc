// The two wordings of SystemError and the thread-safe errno text they share.
#include "net/system_error.h"

#include <cstring>
#include <utility>

namespace mcr {

namespace {

std::string engine_wording(const std::string& field, int err, const std::string& what) {
  std::string text = field.empty() ? what : field + ": " + what;
  if (err != 0) text += " (" + errno_text(err) + ")";
  return text;
}

}  // namespace

SystemError::SystemError(std::string field, int err, const std::string& what)
    : SystemError(Worded{}, field, err, engine_wording(field, err, what)) {}

SystemError SystemError::perror_style(const std::string& what, int err) {
  return SystemError(Worded{}, "", err, what + ": " + errno_text(err));
}

SystemError::SystemError(Worded, std::string field, int err, const std::string& message)
    : std::runtime_error(message), field_(std::move(field)), err_(err) {}

std::string errno_text(int err) {
  char buffer[128];
  // GNU strerror_r returns a pointer that may or may not point into buffer.
  const char* text = strerror_r(err, buffer, sizeof(buffer));
  return text;
}

}  // namespace mcr
