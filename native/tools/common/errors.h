// Error types shared by mcrgen and mcrsink: a usage error (exit 2) names the flag and its bad
// value; a system error (exit 1) carries the failing call and the errno text.
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

// A system call failed; the message is "<what>: <strerror(errno)>".
class SystemError : public std::runtime_error {
 public:
  SystemError(const std::string& what, int error_number);
  int error_number() const noexcept { return error_number_; }

 private:
  int error_number_;
};

// strerror text that is safe to call from any thread.
std::string errno_text(int error_number);

// Runs a tool's main body and maps its exceptions to the exit codes above, printing the message
// prefixed with the tool's name (usage errors also point at --help).
int run_tool(const char* tool, int argc, char** argv, int (*body)(int, char**));

}  // namespace mcr::tools
