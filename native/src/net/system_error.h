// SystemError: a call the kernel refused (socket, setsockopt, bind, an unknown interface), with
// its errno and the relay spec field it is about.
#pragma once

#include <stdexcept>
#include <string>

namespace mcr {

// Thrown when the system refuses something (socket, bind, join, unknown interface) during
// add/update. `field` names the spec field that caused it when known ("input.interface").
class SystemError : public std::runtime_error {
 public:
  SystemError(std::string field, int err, const std::string& what);
  const std::string& field() const noexcept { return field_; }
  int error_code() const noexcept { return err_; }

 private:
  std::string field_;
  int err_;
};

}  // namespace mcr
