// JSON output: comma placement per nesting level and RFC 8259 string escaping.
#include "common/json_writer.h"

#include <cmath>
#include <cstdio>

namespace mcr::tools {

void JsonWriter::separate() {
  if (has_member_.empty()) return;
  if (has_member_.back()) out_ += ',';
  has_member_.back() = true;
}

void JsonWriter::write_key(std::string_view key) {
  separate();
  write_string(key);
  out_ += ':';
}

void JsonWriter::write_string(std::string_view text) {
  out_ += '"';
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out_ += '\\';
      out_ += c;
    } else if (byte < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", byte);
      out_ += escaped;
    } else {
      out_ += c;
    }
  }
  out_ += '"';
}

JsonWriter& JsonWriter::begin_object() {
  separate();
  out_ += '{';
  has_member_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::begin_object(std::string_view key) {
  write_key(key);
  out_ += '{';
  has_member_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  out_ += '}';
  has_member_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::begin_array(std::string_view key) {
  write_key(key);
  out_ += '[';
  has_member_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  out_ += ']';
  has_member_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::field(std::string_view key, uint64_t value) {
  write_key(key);
  out_ += std::to_string(value);
  return *this;
}

JsonWriter& JsonWriter::field(std::string_view key, int64_t value) {
  write_key(key);
  out_ += std::to_string(value);
  return *this;
}

JsonWriter& JsonWriter::field(std::string_view key, double value) {
  write_key(key);
  if (!std::isfinite(value)) {
    out_ += "null";
    return *this;
  }
  char number[64];
  std::snprintf(number, sizeof(number), "%.3f", value);
  out_ += number;
  return *this;
}

JsonWriter& JsonWriter::field(std::string_view key, bool value) {
  write_key(key);
  out_ += value ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::field(std::string_view key, std::string_view value) {
  write_key(key);
  write_string(value);
  return *this;
}

}  // namespace mcr::tools
