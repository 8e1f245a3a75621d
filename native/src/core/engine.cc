// Engine: the relay table on the caller's side. Opens sockets synchronously (errors name the
// field), hands relays to the least-loaded worker, and snapshots counters on demand.
#include "core/engine.h"

#include <algorithm>
#include <map>
#include <mutex>

#include "core/forwarding_state.h"
#include "core/interface_facts.h"
#include "core/interface_monitor.h"
#include "core/interface_recovery.h"
#include "core/kernel_relays.h"
#include "core/option_check.h"
#include "core/relay.h"
#include "core/spec_match.h"
#include "core/worker.h"

namespace mcr {

namespace {

// "r1", "r2", ...; built by append: g++ 12 -O3 misreports string assignment here as -Wrestrict.
std::string generated_id(uint64_t number) {
  std::string id(1, 'r');
  id.append(std::to_string(number));
  return id;
}

// "socket": no program, no reason. "ebpf": the program must load. "auto": it may not.
std::unique_ptr<KernelRelays> open_kernel_relays(const std::string& datapath) {
  std::string why_not;
  std::unique_ptr<KernelDatapath> program;
  if (datapath != "socket") {
    program = open_kernel_datapath(why_not);
    if (!program && datapath == "ebpf") {
      throw EngineError(ErrorCode::invalid_option, contract::option::datapath.name, datapath,
                        "\"ebpf\" is unavailable: " + why_not);
    }
  }
  return std::make_unique<KernelRelays>(std::move(program), why_not, read_interface_facts);
}

}  // namespace

struct Engine::Impl {
  // An enabled relay is on `worker`; a disabled one is parked: on no worker, without a socket.
  struct Entry {
    std::shared_ptr<Relay> relay;
    size_t worker = 0;
  };

  EngineOptions options;
  ForwardingState state;
  std::vector<std::unique_ptr<Worker>> workers;
  std::vector<size_t> relays_per_worker;
  mutable std::mutex mutex;  // serialises the control operations; never taken by a worker
  std::map<std::string, Entry> relays;
  uint64_t next_generated_id = 1;
  bool new_relays_owned = true;
  bool closed = false;
  // On-demand outputs take their gate here; the querier (when one runs) opens and closes them.
  std::shared_ptr<membership::ListenerGates> listener_gates = std::make_shared<membership::ListenerGates>();

  // Gives each new on-demand output its gate, before a worker sees the output.
  void attach_gates(const std::vector<std::shared_ptr<Output>>& outputs) const {
    const int64_t now_ns = monotonic_now_ns();
    for (const auto& output : outputs) {
      if (!output->spec.on_demand || output->gate) continue;
      output->gate = listener_gates->acquire(output->spec.interface, *parse_ip_address(output->spec.group), now_ns);
    }
  }

  std::unique_ptr<KernelRelays> kernel;       // the eBPF datapath (or why not)
  std::unique_ptr<InterfaceMonitor> monitor;  // started last, stopped first

  // Monitor thread: brings the relays that use a changed interface in line with it.
  void on_interfaces_changed(const InterfaceChanges& changes) {
    std::lock_guard lock(mutex);
    if (closed) return;
    InterfaceSnapshot now;
    for (auto& [id, entry] : relays) {
      // A parked relay has no socket to reopen; enabling it opens them on the interfaces as they are.
      if (!entry.relay->spec.enabled) continue;
      if (affected_by(*entry.relay, changes)) {
        recover_relay(entry.relay, changes, now, *workers[entry.worker], options.socket_buffer_bytes, state);
        kernel->sync(*entry.relay);
      } else if (ingress_conf_changed(*entry.relay, changes)) {
        kernel->sync(*entry.relay);  // the rule carries the ingress's rp_filter; the sockets are as they were
      }
    }
  }

  static bool ingress_conf_changed(const Relay& relay, const InterfaceChanges& changes) {
    return changes.ipv4_conf_all || changes.ipv4_conf_indexes.count(relay.ingress.interface_index) != 0;
  }

  void require_open() const {
    if (closed) throw EngineError(ErrorCode::closed, "", "", "engine is closed");
  }

  Entry& find(const std::string& id) {
    const auto found = relays.find(id);
    if (found == relays.end()) throw EngineError(ErrorCode::not_found, "id", id, "relay '" + id + "' does not exist");
    return found->second;
  }

