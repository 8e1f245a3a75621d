#include "core/membership/querier.h"

#include <net/if.h>
#include <poll.h>
#include <sys/eventfd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>

#include "core/engine_error.h"
#include "core/membership/sockets.h"
#include "core/membership/wire.h"
#include "net/clock.h"
#include "net/system_error.h"

namespace mcr::membership {

struct Querier::Link {
  Link(std::string name, int address_family, const Timers& timers)
      : interface(std::move(name)), family(address_family), querier(address_family, timers) {}

  std::string interface;
  int family;
  unsigned ifindex = 0;
  Fd listener;
  Fd sender;
  InterfaceQuerier querier;

  bool up() const { return static_cast<bool>(listener); }

  // Opens the sockets when the interface exists; false (and closed) when it does not yet.
  bool open() {
    const unsigned index = if_nametoindex(interface.c_str());
    if (index == 0) return false;
    listener = open_membership_listener(family, index);
    sender = open_query_sender(family, index);
    ifindex = index;
    return true;
  }

  void close() {
    listener.reset();
    sender.reset();
    ifindex = 0;
  }
};

namespace {

constexpr int64_t kRefreshIntervalNs = kNanosecondsPerSecond;  // addresses, missing interfaces

bool valid_interface_name(const std::string& name) {
  if (name.empty() || name.size() > static_cast<size_t>(contract::spec::interface_name_max_chars)) return false;
  return std::none_of(name.begin(), name.end(), [](char c) { return c == '/' || c == ':' || c <= ' '; });
}

void check_options(const QuerierOptions& options) {
  const auto& interval = contract::querier::interval_s;
  if (options.interval_s < interval.min || options.interval_s > interval.max) {
    refuse_value(ErrorCode::invalid_option, "querierIntervalS", std::to_string(options.interval_s), interval.rule);
  }
  if (options.interfaces.empty() ||
      options.interfaces.size() > static_cast<size_t>(contract::querier::max_interfaces)) {
    refuse_value(ErrorCode::invalid_option, "querierInterfaces", std::to_string(options.interfaces.size()),
                 "1.." + std::to_string(contract::querier::max_interfaces) + " interface names");
  }
  for (size_t i = 0; i < options.interfaces.size(); ++i) {
    const std::string& name = options.interfaces[i];
    const std::string field = "querierInterfaces[" + std::to_string(i) + "]";
    if (!valid_interface_name(name)) {
      refuse_text(ErrorCode::invalid_option, field, name, contract::spec::interface_name_rule);
    }
    if (std::count(options.interfaces.begin(), options.interfaces.end(), name) > 1) {
      refuse_text(ErrorCode::invalid_option, field, name, "named once");
    }
  }
}

}  // namespace

Querier::Querier(const QuerierOptions& options, bool active, std::shared_ptr<ListenerGates> gates)
    : timers_(Timers::for_interval_s(options.interval_s)), gates_(std::move(gates)), active_(active) {
  check_options(options);
  const int64_t now_ns = monotonic_now_ns();
  for (const std::string& name : options.interfaces) {
    for (int family : {AF_INET, AF_INET6}) {
      auto link = std::make_unique<Link>(name, family, timers_);
      link->open();  // a missing interface is opened when it appears (refresh_links)
      link->querier.set_own_address(interface_query_address(name, family));
      link->querier.set_active(active, now_ns);
      links_.push_back(std::move(link));
    }
  }
  wake_ = Fd(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!wake_) throw SystemError("", errno, "cannot create the querier's eventfd");
  next_refresh_ns_ = now_ns + kRefreshIntervalNs;
  thread_ = std::jthread([this] { run(); });
}

Querier::~Querier() {
  stop();
}

void Querier::stop() {
  std::lock_guard stop_lock(stop_mutex_);
  if (!thread_.joinable()) return;
  stopping_.store(true);
  const uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = write(wake_.get(), &one, sizeof one);
  thread_.join();
}

void Querier::set_active(bool active) {
  std::lock_guard lock(mutex_);
  active_ = active;
  const int64_t now_ns = monotonic_now_ns();
  for (auto& link : links_) link->querier.set_active(active, now_ns);
  const uint64_t one = 1;  // wake the thread: a promoted node sends its startup queries now
  [[maybe_unused]] const ssize_t written = write(wake_.get(), &one, sizeof one);
}

QuerierSnapshot Querier::snapshot() const {
  std::lock_guard lock(mutex_);
  QuerierSnapshot copy;
  copy.now_ns = monotonic_now_ns();
  copy.timers = timers_;
  copy.active = active_;
  for (const auto& link : links_) {
    const InterfaceQuerier& querier = link->querier;
    copy.interfaces.push_back({link->interface, link->family, link->up(), querier.state(), querier.query_version(),
                               querier.own_address(), querier.other_querier(), querier.other_querier_expires_ns(),
                               querier.next_general_query_ns(), querier.counters(), querier.table().groups()});
  }
  return copy;
}

void Querier::receive(Link& link) {
  std::array<uint8_t, 65536> packet{};
  for (;;) {
    const ssize_t length = recv(link.listener.get(), packet.data(), packet.size(), 0);
    if (length < 0) {
      // EAGAIN: drained. Anything else (ENETDOWN, the interface deleted): reopen it later.
      if (errno != EAGAIN && errno != EINTR) link.close();
      return;
    }
    const std::span<const uint8_t> bytes(packet.data(), static_cast<size_t>(length));
    const auto message = link.family == AF_INET ? parse_ipv4_packet(bytes) : parse_ipv6_packet(bytes);
    if (message) link.querier.receive(*message, monotonic_now_ns());
  }
}

void Querier::send_due(Link& link, int64_t now_ns) {
  for (const QueryToSend& query : link.querier.take_due(now_ns)) {
    if (!link.up()) continue;  // the state machine still advances; nothing can leave
    const auto message = link.family == AF_INET
                             ? encode_igmp_query(query.version, query.group, query.max_response_ns, timers_)
                             : encode_mld_query(query.version, query.group, query.max_response_ns, timers_);
    // A lost query is repaired by the next one; the counters say what was attempted.
    send_query(link.sender, link.ifindex, query.group, message);
  }
}

void Querier::refresh_links(int64_t now_ns) {
  if (now_ns < next_refresh_ns_) return;
  next_refresh_ns_ = now_ns + kRefreshIntervalNs;
  for (auto& link : links_) {
    if (!link->up()) {
      try {
        link->open();
      } catch (const SystemError&) {
        link->close();  // tried again at the next refresh
      }
    }
    link->querier.set_own_address(interface_query_address(link->interface, link->family));
  }
}

void Querier::update_gates(const Link& link, int64_t now_ns) const {
  if (gates_) gates_->update(link.interface, link.family, link.querier.table(), now_ns);
}

int Querier::poll_timeout_ms(int64_t now_ns) const {
  int64_t next = next_refresh_ns_;
  for (const auto& link : links_) next = std::min(next, link->querier.next_deadline_ns());
  const int64_t wait_ns = std::max<int64_t>(0, next - now_ns);
  return static_cast<int>((wait_ns + kNanosecondsPerMillisecond - 1) / kNanosecondsPerMillisecond);
}

void Querier::run() {
  std::vector<pollfd> fds;
  std::vector<Link*> polled;
  for (;;) {
    int timeout_ms = 0;
    fds.assign(1, pollfd{wake_.get(), POLLIN, 0});
    polled.clear();
    {
      std::lock_guard lock(mutex_);
      const int64_t now_ns = monotonic_now_ns();
      refresh_links(now_ns);
      for (auto& link : links_) {
        send_due(*link, now_ns);
        update_gates(*link, now_ns);  // after a report (the last iteration) or an expiry (now)
      }
      for (auto& link : links_) {
        if (!link->up()) continue;
        fds.push_back(pollfd{link->listener.get(), POLLIN, 0});
        polled.push_back(link.get());
      }
      timeout_ms = poll_timeout_ms(now_ns);
    }
    if (poll(fds.data(), fds.size(), timeout_ms) < 0 && errno != EINTR) return;
    if (fds[0].revents != 0) {
      uint64_t count = 0;
      [[maybe_unused]] const ssize_t got = read(wake_.get(), &count, sizeof count);
      if (stopping_.load()) return;
    }
    std::lock_guard lock(mutex_);
    for (size_t i = 1; i < fds.size(); ++i) {
      if (fds[i].revents != 0) receive(*polled[i - 1]);
    }
  }
}

}  // namespace mcr::membership
