// Keeps relays in line with their interfaces: a relay whose ingress or output interface is down
// or gone waits for it (spec and counters kept); when it returns, its sockets are reopened.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "core/forwarding_state.h"
#include "core/interface.h"
#include "core/interface_changes.h"
#include "core/relay.h"
#include "core/worker.h"

namespace mcr {

// Interface states read once per pass over the relays, so a hundred relays on one interface
// cost one lookup.
class InterfaceSnapshot {
 public:
  const InterfaceStatus& get(const std::string& name);

 private:
  std::map<std::string, InterfaceStatus> known_;
};

// Does the relay use an interface the changes name (by name, or by an index its sockets use)?
bool affected_by(const Relay& relay, const InterfaceChanges& changes);

// Marks the relay's interfaces down or up as they are now, reopens the sockets on an interface
// that came back (deleted before, or a new index), and emits "interface-down" / "interface-up"
// on each transition. Runs under the engine lock; socket swaps go through the relay's worker.
void recover_relay(const std::shared_ptr<Relay>& relay, const InterfaceChanges& changes, InterfaceSnapshot& now,
                   Worker& worker, int socket_buffer_bytes, const ForwardingState& state);

// For a relay just opened or updated: interfaces_down as things are now, no events (the
// caller is looking at the relay already); lost marks of interfaces it no longer uses go.
void note_interface_state(Relay& relay);

}  // namespace mcr