  std::string choose_id(const std::string& requested) {
    if (!requested.empty()) {
      if (relays.count(requested) != 0) {
        throw EngineError(ErrorCode::duplicate, "id", requested, "relay id '" + requested + "' already exists");
      }
      return requested;
    }
    for (;;) {
      std::string id = generated_id(next_generated_id++);
      if (relays.count(id) == 0) return id;
    }
  }

  size_t least_loaded_worker() const {
    return static_cast<size_t>(std::min_element(relays_per_worker.begin(), relays_per_worker.end()) -
                               relays_per_worker.begin());
  }

  // The relay's outputs that `spec` keeps unchanged (with their socket, if any, and counters), at
  // their positions in `spec`; new outputs get fresh counters and no socket.
  static std::vector<std::shared_ptr<Output>> kept_or_unopened_outputs(const Relay& relay, const RelaySpec& spec) {
    std::vector<std::shared_ptr<Output>> available = relay.outputs;
    std::vector<std::shared_ptr<Output>> outputs;
    outputs.reserve(spec.outputs.size());
    for (const OutputSpec& wanted : spec.outputs) {
      const auto match = std::find_if(available.begin(), available.end(), [&](const auto& output) {
        return output != nullptr && same_output(output->spec, wanted);
      });
      if (match != available.end()) {
        outputs.push_back(std::move(*match));
        *match = nullptr;
      } else {
        outputs.push_back(unopened_output(wanted));
      }
    }
    return outputs;
  }

  // Unchanged outputs keep their socket and counters; the others are opened here (errors name
  // outputs[i]), so a refused update leaves the running relay exactly as it was.
  std::vector<std::shared_ptr<Output>> reuse_or_open_outputs(const Relay& relay, const RelaySpec& spec) const {
    std::vector<std::shared_ptr<Output>> outputs = kept_or_unopened_outputs(relay, spec);
    for (size_t i = 0; i < outputs.size(); ++i) {
      if (!outputs[i]->socket.fd) outputs[i] = open_relay_output(spec.outputs[i], i, options.socket_buffer_bytes);
    }
    return outputs;
  }

  void update_outputs(Entry& entry, RelaySpec spec) {
    Relay& relay = *entry.relay;
    auto outputs = reuse_or_open_outputs(relay, spec);
    attach_gates(outputs);
    if (any_output_inherits_ttl(spec.outputs)) {
      for (unsigned leg = 0; leg < relay.leg_count(); ++leg) enable_receive_ttl(relay.ingress_of(leg));
    }
    spec.id = relay.id;
    workers[entry.worker]->update(entry.relay, std::move(spec), std::move(outputs));
    note_interface_state(relay);
    kernel->sync(relay);
  }

  void rebuild(Entry& entry, const RelaySpec& spec) {
    auto replacement = open_relay(entry.relay->id, spec, options.socket_buffer_bytes);
    attach_gates(replacement->outputs);
    replacement->owned = entry.relay->owned;
    note_interface_state(*replacement);
    kernel->forget(entry.relay->id);  // a new ingress starts from zero, as its socket counters do
    workers[entry.worker]->replace(entry.relay, replacement);
    entry.relay = std::move(replacement);  // the old relay's sockets close here
    kernel->sync(*entry.relay);
  }

  RelayStats snapshot(const Relay& relay) const {
    RelayStats stats = relay.snapshot();
    kernel->add_to(stats, relay);
    return stats;
  }

  // Disabling (or changing a disabled relay): the relay leaves its worker and closes every socket,
  // which drops its membership; its counters and those of the outputs it keeps stay.
  void park(Entry& entry, RelaySpec spec) {
    Relay& relay = *entry.relay;
    std::vector<std::shared_ptr<Output>> outputs = kept_or_unopened_outputs(relay, spec);
    if (relay.spec.enabled) {
      workers[entry.worker]->remove(entry.relay);
      --relays_per_worker[entry.worker];
    }
    relay.ingress = IngressSocket{};
    relay.redundancy.reset();  // the B leg's socket and merge window: a parked relay receives nothing
    for (auto& leg_analysis : relay.analysis) leg_analysis.reset();
    for (const auto& output : outputs) output->socket = OutputSocket{};
    spec.id = relay.id;
    relay.spec = std::move(spec);
    relay.outputs = std::move(outputs);  // outputs the spec dropped are released here
    relay.interfaces_down.clear();
    relay.interfaces_lost.clear();
    kernel->sync(relay);  // withdraws its eBPF rule too; the counters stay
  }

