// What a burst of rtnetlink messages says changed: which interfaces (by name and by index) to
// look at again, and which were deleted. Parsing is pure so it is unit-tested without a kernel.
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

  bool empty() const noexcept { return names.empty() && indexes.empty() && deleted.empty() && !everything; }
};

// Adds what one recv() of an rtnetlink socket carries (RTM_NEWLINK / RTM_DELLINK / RTM_NEWADDR /
// RTM_DELADDR; anything else is ignored) to `changes`. Truncated messages end the parse.
void collect_interface_changes(const void* data, size_t length, InterfaceChanges& changes);

}  // namespace mcr
