// Reads what the eBPF datapath needs to know about an interface (index, link type, state, MAC,
// IPv4 address, the IPv6 source the kernel picks per group) from the system.
#pragma once

#include <optional>
#include <string>

#include "core/kernel_rule.h"

namespace mcr {

// nullopt when no interface has that name; never throws.
std::optional<InterfaceFacts> read_interface_facts(const std::string& name);

}  // namespace mcr
