// Flag parsing and typed flag values for the traffic tools.
#include "common/args.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "common/errors.h"

namespace mcr::tools {
namespace {

const FlagSpec* find_spec(std::span<const FlagSpec> specs, std::string_view name) {
  for (const FlagSpec& spec : specs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

[[noreturn]] void bad_value(std::string_view flag, std::string_view expected, std::string_view text) {
  throw UsageError("--" + std::string(flag) + ": expected " + std::string(expected) + ", got '" + std::string(text) +
                   "'");
}

}  // namespace

ParsedArgs ParsedArgs::parse(std::span<const char* const> args, std::span<const FlagSpec> specs) {
  ParsedArgs parsed;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (!arg.starts_with("--") || arg.size() == 2) {
      throw UsageError("unexpected argument '" + std::string(arg) + "' (flags start with --)");
    }
    std::string_view name = arg.substr(2);
    std::optional<std::string_view> inline_value;
    if (const auto eq = name.find('='); eq != std::string_view::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const FlagSpec* spec = find_spec(specs, name);
    if (spec == nullptr) throw UsageError("unknown flag --" + std::string(name));
    if (parsed.has(name) && !spec->repeatable) {
      throw UsageError("--" + std::string(name) + " given more than once");
    }
    std::string value;
    if (spec->takes_value) {
      if (inline_value) {
        value = *inline_value;
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        throw UsageError("--" + std::string(name) + " needs a value");
      }
    } else if (inline_value) {
      throw UsageError("--" + std::string(name) + " takes no value, got '" + std::string(*inline_value) + "'");
    }
    parsed.values_[std::string(name)].push_back(std::move(value));
  }
  return parsed;
}

bool ParsedArgs::has(std::string_view name) const {
  return values_.find(name) != values_.end();
}

std::optional<std::string> ParsedArgs::value(std::string_view name) const {
  const auto found = values_.find(name);
  if (found == values_.end()) return std::nullopt;
  return found->second.back();
}

const std::vector<std::string>& ParsedArgs::values(std::string_view name) const {
  static const std::vector<std::string> kNone;
  const auto found = values_.find(name);
  return found == values_.end() ? kNone : found->second;
}

uint64_t parse_unsigned_flag(std::string_view flag, std::string_view text, uint64_t min, uint64_t max) {
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  const std::string range = "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    bad_value(flag, range, text);
  }
  if (value < min || value > max) bad_value(flag, range, text);
  return value;
}

int64_t parse_seconds_flag(std::string_view flag, std::string_view text) {
  // One year is far beyond any test run and keeps the nanosecond count well inside int64.
  constexpr double kMaxSeconds = 366.0 * 24 * 3600;
  const std::string copy(text);
  char* end = nullptr;
  const double seconds = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size() || !std::isfinite(seconds) || seconds <= 0 ||
      seconds > kMaxSeconds) {
    bad_value(flag, "a number of seconds greater than 0 (e.g. 5 or 0.5)", text);
  }
  return static_cast<int64_t>(std::llround(seconds * 1e9));
}

int64_t parse_millis_flag(std::string_view flag, std::string_view text) {
  constexpr uint64_t kMaxMillis = 366ULL * 24 * 3600 * 1000;
  return static_cast<int64_t>(parse_unsigned_flag(flag, text, 1, kMaxMillis)) * 1'000'000;
}

}  // namespace mcr::tools
