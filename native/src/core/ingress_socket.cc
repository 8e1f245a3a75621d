// Builds ingress sockets: bind, MULTICAST_ALL off, join by interface index (ASM or SSM), drop
// accounting, receive buffer; or, for a unicast ingress, bind plus SO_BINDTODEVICE.
#include "core/ingress_socket.h"

#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>

#include "core/engine.h"
#include "core/interface.h"
#include "net/address.h"
#include "net/socket_options.h"

namespace mcr {

namespace {

constexpr int kOn = 1;
constexpr int kOff = 0;

int ip_level(int family) {
  return family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
}

void bind_to(const Fd& fd, const SocketAddress& address, const std::string& group_text, const std::string& path) {
  if (bind(fd.get(), address.get(), address.length) == 0) return;
  const int err = errno;
  const std::string field = path + (err == EADDRINUSE ? ".port" : ".group");
  throw SystemError(field, err, "cannot bind the ingress to " + format_endpoint(address) + " (" + group_text + ")");
}

void join_group(const Fd& fd, const IngressSpec& spec, const IpAddress& group, unsigned index,
                const std::string& path) {
  const SocketAddress group_address = make_socket_address(group, 0, index);
  if (spec.sources.empty()) {
    group_req request{};
    request.gr_interface = index;
    std::memcpy(&request.gr_group, &group_address.storage, sizeof(request.gr_group));
    set_option(fd, ip_level(group.family), MCAST_JOIN_GROUP, request, path + ".group",
               "membership of " + spec.group + " on " + spec.interface);
    return;
  }
  for (size_t i = 0; i < spec.sources.size(); ++i) {
    const auto source = parse_ip_address(spec.sources[i]);  // validated before
    const SocketAddress source_address = make_socket_address(*source, 0, index);
    group_source_req request{};
    request.gsr_interface = index;
    std::memcpy(&request.gsr_group, &group_address.storage, sizeof(request.gsr_group));
    std::memcpy(&request.gsr_source, &source_address.storage, sizeof(request.gsr_source));
    set_option(fd, ip_level(group.family), MCAST_JOIN_SOURCE_GROUP, request,
               path + ".sources[" + std::to_string(i) + "]",
               "membership of " + spec.group + " from " + spec.sources[i] + " on " + spec.interface);
  }
}

void open_multicast(IngressSocket& ingress, const IngressSpec& spec, const IpAddress& group, const std::string& path) {
  const Fd& fd = ingress.fd;
  // Several relays may listen to one group:port, each on its own interface.
  set_option(fd, SOL_SOCKET, SO_REUSEADDR, kOn, path + ".port", "SO_REUSEADDR");
  // Without this the socket would also get the group from memberships of other sockets.
  if (ingress.family == AF_INET) {
    set_option(fd, IPPROTO_IP, IP_MULTICAST_ALL, kOff, path + ".group", "IP_MULTICAST_ALL");
  } else {
    set_option(fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, kOff, path + ".group", "IPV6_MULTICAST_ALL");
  }
  bind_to(fd, make_socket_address(group, static_cast<uint16_t>(spec.port), ingress.interface_index), spec.group, path);
  join_group(fd, spec, group, ingress.interface_index, path);
}

void open_unicast(IngressSocket& ingress, const IngressSpec& spec, const IpAddress& address, const std::string& path) {
  const Fd& fd = ingress.fd;
  if (setsockopt(fd.get(), SOL_SOCKET, SO_BINDTODEVICE, spec.interface.c_str(),
                 static_cast<socklen_t>(spec.interface.size())) != 0) {
    throw SystemError(path + ".interface", errno, "cannot bind the ingress to device '" + spec.interface + "'");
  }
  bind_to(fd, make_socket_address(address, static_cast<uint16_t>(spec.port), ingress.interface_index), spec.group,
          path);
}

}  // namespace

IngressSocket open_ingress(const IngressSpec& spec, int socket_buffer_bytes, bool receive_ttl,
                           const std::string& path) {
  const auto group = parse_ip_address(spec.group);
  if (!group)
    throw EngineError(ErrorCode::invalid_spec, path + ".group", spec.group,
                      "'" + spec.group + "' is not an IPv4 or IPv6 address");
  IngressSocket ingress;
  ingress.interface_index = interface_index(spec.interface, path + ".interface");
  ingress.family = group->family;
  ingress.fd = open_udp_socket(group->family, /*non_blocking=*/true, path + ".group");
  // SO_RXQ_OVFL puts the socket's cumulative drop count on every datagram received after a drop.
  set_option(ingress.fd, SOL_SOCKET, SO_RXQ_OVFL, kOn, path, "SO_RXQ_OVFL");
  ingress.rcvbuf_bytes = set_buffer_size(ingress.fd, SO_RCVBUFFORCE, SO_RCVBUF, socket_buffer_bytes, path);
  if (receive_ttl) enable_receive_ttl(ingress);
  if (is_multicast(*group)) {
    open_multicast(ingress, spec, *group, path);
  } else {
    open_unicast(ingress, spec, *group, path);
  }
  return ingress;
}

void enable_receive_ttl(IngressSocket& ingress) {
  if (ingress.receives_ttl) return;
  if (ingress.family == AF_INET) {
    set_option(ingress.fd, IPPROTO_IP, IP_RECVTTL, kOn, "input", "IP_RECVTTL");
  } else {
    set_option(ingress.fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, kOn, "input", "IPV6_RECVHOPLIMIT");
  }
  ingress.receives_ttl = true;
}

void set_arrival_timestamps(IngressSocket& ingress, bool on) noexcept {
  if (!ingress.fd || ingress.receives_arrival_time == on) return;
  const int value = on ? 1 : 0;
  if (setsockopt(ingress.fd.get(), SOL_SOCKET, SO_TIMESTAMPNS, &value, sizeof(value)) == 0) {
    ingress.receives_arrival_time = on;
  }
}

uint64_t read_kernel_drops(const IngressSocket& ingress) {
  std::array<uint32_t, SK_MEMINFO_VARS> meminfo{};
  socklen_t length = sizeof(meminfo);
  if (getsockopt(ingress.fd.get(), SOL_SOCKET, SO_MEMINFO, meminfo.data(), &length) != 0) return 0;
  if (length < (SK_MEMINFO_DROPS + 1) * sizeof(uint32_t)) return 0;
  return meminfo[SK_MEMINFO_DROPS];
}

}  // namespace mcr
