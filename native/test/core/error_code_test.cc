// The contract's error codes on the core side: every ErrorCode is provoked through the Engine's
// public API and arrives with that code, and each code has its own JavaScript name.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>
#include <string>

#include "core/engine.h"
#include "loopback.h"

namespace mcr {
namespace {

using namespace mcr::test;

// The code a refusal carries: EngineError's own, or `system` for the kernel's SystemError (the
// binding maps them the same way).
std::optional<ErrorCode> code_thrown_by(const std::function<void()>& call) {
  try {
    call();
  } catch (const EngineError& error) {
    return error.code();
  } catch (const SystemError&) {
    return ErrorCode::system;
  }
  return std::nullopt;
}

TEST(ErrorCodes, TheCoreThrowsEveryCodeOfTheContract) {
  Engine engine(small_engine_options());
  RelaySpec spec = loopback_relay(free_port(), {free_port()});
  spec.id = "feed-a";
  engine.add_relay(spec);
  Engine closed(small_engine_options());
  closed.close();

  const std::map<ErrorCode, std::function<void()>> provoke = {
      {ErrorCode::invalid_option,
       [] {
         EngineOptions options = small_engine_options();
         options.buffer_size = 65536;
         Engine refused(options);
       }},
      {ErrorCode::invalid_spec,
       [&] {
         RelaySpec bad = loopback_relay(free_port(), {free_port()});
         bad.outputs[0].dscp = 64;
         engine.add_relay(bad);
       }},
      {ErrorCode::not_found, [&] { engine.remove_relay("no-such-relay"); }},
      {ErrorCode::duplicate, [&] { engine.add_relay(spec); }},
      {ErrorCode::closed, [&] { closed.add_relay(loopback_relay(free_port(), {free_port()})); }},
      {ErrorCode::system,
       [&] {
         RelaySpec gone = loopback_relay(free_port(), {free_port()});
         gone.input.interface = "mcr-nope0";
         engine.add_relay(gone);
       }},
  };
  for (const ErrorCode code : contract::kErrorCodes) {
    const auto found = provoke.find(code);
    ASSERT_NE(found, provoke.end()) << "no test provokes " << contract::error_code_name(code);
    EXPECT_EQ(code_thrown_by(found->second), code) << contract::error_code_name(code);
  }
}

TEST(ErrorCodes, OptionErrorsNameTheOptionAsTheCallerSpellsIt) {
  EngineOptions options = small_engine_options();
  options.buffer_size = 65536;
  try {
    Engine refused(options);
    FAIL() << "accepted bufferSize 65536";
  } catch (const EngineError& error) {
    EXPECT_EQ(error.code(), ErrorCode::invalid_option);
    EXPECT_EQ(error.field(), "bufferSize");
    EXPECT_EQ(error.value(), "65536");
    EXPECT_STREQ(error.what(), "bufferSize: must be an integer 1..65535, got 65536");
  }
}

TEST(ErrorCodes, EachCodeHasItsOwnJavaScriptName) {
  std::set<std::string> names;
  for (const ErrorCode code : contract::kErrorCodes) {
    const std::string name = contract::error_code_name(code);
    EXPECT_EQ(name.rfind("ERR_MCR_", 0), 0u) << name;
    EXPECT_TRUE(names.insert(name).second) << name << " names two codes";
  }
}

}  // namespace
}  // namespace mcr
