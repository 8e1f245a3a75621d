// Fd: the descriptor is closed exactly once, by whoever owns it last.
#include "net/fd.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <utility>

namespace mcr {
namespace {

bool is_open(int fd) {
  return fcntl(fd, F_GETFD) != -1;
}

// Both ends of a fresh pipe: two descriptors the test can watch close.
std::pair<int, int> open_pipe() {
  int ends[2] = {-1, -1};
  EXPECT_EQ(pipe2(ends, O_CLOEXEC), 0);
  return {ends[0], ends[1]};
}

TEST(Fd, ClosesItsDescriptorWhenItGoes) {
  const auto [read_end, write_end] = open_pipe();
  {
    const Fd reader(read_end);
    const Fd writer(write_end);
    EXPECT_TRUE(reader);
    EXPECT_EQ(reader.get(), read_end);
    EXPECT_TRUE(is_open(read_end));
  }
  EXPECT_FALSE(is_open(read_end));
  EXPECT_FALSE(is_open(write_end));
}

TEST(Fd, MovingHandsOwnershipOverWithoutClosing) {
  const auto [read_end, write_end] = open_pipe();
  const Fd writer(write_end);
  Fd first(read_end);
  Fd second(std::move(first));
  EXPECT_FALSE(first);  // NOLINT(bugprone-use-after-move): the moved-from state is the point
  EXPECT_EQ(second.get(), read_end);
  EXPECT_TRUE(is_open(read_end));

  Fd third;
  third = std::move(second);
  EXPECT_TRUE(is_open(read_end));
  third.reset();
  EXPECT_FALSE(is_open(read_end));
  EXPECT_FALSE(third);
}

TEST(Fd, ResetClosesTheDescriptorItHeldBefore) {
  const auto [read_end, write_end] = open_pipe();
  Fd fd(read_end);
  fd.reset(write_end);
  EXPECT_FALSE(is_open(read_end));
  EXPECT_TRUE(is_open(write_end));
  EXPECT_EQ(fd.get(), write_end);
}

}  // namespace
}  // namespace mcr
