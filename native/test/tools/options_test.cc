// Unit tests of mcrgen/mcrsink command-line parsing: defaults, accepted forms, and that every
// error names the flag and the bad value.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/args.h"
#include "common/errors.h"
#include "common/gen_options.h"
#include "common/sink_options.h"

namespace mcr::tools {
namespace {

GenOptions gen(std::vector<const char*> args) {
  return parse_gen_options(static_cast<int>(args.size()), args.data());
}

SinkOptions sink(std::vector<const char*> args) {
  return parse_sink_options(static_cast<int>(args.size()), args.data());
}

// The UsageError message, or a failure if the call did not throw one.
template <typename Parse>
std::string usage_error(Parse parse) {
  try {
    parse();
  } catch (const UsageError& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected a UsageError";
  return "";
}

#define EXPECT_MENTIONS(text, a, b)                             \
  do {                                                          \
    const std::string message_ = (text);                        \
    EXPECT_NE(message_.find(a), std::string::npos) << message_; \
    EXPECT_NE(message_.find(b), std::string::npos) << message_; \
  } while (false)

TEST(ToolsGenOptions, DefaultsMatchTheDocumentation) {
  const auto options = gen({"--group", "239.1.1.1", "--port", "5000"});
  EXPECT_TRUE(is_multicast(options.destination.ip()));
  EXPECT_EQ(options.destination.port(), 5000);
  EXPECT_EQ(options.rate_pps, 10'000u);
  EXPECT_EQ(options.size, 64u);
  EXPECT_EQ(options.ttl, 16u);
  EXPECT_EQ(options.batch, 32u);
  EXPECT_FALSE(options.count.has_value());
  EXPECT_FALSE(options.duration_ns.has_value());
  EXPECT_FALSE(options.raw);
  EXPECT_FALSE(options.loop);
  EXPECT_FALSE(options.gso);
}

TEST(ToolsGenOptions, GsoNeedsDatagramsWithAPayload) {
  EXPECT_TRUE(gen({"--group", "239.1.1.1", "--port", "5000", "--gso"}).gso);
  EXPECT_MENTIONS(usage_error([] {
                    gen({"--group", "239.1.1.1", "--port", "1", "--gso", "--raw", "--size", "0"});
                  }),
                  "--gso", "--size 0");
}

TEST(ToolsGenOptions, AcceptsIpv6InlineValuesAndRawZeroSize) {
  const auto options = gen({"--group=ff15::1", "--port=6000", "--rate", "0", "--duration", "0.25", "--raw", "--size",
                            "0", "--stream-id", "4294967295", "--loop"});
  EXPECT_EQ(options.destination.family(), AF_INET6);
  EXPECT_TRUE(is_multicast(options.destination.ip()));
  EXPECT_EQ(options.rate_pps, 0u);
  EXPECT_EQ(options.duration_ns, 250'000'000);
  EXPECT_EQ(options.size, 0u);
  EXPECT_EQ(options.stream_id, 4294967295u);
  EXPECT_TRUE(options.loop);
}

TEST(ToolsGenOptions, ErrorsNameTheFlagAndValue) {
  const std::vector<const char*> base = {"--group", "239.1.1.1", "--port", "5000"};
  auto with = [&](std::vector<const char*> extra) {
    auto args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return usage_error([&] { gen(args); });
  };
  EXPECT_MENTIONS(with({"--rate", "fast"}), "--rate", "'fast'");
  EXPECT_MENTIONS(with({"--count", "0"}), "--count", "'0'");
  EXPECT_MENTIONS(with({"--size", "10"}), "--size", "'10'");
  EXPECT_MENTIONS(with({"--size", "70000", "--raw"}), "--size", "'70000'");
  EXPECT_MENTIONS(with({"--ttl", "256"}), "--ttl", "'256'");
  EXPECT_MENTIONS(with({"--batch", "0"}), "--batch", "'0'");
  EXPECT_MENTIONS(with({"--duration", "-1"}), "--duration", "'-1'");
  EXPECT_MENTIONS(with({"--bind", "::1"}), "--bind", "'::1'");
  EXPECT_MENTIONS(with({"--stream-id", "4294967296"}), "--stream-id", "'4294967296'");
  EXPECT_MENTIONS(with({"--frobnicate"}), "--frobnicate", "unknown");
  EXPECT_MENTIONS(with({"--count"}), "--count", "needs a value");
  EXPECT_MENTIONS(with({"--raw=yes"}), "--raw", "'yes'");
  EXPECT_MENTIONS(with({"--rate", "1", "--rate", "2"}), "--rate", "more than once");
  EXPECT_MENTIONS(usage_error([] { gen({"--group", "239.1.1", "--port", "1"}); }), "--group", "'239.1.1'");
  EXPECT_MENTIONS(usage_error([] { gen({"--group", "239.1.1.1", "--port", "0"}); }), "--port", "'0'");
  EXPECT_MENTIONS(usage_error([] { gen({"--port", "1"}); }), "--group", "required");
  EXPECT_MENTIONS(usage_error([] { gen({"--group", "239.1.1.1", "stray"}); }), "'stray'", "unexpected");
}

TEST(ToolsGenOptions, TsErrorsNameTheFlag) {
  EXPECT_MENTIONS(usage_error([] {
                    gen({"--group", "239.1.1.1", "--port", "1", "--ts", "--size", "1000"});
                  }),
                  "--size", "multiple of 188");
  EXPECT_MENTIONS(usage_error([] { gen({"--group", "239.1.1.1", "--port", "1", "--ts", "--raw"}); }), "--ts", "--raw");
  EXPECT_MENTIONS(usage_error([] {
                    gen({"--group", "239.1.1.1", "--port", "1", "--ts-cc-errors", "5"});
                  }),
                  "--ts-cc-errors", "needs --ts");
  EXPECT_MENTIONS(usage_error([] {
                    gen({"--group", "239.1.1.1", "--port", "1", "--ts", "--ts-cc-errors", "0"});
                  }),
                  "--ts-cc-errors", "'0'");
  EXPECT_MENTIONS(usage_error([] {
                    gen({"--group", "239.1.1.1", "--port", "1", "--ts", "--size", "376", "--ts-duplicates", "2"});
                  }),
                  "--ts-duplicates", "3 TS packets");
  EXPECT_MENTIONS(usage_error([] { sink({"--group", "239.1.1.1", "--port", "1", "--ts", "--raw"}); }), "--ts", "--raw");
}

TEST(ToolsGenOptions, HelpNeedsNoOtherFlags) {
  EXPECT_TRUE(gen({"--help"}).help);
}

TEST(ToolsSinkOptions, ParsesStopConditionsAndSsmSources) {
  const auto options =
      sink({"--group", "232.1.1.1", "--port", "5000", "--source", "10.0.0.2", "--source", "10.0.0.3", "--count", "100",
            "--idle-timeout", "250", "--duration", "2", "--expect", "100", "--json", "--ready-file", "/tmp/ready"});
  EXPECT_EQ(options.sources.size(), 2u);
  EXPECT_EQ(options.count, 100u);
  EXPECT_EQ(options.idle_timeout_ns, 250'000'000);
  EXPECT_EQ(options.duration_ns, 2'000'000'000);
  EXPECT_EQ(options.expect, 100u);
  EXPECT_EQ(options.start_seq, 0u);
  EXPECT_TRUE(options.json);
  EXPECT_EQ(options.ready_file, "/tmp/ready");
}

TEST(ToolsSinkOptions, UnicastMayUsePortZeroAndStartSeqFirst) {
  const auto options = sink({"--group", "127.0.0.1", "--port", "0", "--start-seq", "first"});
  EXPECT_FALSE(is_multicast(options.group.ip()));
  EXPECT_EQ(options.group.port(), 0);
  EXPECT_FALSE(options.start_seq.has_value());
}

TEST(ToolsSinkOptions, ErrorsNameTheFlagAndValue) {
  EXPECT_MENTIONS(usage_error([] { sink({"--group", "239.1.1.1", "--port", "0"}); }), "--port", "'0'");
  EXPECT_MENTIONS(usage_error([] {
                    sink({"--group", "239.1.1.1", "--port", "5000", "--source", "ff15::1"});
                  }),
                  "--source", "'ff15::1'");
  EXPECT_MENTIONS(usage_error([] {
                    sink({"--group", "10.0.0.1", "--port", "5000", "--source", "10.0.0.2"});
                  }),
                  "--source", "'10.0.0.2'");
  EXPECT_MENTIONS(usage_error([] {
                    sink({"--group", "239.1.1.1", "--port", "5000", "--idle-timeout", "0.5"});
                  }),
                  "--idle-timeout", "'0.5'");
  EXPECT_MENTIONS(usage_error([] {
                    sink({"--group", "239.1.1.1", "--port", "5000", "--start-seq", "last"});
                  }),
                  "--start-seq", "'last'");
  EXPECT_MENTIONS(usage_error([] {
                    sink({"--group", "239.1.1.1", "--port", "5000", "--expect", "many"});
                  }),
                  "--expect", "'many'");
  EXPECT_MENTIONS(usage_error([] {
                    sink({"--group", "239.1.1.1", "--port", "5000", "--rcvbuf", "1"});
                  }),
                  "--rcvbuf", "'1'");
  EXPECT_MENTIONS(usage_error([] { sink({"--group", "not-an-ip", "--port", "5000"}); }), "--group", "'not-an-ip'");
}

TEST(ToolsArgs, TypedValuesRejectTrailingGarbageAndOverflow) {
  EXPECT_EQ(parse_unsigned_flag("count", "18446744073709551615", 0, UINT64_MAX), UINT64_MAX);
  EXPECT_MENTIONS(usage_error([] { parse_unsigned_flag("count", "18446744073709551616", 0, UINT64_MAX); }), "--count",
                  "'18446744073709551616'");
  EXPECT_MENTIONS(usage_error([] { parse_unsigned_flag("count", "12x", 0, 100); }), "--count", "'12x'");
  EXPECT_MENTIONS(usage_error([] { parse_unsigned_flag("count", "", 0, 100); }), "--count", "''");
  EXPECT_MENTIONS(usage_error([] { parse_seconds_flag("duration", "nan"); }), "--duration", "'nan'");
  EXPECT_EQ(parse_seconds_flag("duration", "1.5"), 1'500'000'000);
}

}  // namespace
}  // namespace mcr::tools
