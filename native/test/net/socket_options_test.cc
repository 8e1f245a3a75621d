// The engine's socket helpers: the socket they open, the options they set, and the field a
// refusal names.
#include "net/socket_options.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <cerrno>
#include <string>

#include "net/system_error.h"

namespace mcr {
namespace {

TEST(SocketOptions, OpensAUdpSocketOfTheFamilyClosedOnExec) {
  const Fd fd = open_udp_socket(AF_INET6, true, "output.interface");
  ASSERT_TRUE(fd);
  EXPECT_EQ(get_int_option(fd, SOL_SOCKET, SO_DOMAIN), AF_INET6);
  EXPECT_EQ(get_int_option(fd, SOL_SOCKET, SO_PROTOCOL), IPPROTO_UDP);
  EXPECT_NE(fcntl(fd.get(), F_GETFL) & O_NONBLOCK, 0);
  EXPECT_NE(fcntl(fd.get(), F_GETFD) & FD_CLOEXEC, 0);
  EXPECT_EQ(fcntl(open_udp_socket(AF_INET, false, "").get(), F_GETFL) & O_NONBLOCK, 0);
}

TEST(SocketOptions, AFailedOpenNamesTheField) {
  try {
    open_udp_socket(AF_UNIX, false, "outputs[1]");
    FAIL() << "expected a SystemError";
  } catch (const SystemError& error) {
    EXPECT_EQ(error.field(), "outputs[1]");
    EXPECT_NE(error.error_code(), 0);
    const std::string message = error.what();
    EXPECT_EQ(message.rfind("outputs[1]: cannot open a UDP socket (", 0), 0u) << message;
  }
}

TEST(SocketOptions, SetsAnOptionTheKernelReadsBack) {
  const Fd fd = open_udp_socket(AF_INET, false, "");
  set_option(fd, IPPROTO_IP, IP_MULTICAST_TTL, 7, "outputs[0].ttl", "IP_MULTICAST_TTL");
  EXPECT_EQ(get_int_option(fd, IPPROTO_IP, IP_MULTICAST_TTL), 7);
}

TEST(SocketOptions, ARefusedOptionNamesTheFieldAndTheOption) {
  const Fd fd = open_udp_socket(AF_INET, false, "");
  try {
    set_option(fd, IPPROTO_IP, IP_MULTICAST_TTL, 256, "outputs[0].ttl", "IP_MULTICAST_TTL 256");
    FAIL() << "expected a SystemError";
  } catch (const SystemError& error) {
    EXPECT_STREQ(error.what(), "outputs[0].ttl: cannot set IP_MULTICAST_TTL 256 (Invalid argument)");
    EXPECT_EQ(error.error_code(), EINVAL);
  }
}

TEST(SocketOptions, BufferSizeIsWhatTheKernelGranted) {
  constexpr int kRequestedBytes = 64 << 10;
  const Fd fd = open_udp_socket(AF_INET, false, "");
  const int granted = set_buffer_size(fd, SO_RCVBUFFORCE, SO_RCVBUF, kRequestedBytes, "");
  EXPECT_EQ(granted, get_int_option(fd, SOL_SOCKET, SO_RCVBUF));
  EXPECT_GE(granted, kRequestedBytes);  // the kernel doubles it for its own bookkeeping
}

TEST(SocketOptions, AnOptionTheKernelRefusesToReadIsMinusOne) {
  const Fd closed;
  EXPECT_EQ(get_int_option(closed, SOL_SOCKET, SO_RCVBUF), -1);
}

}  // namespace
}  // namespace mcr
