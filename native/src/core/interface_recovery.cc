// Interface recovery per relay: down/up bookkeeping, reopening sockets by the interface's
// current index, and the events that tell the control plane (never per packet).
#include "core/interface_recovery.h"

#include <algorithm>
#include <set>
#include <vector>

namespace mcr {

namespace {

bool is_second_leg_on(const Relay& relay, const std::string& name) {
  return relay.spec.redundancy && relay.spec.redundancy->input.interface == name;
}

std::set<std::string> interface_names(const Relay& relay) {
  std::set<std::string> names{relay.spec.input.interface};
  if (relay.spec.redundancy) names.insert(relay.spec.redundancy->input.interface);
  for (const auto& output : relay.outputs) names.insert(output->spec.interface);
  return names;
}

// "ingress", "output", "ingress and output": how the relay uses the interface, for messages.
std::string roles_on(const Relay& relay, const std::string& name) {
  const bool ingress = relay.spec.input.interface == name || is_second_leg_on(relay, name);
  const bool output = std::any_of(relay.outputs.begin(), relay.outputs.end(),
                                  [&](const auto& candidate) { return candidate->spec.interface == name; });
  if (ingress && output) return "ingress and output";
  return ingress ? "ingress" : "output";
}

void emit(const ForwardingState& state, const Relay& relay, const std::string& type, const std::string& name,
          const std::string& message) {
  EngineEvent event;
  event.type = type;
  event.relay_id = relay.id;
  event.interface = name;
  event.message = message;
  state.emit(event);
}

// Opens replacements for every socket of the relay on `name` that is stale (lost with a deleted
// interface, or tied to another index). Returns false when one cannot be opened yet (e.g. a
// unicast ingress whose address is not back); the next interface change tries again.
bool reopen_sockets(const std::shared_ptr<Relay>& relay, const std::string& name, const InterfaceStatus& status,
                    Worker& worker, int socket_buffer_bytes) {
  const bool lost = relay->interfaces_lost.count(name) != 0;
  try {
    if (relay->spec.input.interface == name && (lost || relay->ingress.interface_index != status.index)) {
      const bool receive_ttl = relay->ingress.receives_ttl || any_output_inherits_ttl(relay->spec.outputs);
      worker.reopen_ingress(relay, open_ingress(relay->spec.input, socket_buffer_bytes, receive_ttl));
    }
    if (is_second_leg_on(*relay, name) && (lost || relay->ingress_of(1).interface_index != status.index)) {
      const bool receive_ttl = relay->ingress_of(1).receives_ttl || any_output_inherits_ttl(relay->spec.outputs);
      worker.reopen_ingress(
          relay, open_ingress(relay->spec.redundancy->input, socket_buffer_bytes, receive_ttl, "redundancy.input"), 1);
    }
    for (size_t i = 0; i < relay->outputs.size(); ++i) {
      const std::shared_ptr<Output>& output = relay->outputs[i];
      if (output->spec.interface != name) continue;
      if (!lost && output->socket.interface_index == status.index) continue;
      worker.reopen_output(output, open_output(output->spec, i, socket_buffer_bytes));
    }
  } catch (const std::exception&) {
    return false;  // SystemError from open_*: the interface is still coming back
  }
  return true;
}

std::string down_message(const Relay& relay, const std::string& name, bool gone) {
  return std::string(roles_on(relay, name)) + " interface " + name + " of relay " + relay.id +
         (gone ? " is gone" : " is down") + "; the relay waits for it and resumes by itself";
}

std::string up_message(const Relay& relay, const std::string& name, const InterfaceStatus& status, bool reopened) {
  return std::string(roles_on(relay, name)) + " interface " + name + " of relay " + relay.id + " is up (index " +
         std::to_string(status.index) + ")" +
         (reopened ? "; sockets reopened and rejoined, forwarding resumes" : "; forwarding resumes");
}

}  // namespace

const InterfaceStatus& InterfaceSnapshot::get(const std::string& name) {
  const auto found = known_.find(name);
  if (found != known_.end()) return found->second;
  return known_.emplace(name, query_interface(name)).first->second;
}

bool affected_by(const Relay& relay, const InterfaceChanges& changes) {
  if (changes.everything) return true;
  if (changes.indexes.count(relay.ingress.interface_index) != 0) return true;
  if (relay.redundancy && changes.indexes.count(relay.redundancy->second().interface_index) != 0) return true;
  for (const auto& output : relay.outputs) {
    if (changes.indexes.count(output->socket.interface_index) != 0) return true;
  }
  for (const std::string& name : interface_names(relay)) {
    if (changes.names.count(name) != 0 || changes.deleted.count(name) != 0) return true;
  }
  return false;
}

void recover_relay(const std::shared_ptr<Relay>& relay, const InterfaceChanges& changes, InterfaceSnapshot& now,
                   Worker& worker, int socket_buffer_bytes, const ForwardingState& state) {
  for (const std::string& name : interface_names(*relay)) {
    const InterfaceStatus& status = now.get(name);
    const bool gone = changes.deleted.count(name) != 0 || !status.exists();
    if (gone) relay->interfaces_lost.insert(name);
    const bool stale = relay->interfaces_lost.count(name) != 0;
    // Reopen as soon as the interface exists again, even before it is up: a membership made on
    // a down interface holds, so the relay is ready the moment carrier returns.
    const bool sockets_current = status.exists() && reopen_sockets(relay, name, status, worker, socket_buffer_bytes);
    if (sockets_current) relay->interfaces_lost.erase(name);
    const bool down = !status.up || relay->interfaces_lost.count(name) != 0;
    if ((down || gone) && relay->interfaces_down.insert(name).second) {
      emit(state, *relay, "interface-down", name, down_message(*relay, name, gone));
    }
    if (!down && relay->interfaces_down.erase(name) != 0) {
      emit(state, *relay, "interface-up", name, up_message(*relay, name, status, stale));
    }
  }
}

void note_interface_state(Relay& relay) {
  const std::set<std::string> names = interface_names(relay);
  std::erase_if(relay.interfaces_lost, [&](const std::string& name) { return names.count(name) == 0; });
  relay.interfaces_down.clear();
  for (const std::string& name : names) {
    if (!query_interface(name).up || relay.interfaces_lost.count(name) != 0) relay.interfaces_down.insert(name);
  }
}

}  // namespace mcr
