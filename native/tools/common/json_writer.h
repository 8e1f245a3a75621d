// Minimal streaming JSON writer for the tools' reports (one object, numbers, strings, arrays);
// used once at the end of a run, never on the packet path.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mcr::tools {

class JsonWriter {
 public:
  JsonWriter& begin_object();  // as a value (top level or array element)
  JsonWriter& begin_object(std::string_view key);
  JsonWriter& end_object();
  JsonWriter& begin_array(std::string_view key);
  JsonWriter& end_array();

  JsonWriter& field(std::string_view key, uint64_t value);
  JsonWriter& field(std::string_view key, int64_t value);
  JsonWriter& field(std::string_view key, double value);  // 3 decimals; null if not finite
  JsonWriter& field(std::string_view key, bool value);
  JsonWriter& field(std::string_view key, std::string_view value);
  // Without this a string literal would pick the bool overload.
  JsonWriter& field(std::string_view key, const char* value) { return field(key, std::string_view(value)); }

  const std::string& text() const { return out_; }

 private:
  void separate();
  void write_key(std::string_view key);
  void write_string(std::string_view text);

  std::string out_;
  std::vector<bool> has_member_;  // one entry per open object/array
};

}  // namespace mcr::tools
