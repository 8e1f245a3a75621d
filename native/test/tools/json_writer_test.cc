// Unit tests of the tools' JSON writer: separators at every nesting level and string escaping.
#include "common/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>

namespace mcr::tools {
namespace {

TEST(ToolsJsonWriter, NestsObjectsAndArraysWithCorrectCommas) {
  JsonWriter json;
  json.begin_object().field("a", uint64_t{1}).begin_object("b").field("c", int64_t{-2}).end_object();
  json.begin_array("d").begin_object().field("e", true).end_object().begin_object().end_object();
  json.end_array().field("f", 1.5).end_object();
  EXPECT_EQ(json.text(), R"({"a":1,"b":{"c":-2},"d":[{"e":true},{}],"f":1.500})");
}

TEST(ToolsJsonWriter, EscapesStringsAndWritesNullForNonFinite) {
  JsonWriter json;
  json.begin_object().field("s", "a\"b\\c\n\x01").field("x", std::nan("")).end_object();
  EXPECT_EQ(json.text(), R"({"s":"a\"b\\c\u000a\u0001","x":null})");
}

}  // namespace
}  // namespace mcr::tools
