// interface_index: an interface that does not exist is ENODEV, and a lookup that fails for want
// of descriptors says so (EMFILE) instead of calling an existing interface unknown.
#include "core/interface.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "net/fd.h"
#include "net/system_error.h"

namespace mcr {
namespace {

// Uses up every descriptor the process may open (under a lowered soft limit) while alive.
class DescriptorsExhausted {
 public:
  DescriptorsExhausted() {
    getrlimit(RLIMIT_NOFILE, &saved_);
    rlimit lowered = saved_;
    lowered.rlim_cur = kLimit;
    setrlimit(RLIMIT_NOFILE, &lowered);
    for (;;) {
      Fd fd(open("/dev/null", O_RDONLY | O_CLOEXEC));
      if (!fd) break;
      held_.push_back(std::move(fd));
    }
  }
  ~DescriptorsExhausted() {
    held_.clear();
    setrlimit(RLIMIT_NOFILE, &saved_);
  }

 private:
  static constexpr rlim_t kLimit = 64;
  rlimit saved_{};
  std::vector<Fd> held_;
};

SystemError lookup_error(const std::string& name) {
  try {
    interface_index(name, "input.interface");
  } catch (const SystemError& error) {
    return error;
  }
  ADD_FAILURE() << "interface_index(" << name << ") did not throw";
  return SystemError("", 0, "");
}

TEST(InterfaceIndex, FindsAnExistingInterface) {
  EXPECT_GT(interface_index("lo", "input.interface"), 0u);
}

TEST(InterfaceIndex, CallsAMissingInterfaceUnknown) {
  const SystemError error = lookup_error("mcr-missing0");
  EXPECT_EQ(error.error_code(), ENODEV);
  EXPECT_EQ(error.field(), "input.interface");
  EXPECT_EQ(std::string(error.what()), "input.interface: unknown interface 'mcr-missing0' (No such device)");
}

TEST(InterfaceIndex, ReportsRunningOutOfDescriptorsAsSuch) {
  const DescriptorsExhausted exhausted;
  const SystemError error = lookup_error("lo");
  EXPECT_EQ(error.error_code(), EMFILE);
  EXPECT_EQ(std::string(error.what()), "input.interface: cannot look up interface 'lo' (Too many open files)");
}

}  // namespace
}  // namespace mcr
