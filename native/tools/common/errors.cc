// Formatting for the tools' error types (errno text without the thread-unsafe strerror()).
#include "common/errors.h"

#include <cstring>

namespace mcr::tools {

std::string errno_text(int error_number) {
  char buffer[128];
  // GNU strerror_r returns a pointer that may or may not point into buffer.
  const char* text = strerror_r(error_number, buffer, sizeof(buffer));
  return text;
}

SystemError::SystemError(const std::string& what, int error_number)
    : std::runtime_error(what + ": " + errno_text(error_number)), error_number_(error_number) {}

}  // namespace mcr::tools
