// Engine options against the contract's ranges (contract::option): the core checks them when an
// Engine is made, and the binding checks a JavaScript number the same way before narrowing it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/engine.h"

namespace mcr {

// "an integer 1..256": how a refusal words an option's range (the contract's own phrase for spec
// ranges, applied to options).
std::string integer_rule(int64_t min, int64_t max);

// Throw EngineError invalid_option naming the option ("bufferSize", "cpus[2]") and the value.
void check_option(const contract::IntegerOption& option, int64_t value);
void check_option(const contract::ChoiceOption& option, const std::string& value);
void check_option_element(const contract::IntegerListOption& option, size_t index, int64_t value);

void check_options(const EngineOptions& options);

}  // namespace mcr
