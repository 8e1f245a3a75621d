// Error handling shared by mcrgen and mcrsink: a usage error (exit 2) names the flag and its bad
// value; a SystemError (exit 1, from net/system_error.h, perror-worded) the failing call.
#pragma once

#include <stdexcept>
#include <string>

namespace mcr::tools {

inline constexpr int kExitOk = 0;
inline constexpr int kExitSystemError = 1;
inline constexpr int kExitUsageError = 2;

// The operator passed something we cannot use; the message names the flag and the value.
class UsageError : public std::runtime_error {
 public:
  explicit UsageError(const std::string& message) : std::runtime_error(message) {}
};

// Runs a tool's main body and maps its exceptions to the exit codes above, printing the message
// prefixed with the tool's name (usage errors also point at --help).
int run_tool(const char* tool, int argc, char** argv, int (*body)(int, char**));

}  // namespace mcr::tools
