// try_lock_exclusive: one open file of a lock file holds it; the kernel hands it on when the
// holder closes it or dies, so no lock outlives its process.
#include "net/file_lock.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "net/fd.h"
#include "net/system_error.h"

namespace mcr {
namespace {

std::string temp_lock_path() {
  char path[] = "/tmp/mcr-file-lock-XXXXXX";
  const Fd fd(mkstemp(path));
  EXPECT_TRUE(fd);
  return path;
}

Fd open_lock(const std::string& path) {
  Fd fd(open(path.c_str(), O_RDWR | O_CLOEXEC));
  EXPECT_TRUE(fd) << path;
  return fd;
}

TEST(FileLock, OneOpenFileHoldsItUntilItCloses) {
  const std::string path = temp_lock_path();
  Fd first = open_lock(path);
  const Fd second = open_lock(path);
  EXPECT_TRUE(try_lock_exclusive(first.get()));
  EXPECT_TRUE(try_lock_exclusive(first.get()));  // taking it again through the holder is fine
  EXPECT_FALSE(try_lock_exclusive(second.get()));
  first.reset();
  EXPECT_TRUE(try_lock_exclusive(second.get()));
  unlink(path.c_str());
}

TEST(FileLock, IsReleasedWhenTheHolderIsKilled) {
  const std::string path = temp_lock_path();
  int ready[2];
  ASSERT_EQ(pipe2(ready, O_CLOEXEC), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const int fd = open(path.c_str(), O_RDWR | O_CLOEXEC);
    const char held = try_lock_exclusive(fd) ? '1' : '0';
    [[maybe_unused]] const ssize_t written = write(ready[1], &held, 1);
    pause();
    _exit(0);
  }
  close(ready[1]);
  char held = 0;
  ASSERT_EQ(read(ready[0], &held, 1), 1);
  close(ready[0]);
  ASSERT_EQ(held, '1');
  const Fd mine = open_lock(path);
  EXPECT_FALSE(try_lock_exclusive(mine.get()));
  kill(child, SIGKILL);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
  EXPECT_TRUE(try_lock_exclusive(mine.get()));
  unlink(path.c_str());
}

TEST(FileLock, ReportsABadDescriptorAsASystemError) {
  try {
    try_lock_exclusive(-1);
    FAIL() << "expected SystemError";
  } catch (const SystemError& error) {
    EXPECT_EQ(error.error_code(), EBADF);
  }
}

}  // namespace
}  // namespace mcr
