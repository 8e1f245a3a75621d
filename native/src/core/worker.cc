// The worker loop (epoll_wait -> commands -> ready ingresses) and the command queue through
// which the engine adds, swaps and removes relays without pausing the other relays.
#include "core/worker.h"

#include <netinet/udp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "core/spec_match.h"
#include "core/worker_placement.h"
#include "net/clock.h"

namespace mcr {

namespace {

// epoll data of the wake eventfd; every other source is a Relay* with the ingress's leg in its
// low bit (Relay is cache-line aligned, so the bit is free): 0 = input, 1 = redundancy.input.
// Interface changes arrive as commands from the engine's interface monitor, not as a source here.
constexpr uint64_t kWakeTag = 0;
constexpr uint64_t kLegTagMask = 1;
static_assert(alignof(Relay) > kLegTagMask, "the leg tag needs a free low bit in Relay*");

uint64_t ingress_tag(Relay& relay, unsigned leg) {
  return reinterpret_cast<uintptr_t>(&relay) | leg;
}

// Any ingress of one relay on the same group:port as any of the other's.
bool relays_overlap(const Relay& a, const Relay& b) {
  const auto legs = [](const Relay& relay) {
    std::vector<const IngressSpec*> specs{&relay.spec.input};
    if (relay.spec.redundancy) specs.push_back(&relay.spec.redundancy->input);
    return specs;
  };
  for (const IngressSpec* left : legs(a)) {
    for (const IngressSpec* right : legs(b)) {
      if (ingresses_overlap(*left, *right)) return true;
    }
  }
  return false;
}

Fd make_fd(int fd, const char* what) {
  if (fd < 0) throw std::system_error(errno, std::generic_category(), what);
  return Fd(fd);
}

}  // namespace

Worker::Worker(const EngineOptions& options, const ForwardingState& state, unsigned index)
    : state_(state),
      gro_(options.gro),
      busy_poll_ns_(static_cast<int64_t>(options.busy_poll_us) * 1000),
      forwarder_(options, state),
      epoll_(make_fd(epoll_create1(EPOLL_CLOEXEC), "epoll_create1")),
      wake_(make_fd(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), "eventfd")) {
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = kWakeTag;
  if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, wake_.get(), &event) != 0) {
    throw std::system_error(errno, std::generic_category(), "epoll_ctl(eventfd)");
  }
  thread_ = std::jthread([this] { run(); });
  try {
    place_worker_thread(thread_.native_handle(), options, index);
  } catch (...) {
    stopping_.store(true, std::memory_order_release);
    wake();
    thread_.join();
    throw;
  }
}

Worker::~Worker() {
  stopping_.store(true, std::memory_order_release);
  wake();
  if (thread_.joinable()) thread_.join();
  // The engine never closes with a command in flight; if one ever is, its caller must not hang.
  std::lock_guard lock(queue_mutex_);
  for (Pending& item : queue_) {
    item.done.set_exception(std::make_exception_ptr(EngineError(ErrorCode::closed, "", "", "engine is closed")));
  }
}

void Worker::wake() noexcept {
  const uint64_t one = 1;
  // The eventfd counter only saturates after 2^64-2 unread wakes; a failed write cannot happen here.
  [[maybe_unused]] const ssize_t written = write(wake_.get(), &one, sizeof(one));
}

void Worker::submit(Command command) {
  std::future<void> done;
  {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back(Pending{std::move(command), {}});
    done = queue_.back().done.get_future();
  }
  wake();
  done.get();
}

void Worker::add(std::shared_ptr<Relay> relay) {
  submit([this, relay = std::move(relay)]() mutable {
    relay->promotions_seen = forwarder_.current_promotions();
    watch(*relay);
    relays_.push_back(std::move(relay));
  });
}

void Worker::remove(const std::shared_ptr<Relay>& relay) {
  submit([this, &relay] {
    unwatch(*relay);
    std::erase(relays_, relay);
  });
}

// Ingresses that listen on the same group:port both hold the datagrams that arrived before the
// swap: the old relay forwards what it has, the new one drops its copies, so none goes out twice.
void Worker::replace(const std::shared_ptr<Relay>& old_relay, std::shared_ptr<Relay> new_relay) {
  submit([this, &old_relay, new_relay = std::move(new_relay)]() mutable {
    new_relay->promotions_seen = forwarder_.current_promotions();
    if (relays_overlap(*old_relay, *new_relay)) {
      for (unsigned leg = 0; leg < old_relay->leg_count(); ++leg) forwarder_.service(*old_relay, leg);
      forwarder_.drop_queued_copies(*new_relay);
    }
    watch(*new_relay);
    unwatch(*old_relay);
    std::replace(relays_.begin(), relays_.end(), old_relay, new_relay);
  });
}

// Runs between two batches, so the unchanged outputs see every datagram exactly once; new
// redundancy settings take effect from the next batch on.
void Worker::update(const std::shared_ptr<Relay>& relay, RelaySpec spec, std::vector<std::shared_ptr<Output>> outputs) {
  submit([&relay, spec = std::move(spec), outputs = std::move(outputs)]() mutable {
    if (relay->redundancy && spec.redundancy && relay->spec.redundancy != spec.redundancy) {
      relay->redundancy->reconfigure(*spec.redundancy, monotonic_now_ns());
    }
    const bool analyze_changed = relay->spec.analyze != spec.analyze;
    relay->spec = std::move(spec);
    if (analyze_changed) relay->restart_analysis();
    relay->outputs.swap(outputs);
    outputs.clear();  // outputs no longer used close their sockets here, before the ack
  });
}

