// What a burst of rtnetlink messages says changed: which interfaces (by name and by index) to
// look at again, which were deleted, and whose IPv4 sysctls the eBPF rules depend on changed. Parsing is pure so it is
// unit-tested without a kernel.
#pragma once

#include <cstddef>
#include <set>
#include <string>

namespace mcr {

struct InterfaceChanges {
  std::set<std::string> names;    // interfaces a link message named (new, changed, deleted)
  std::set<unsigned> indexes;     // interfaces a link or address message named by index
  std::set<std::string> deleted;  // RTM_DELLINK: memberships and bindings on it are gone
  bool everything = false;        // messages were lost (ENOBUFS): look at every interface
  // RTM_NEWNETCONF (IPv4): the rp_filter or forwarding sysctl of these interfaces changed, or of
  // "all" (which applies to every interface). Only the eBPF rules read them; sockets are unaffected.
  std::set<unsigned> ipv4_conf_indexes;
  bool ipv4_conf_all = false;

  bool empty() const noexcept {
    return names.empty() && indexes.empty() && deleted.empty() && !everything && ipv4_conf_indexes.empty() &&
           !ipv4_conf_all;
  }
};

// Adds what one recv() of an rtnetlink socket carries (RTM_NEWLINK / RTM_DELLINK / RTM_NEWADDR /
// RTM_DELADDR / RTM_NEWNETCONF; anything else is ignored) to `changes`. Truncated messages end the parse.
void collect_interface_changes(const void* data, size_t length, InterfaceChanges& changes);

}  // namespace mcr
