// Command-line flag parsing shared by mcrgen and mcrsink: "--flag value" or "--flag=value",
// typed conversions whose errors name the flag and the bad value (exit code 2).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mcr::tools {

struct FlagSpec {
  std::string_view name;  // without the leading "--"
  bool takes_value = true;
  bool repeatable = false;
};

class ParsedArgs {
 public:
  // args excludes argv[0]. Throws UsageError for unknown flags, missing values, positional
  // arguments and non-repeatable flags given twice.
  static ParsedArgs parse(std::span<const char* const> args, std::span<const FlagSpec> specs);

  bool has(std::string_view name) const;
  std::optional<std::string> value(std::string_view name) const;
  const std::vector<std::string>& values(std::string_view name) const;

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> values_;
};

// Each throws UsageError("--<flag>: <what was expected>, got '<text>'").
uint64_t parse_unsigned_flag(std::string_view flag, std::string_view text, uint64_t min, uint64_t max);
// Seconds as a decimal ("5", "0.25"), returned in nanoseconds; must be > 0.
int64_t parse_seconds_flag(std::string_view flag, std::string_view text);
// Milliseconds as an integer, returned in nanoseconds; must be > 0.
int64_t parse_millis_flag(std::string_view flag, std::string_view text);

}  // namespace mcr::tools
