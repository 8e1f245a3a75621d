// SystemError: a call the kernel refused (socket, setsockopt, bind, ...), with its errno and, for
// the engine, the relay spec field it is about. Both the engine and the traffic tools throw it.
#pragma once

#include <stdexcept>
#include <string>

namespace mcr {

class SystemError : public std::runtime_error {
 public:
  // The engine's wording, which the REST API passes on: "<field>: <what> (<errno text>)", or
  // "<what> (<errno text>)" without a field; no errno text when `err` is 0.
  SystemError(std::string field, int err, const std::string& what);

  // The traffic tools' wording, perror(3)'s: "<what>: <errno text>". No field.
  static SystemError perror_style(const std::string& what, int err);

  const std::string& field() const noexcept { return field_; }
  int error_code() const noexcept { return err_; }

 private:
  struct Worded {};  // tags the constructor that takes the finished message
  SystemError(Worded, std::string field, int err, const std::string& message);

  std::string field_;
  int err_;
};

// strerror(3) text, safe to call from any thread (the engine's workers, the tools' loops).
std::string errno_text(int err);

}  // namespace mcr