  // Enabling: every socket is opened first, so a refusal leaves the relay parked as it was; then
  // the relay, with its counters, goes to the least-loaded worker like a new one.
  void unpark(Entry& entry, RelaySpec spec) {
    Relay& relay = *entry.relay;
    const bool receive_ttl = any_output_inherits_ttl(spec.outputs);
    IngressSocket ingress = open_ingress(spec.input, options.socket_buffer_bytes, receive_ttl);
    std::unique_ptr<RedundantInput> redundancy;
    if (spec.redundancy) {
      IngressSocket second =
          open_ingress(spec.redundancy->input, options.socket_buffer_bytes, receive_ttl, "redundancy.input");
      redundancy = std::make_unique<RedundantInput>(*spec.redundancy, std::move(second), monotonic_now_ns());
    }
    std::vector<OutputSocket> sockets;
    sockets.reserve(spec.outputs.size());
    for (size_t i = 0; i < spec.outputs.size(); ++i) {
      sockets.push_back(open_output(spec.outputs[i], i, options.socket_buffer_bytes));
    }
    std::vector<std::shared_ptr<Output>> outputs = kept_or_unopened_outputs(relay, spec);
    for (size_t i = 0; i < outputs.size(); ++i) outputs[i]->socket = std::move(sockets[i]);
    attach_gates(outputs);
    RelaySpec previous = relay.spec;
    spec.id = relay.id;
    relay.spec = std::move(spec);
    relay.ingress = std::move(ingress);
    relay.redundancy = std::move(redundancy);
    relay.outputs = std::move(outputs);
    relay.restart_analysis();  // the stream resumes after a gap that is no loss
    note_interface_state(relay);
    const size_t worker = least_loaded_worker();
    try {
      workers[worker]->add(entry.relay);
    } catch (...) {
      relay.spec.enabled = false;  // on no worker: park() must not take it off one
      park(entry, std::move(previous));
      throw;
    }
    entry.worker = worker;
    ++relays_per_worker[worker];
    kernel->sync(relay);
  }
};

Engine::Engine(EngineOptions options, EventSink events) : impl_(std::make_unique<Impl>()) {
  check_options(options);
  impl_->options = options;
  impl_->state.events = std::move(events);
  impl_->kernel = open_kernel_relays(options.datapath);
  impl_->relays_per_worker.assign(options.workers, 0);
  impl_->workers.reserve(options.workers);
  for (unsigned i = 0; i < options.workers; ++i) {
    impl_->workers.push_back(std::make_unique<Worker>(impl_->options, impl_->state, i));
  }
  Impl* impl = impl_.get();
  impl_->monitor = std::make_unique<InterfaceMonitor>(
      [impl](const InterfaceChanges& changes) { impl->on_interfaces_changed(changes); });
}

Engine::~Engine() {
  close();
}

std::string Engine::add_relay(const RelaySpec& spec) {
  std::lock_guard lock(impl_->mutex);
  impl_->require_open();
  validate_spec(spec);
  std::string id = impl_->choose_id(spec.id);
  if (!spec.enabled) {
    auto parked = parked_relay(id, spec);
    parked->owned = impl_->new_relays_owned;
    impl_->relays.emplace(id, Impl::Entry{std::move(parked), 0});
    return id;
  }
  auto relay = open_relay(id, spec, impl_->options.socket_buffer_bytes);
  impl_->attach_gates(relay->outputs);
  relay->owned = impl_->new_relays_owned;
  note_interface_state(*relay);
  const size_t worker = impl_->least_loaded_worker();
  impl_->workers[worker]->add(relay);
  impl_->kernel->sync(*relay);
  impl_->relays.emplace(id, Impl::Entry{std::move(relay), worker});
  ++impl_->relays_per_worker[worker];
  return id;
}

void Engine::update_relay(const std::string& id, const RelaySpec& spec) {
  std::lock_guard lock(impl_->mutex);
  impl_->require_open();
  Impl::Entry& entry = impl_->find(id);
  if (!spec.id.empty() && spec.id != id) {
    throw EngineError(ErrorCode::invalid_spec, "id", spec.id,
                      "'" + spec.id + "' does not match the relay being updated ('" + id + "')");
  }
  validate_spec(spec);
  if (!spec.enabled) {
    impl_->park(entry, spec);
  } else if (!entry.relay->spec.enabled) {
    impl_->unpark(entry, spec);
  } else if (same_ingresses(entry.relay->spec, spec)) {
    impl_->update_outputs(entry, spec);
  } else {
    impl_->rebuild(entry, spec);
  }
}

void Engine::remove_relay(const std::string& id) {
  std::lock_guard lock(impl_->mutex);
  impl_->require_open();
  Impl::Entry& entry = impl_->find(id);
  impl_->kernel->forget(id);
  if (entry.relay->spec.enabled) {
    impl_->workers[entry.worker]->remove(entry.relay);
    --impl_->relays_per_worker[entry.worker];
  }
  impl_->relays.erase(id);  // last reference: the sockets close before this returns
}

std::vector<std::string> Engine::relay_ids() const {
  std::lock_guard lock(impl_->mutex);
  std::vector<std::string> ids;
  ids.reserve(impl_->relays.size());
  for (const auto& [id, entry] : impl_->relays) ids.push_back(id);
  return ids;
}

std::optional<RelayStats> Engine::stats(const std::string& id) const {
  std::lock_guard lock(impl_->mutex);
  const auto found = impl_->relays.find(id);
  if (found == impl_->relays.end()) return std::nullopt;
  return impl_->snapshot(*found->second.relay);
}

std::vector<RelayStats> Engine::stats() const {
  std::lock_guard lock(impl_->mutex);
  std::vector<RelayStats> all;
  all.reserve(impl_->relays.size());
  for (const auto& [id, entry] : impl_->relays) all.push_back(impl_->snapshot(*entry.relay));
  return all;
}

std::vector<InputCount> Engine::input_counts() const {
  std::lock_guard lock(impl_->mutex);
  std::vector<InputCount> all;
  all.reserve(impl_->relays.size());
  // The eBPF datapath counts what its program forwards in the kernel, not in the relay's counters:
  // without it, an input the program forwards would look silent to input liveness.
  for (const auto& [id, entry] : impl_->relays) {
    all.push_back({id, count_of(entry.relay->counters.packets_in) + impl_->kernel->packets_in(id)});
  }
  return all;
}

// Synchronous on purpose: when set_role returns, no worker is still sending under the old role,
// and a promoted node forwards only datagrams that arrive after the call.
void Engine::set_role(Role role) {
  std::lock_guard lock(impl_->mutex);
  ForwardingState& state = impl_->state;
  if (state.role.load(std::memory_order_relaxed) == role) return;
  if (role == Role::active) state.promotions.fetch_add(1, std::memory_order_relaxed);
  state.role.store(role, std::memory_order_release);
  impl_->kernel->set_active(role == Role::active);
  for (const auto& worker : impl_->workers) worker->catch_up_with_role();
}

Role Engine::role() const {
  return impl_->state.role.load(std::memory_order_acquire);
}

void Engine::set_relay_owned(const std::string& id, bool owned) {
  std::lock_guard lock(impl_->mutex);
  impl_->require_open();
  Impl::Entry& entry = impl_->find(id);
  if (entry.relay->spec.enabled) {
    impl_->workers[entry.worker]->set_owned(entry.relay, owned);
  } else {
    entry.relay->owned = owned;  // parked: on no worker, nothing to drain
  }
  impl_->kernel->sync(*entry.relay);  // an unowned relay holds no eBPF rule
}

void Engine::set_new_relays_owned(bool owned) {
  std::lock_guard lock(impl_->mutex);
  impl_->new_relays_owned = owned;
}

void Engine::set_forward_until(int64_t monotonic_deadline_ns) {
  impl_->state.forward_until_ns.store(monotonic_deadline_ns, std::memory_order_relaxed);
  impl_->kernel->set_forward_until(monotonic_deadline_ns);
}

void Engine::clear_forward_until() {
  impl_->state.forward_until_ns.store(0, std::memory_order_relaxed);
  impl_->kernel->set_forward_until(0);
}

void Engine::close() {
  // Outside the lock: the monitor thread may be waiting for it to recover a relay.
  impl_->monitor->stop();
  std::lock_guard lock(impl_->mutex);
  if (impl_->closed) return;
  impl_->closed = true;
  impl_->kernel->clear();  // detached first: nothing forwards once close begins
  impl_->workers.clear();  // each worker stops and joins before its relays are released
  impl_->relays.clear();
  std::fill(impl_->relays_per_worker.begin(), impl_->relays_per_worker.end(), 0);
}

bool Engine::closed() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->closed;
}

std::shared_ptr<membership::ListenerGates> Engine::listener_gates() const {
  return impl_->listener_gates;
}

}  // namespace mcr
