// SystemError's two wordings (the engine's, the tools') and the errno it carries.
#include "net/system_error.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace mcr {
namespace {

TEST(SystemError, EngineWordingNamesTheFieldWhatAndTheErrnoText) {
  const SystemError error("input.interface", ENODEV, "unknown interface 'eth9'");
  EXPECT_STREQ(error.what(), "input.interface: unknown interface 'eth9' (No such device)");
  EXPECT_EQ(error.field(), "input.interface");
  EXPECT_EQ(error.error_code(), ENODEV);
}

TEST(SystemError, EngineWordingLeavesOutAMissingFieldOrErrno) {
  EXPECT_STREQ(SystemError("", EPERM, "cannot pin").what(), "cannot pin (Operation not permitted)");
  EXPECT_STREQ(SystemError("cpus[0]", 0, "cannot pin").what(), "cpus[0]: cannot pin");
}

TEST(SystemError, ToolWordingIsPerrorStyle) {
  const SystemError error = SystemError::perror_style("bind to 192.0.2.1 port 5000", EADDRNOTAVAIL);
  EXPECT_STREQ(error.what(), "bind to 192.0.2.1 port 5000: Cannot assign requested address");
  EXPECT_EQ(error.field(), "");
  EXPECT_EQ(error.error_code(), EADDRNOTAVAIL);
}

TEST(SystemError, ErrnoTextIsStrerrorText) {
  EXPECT_EQ(errno_text(EINVAL), "Invalid argument");
  EXPECT_EQ(errno_text(0), "Success");
}

}  // namespace
}  // namespace mcr