void Worker::reopen_ingress(const std::shared_ptr<Relay>& relay, IngressSocket ingress, unsigned leg) {
  // Commands are std::function (copyable), so the move-only socket travels in a shared_ptr.
  auto swapped = std::make_shared<IngressSocket>(std::move(ingress));
  submit([this, &relay, swapped = std::move(swapped), leg] {
    forwarder_.service(*relay, leg);
    std::swap(relay->ingress_of(leg), *swapped);  // `swapped` holds the old socket from here on
    relay->sync_arrival_timestamps();
    try {
      watch_leg(*relay, leg);
    } catch (...) {
      std::swap(relay->ingress_of(leg), *swapped);  // still forwarding from the old socket
      throw;
    }
    epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, swapped->fd.get(), nullptr);
  });
}

void Worker::reopen_output(const std::shared_ptr<Output>& output, OutputSocket socket) {
  auto swapped = std::make_shared<OutputSocket>(std::move(socket));
  submit([&output, swapped = std::move(swapped)] { std::swap(output->socket, *swapped); });
}

void Worker::set_owned(const std::shared_ptr<Relay>& relay, bool owned) {
  submit([this, &relay, owned] {
    if (owned && !relay->owned) forwarder_.discard_queued(*relay);
    relay->owned = owned;
  });
}

void Worker::catch_up_with_role() {
  submit([this] { catch_up_with_promotions(); });
}

void Worker::watch(Relay& relay) {
  watch_leg(relay, 0);
  if (relay.leg_count() == 1) return;
  try {
    watch_leg(relay, 1);
  } catch (...) {
    unwatch(relay);
    throw;
  }
}

// Every ingress this worker reads passes here (add, rebuild, interface recovery), so GRO is asked
// for in one place. A kernel without UDP_GRO refuses it: the ingress then gets plain datagrams.
void Worker::watch_leg(Relay& relay, unsigned leg) {
  const int fd = relay.ingress_of(leg).fd.get();
  if (gro_) {
    const int on = 1;
    setsockopt(fd, SOL_UDP, UDP_GRO, &on, sizeof(on));
  }
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = ingress_tag(relay, leg);
  if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &event) != 0) {
    throw std::system_error(errno, std::generic_category(), "epoll_ctl(add ingress)");
  }
}

void Worker::unwatch(Relay& relay) {
  for (unsigned leg = 0; leg < relay.leg_count(); ++leg) {
    epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, relay.ingress_of(leg).fd.get(), nullptr);
  }
}

void Worker::run() {
  std::array<epoll_event, kMaxEventsPerWait> events{};
  while (!stopping_.load(std::memory_order_acquire)) {
    const int ready = wait_for_events(events.data());
    if (ready < 0) continue;  // EINTR; epoll_wait has no other failure on a valid epoll fd
    const auto woken = std::any_of(events.begin(), events.begin() + ready,
                                   [](const epoll_event& event) { return event.data.u64 == kWakeTag; });
    if (woken) {
      uint64_t count = 0;
      [[maybe_unused]] const ssize_t drained = read(wake_.get(), &count, sizeof(count));
      if (stopping_.load(std::memory_order_acquire)) break;
      run_commands();
      catch_up_with_promotions();
      continue;  // commands may have removed relays named in `events`; level-triggered epoll re-reports
    }
    serve(events.data(), ready);
  }
}

void Worker::serve(const epoll_event* events, int ready) {
  for (int i = 0; i < ready; ++i) {
    const uint64_t tag = events[i].data.u64;
    forwarder_.service(*reinterpret_cast<Relay*>(tag & ~kLegTagMask), static_cast<unsigned>(tag & kLegTagMask));
  }
  if (busy_poll_ns_ != 0 && ready > 0) busy_poll_until_ns_ = monotonic_now_ns() + busy_poll_ns_;
}

// Busy polling spins on epoll_wait(timeout 0) until the window after the last datagram closes;
// the wake eventfd is in the same set, so commands and stop are seen as promptly as asleep.
int Worker::wait_for_events(epoll_event* events) {
  while (busy_poll_until_ns_ != 0) {
    const int ready = epoll_wait(epoll_.get(), events, kMaxEventsPerWait, 0);
    if (ready != 0) return ready;
    if (monotonic_now_ns() >= busy_poll_until_ns_) busy_poll_until_ns_ = 0;
  }
  return epoll_wait(epoll_.get(), events, kMaxEventsPerWait, -1);
}

void Worker::run_commands() {
  std::vector<Pending> pending;
  {
    std::lock_guard lock(queue_mutex_);
    pending.swap(queue_);
  }
  for (Pending& item : pending) {
    try {
      item.command();
      item.command = nullptr;  // release captured relays/sockets before the caller is told
      item.done.set_value();
    } catch (...) {
      item.command = nullptr;
      item.done.set_exception(std::current_exception());
    }
  }
}

void Worker::catch_up_with_promotions() {
  for (const auto& relay : relays_) forwarder_.catch_up_with_promotion(*relay);
}

}  // namespace mcr
