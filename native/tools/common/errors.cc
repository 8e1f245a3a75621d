// Formatting for the tools' error types (errno text without the thread-unsafe strerror()).
#include "common/errors.h"

#include <cstring>
#include <iostream>

namespace mcr::tools {

std::string errno_text(int error_number) {
  char buffer[128];
  // GNU strerror_r returns a pointer that may or may not point into buffer.
  const char* text = strerror_r(error_number, buffer, sizeof(buffer));
  return text;
}

SystemError::SystemError(const std::string& what, int error_number)
    : std::runtime_error(what + ": " + errno_text(error_number)), error_number_(error_number) {}

int run_tool(const char* tool, int argc, char** argv, int (*body)(int, char**)) {
  try {
    return body(argc, argv);
  } catch (const UsageError& error) {
    std::cerr << tool << ": " << error.what() << " (see " << tool << " --help)\n";
    return kExitUsageError;
  } catch (const std::exception& error) {
    std::cerr << tool << ": " << error.what() << "\n";
    return kExitSystemError;
  }
}

}  // namespace mcr::tools
