// Engine on loopback: order and completeness, fan-out, sizes, truncation, ids and errors.
// Unicast ingress on 127.0.0.1 via "lo"; outputs are plain sockets on other loopback ports.
#include "core/engine.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "loopback.h"

namespace mcr {
namespace {

using namespace mcr::test;

TEST(Engine, ForwardsTenThousandDatagramsCompleteAndInOrder) {
  Engine engine(small_engine_options());
  Receiver out;
  const uint16_t ingress = free_port();
  const std::string id = engine.add_relay(loopback_relay(ingress, {out.port()}));
  Sender sender;
  send_paced(sender, ingress, 0, 10'000, out);
  ASSERT_TRUE(out.wait_for(10'000));
  EXPECT_EQ(sequences(out.received()), range(0, 10'000));
  const RelayStats stats = *engine.stats(id);
  EXPECT_EQ(stats.packets_in, 10'000u);
  EXPECT_EQ(stats.outputs.at(0).packets, 10'000u);
  EXPECT_EQ(stats.outputs.at(0).bytes, stats.bytes_in);
  EXPECT_EQ(stats.outputs.at(0).send_errors, 0u);
  EXPECT_EQ(stats.rxq_overflow, 0u);
  EXPECT_GT(stats.last_packet_unix_ns, 0);
  EXPECT_GT(stats.rcvbuf_bytes, 0);
}

TEST(Engine, InputCountsAreTheReceiveCountersOfEveryRelay) {
  Engine engine(small_engine_options());
  Receiver out;
  const uint16_t fed = free_port();
  const std::string fed_id = engine.add_relay(loopback_relay(fed, {out.port()}));
  const std::string idle_id = engine.add_relay(loopback_relay(free_port(), {free_port()}));
  Sender sender;
  send_paced(sender, fed, 0, 100, out);
  ASSERT_TRUE(out.wait_for(100));
  std::vector<InputCount> counts = engine.input_counts();
  ASSERT_EQ(counts.size(), 2u);
  for (const InputCount& count : counts) {
    EXPECT_EQ(count.packets_in, engine.stats(count.id)->packets_in) << count.id;
    EXPECT_EQ(count.packets_in, count.id == fed_id ? 100u : 0u) << count.id;
  }
  engine.remove_relay(idle_id);
  EXPECT_EQ(engine.input_counts().size(), 1u);
}

TEST(Engine, FansOutEveryDatagramToEveryOutput) {
  Engine engine(small_engine_options());
  Receiver a, b, c;
  const uint16_t ingress = free_port();
  const std::string id = engine.add_relay(loopback_relay(ingress, {a.port(), b.port(), c.port()}));
  Sender sender;
  send_paced(sender, ingress, 0, 500, c);
  for (Receiver* out : {&a, &b, &c}) {
    ASSERT_TRUE(out->wait_for(500));
    EXPECT_EQ(sequences(out->received()), range(0, 500));
  }
  const RelayStats stats = *engine.stats(id);
  ASSERT_EQ(stats.outputs.size(), 3u);
  for (const OutputStats& output : stats.outputs) EXPECT_EQ(output.packets, 500u);
}

TEST(Engine, CarriesEmptyTinyAndJumboPayloadsUnchanged) {
  Engine engine(small_engine_options());
  Receiver out;
  const uint16_t ingress = free_port();
  engine.add_relay(loopback_relay(ingress, {out.port()}));
  Sender sender;
  const std::string jumbo = numbered(3, 8972);
  sender.send(ingress, "");
  sender.send(ingress, "x");
  sender.send(ingress, jumbo);
  ASSERT_TRUE(out.wait_for(3));
  const auto received = out.received();
  EXPECT_EQ(received.at(0).payload, "");
  EXPECT_EQ(received.at(1).payload, "x");
  EXPECT_EQ(received.at(2).payload, jumbo);
}

TEST(Engine, CountsADatagramLargerThanTheBufferAsTruncatedAndDropsIt) {
  EngineOptions options = small_engine_options();
  options.buffer_size = 100;
  Engine engine(options);
  Receiver out;
  const uint16_t ingress = free_port();
  const std::string id = engine.add_relay(loopback_relay(ingress, {out.port()}));
  Sender sender;
  sender.send(ingress, numbered(0, 100));  // fits exactly
  sender.send(ingress, numbered(1, 101));
  sender.send(ingress, numbered(2, 50));
  ASSERT_TRUE(out.wait_for(2));
  ASSERT_TRUE(eventually([&] { return engine.stats(id)->truncated == 1; }));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(sequences(out.received()), (std::vector<uint64_t>{0, 2}));
  EXPECT_EQ(engine.stats(id)->packets_in, 2u);
}

// An IPv6 ingress takes UDP payloads up to 65527 bytes, an IPv4 output at most 65507: the big
// datagram fails alone (EMSGSIZE) and the datagrams after it in the batch still go out.
TEST(Engine, CountsASendErrorByErrnoReportsItOnceAndSendsTheRest) {
  EngineOptions options = small_engine_options();
  options.buffer_size = 65535;
  std::mutex mutex;
  std::vector<EngineEvent> events;
  Engine engine(options, [&](const EngineEvent& event) {
    std::lock_guard lock(mutex);
    events.push_back(event);
  });
  Receiver out(AF_INET);
  const uint16_t ingress = free_port();
  const std::string id = engine.add_relay(loopback_relay(ingress, {out.port()}, "::1"));
  Sender sender(AF_INET6);
  sender.send(ingress, numbered(0));
  sender.send(ingress, numbered(1, 65520));
  sender.send(ingress, numbered(2));
  sender.send(ingress, numbered(3, 65520));
  sender.send(ingress, numbered(4));
  ASSERT_TRUE(out.wait_for(3));
  ASSERT_TRUE(eventually([&] { return engine.stats(id)->outputs.at(0).send_errors == 2; }));
  EXPECT_EQ(sequences(out.received()), (std::vector<uint64_t>{0, 2, 4}));
  const OutputStats output = engine.stats(id)->outputs.at(0);
  EXPECT_EQ(output.packets, 3u);
  EXPECT_EQ(output.send_errors_by_errno, (std::vector<std::pair<int, uint64_t>>{{EMSGSIZE, 2}}));
  std::lock_guard lock(mutex);
  ASSERT_EQ(events.size(), 1u);  // rate-limited: one per output per second
  EXPECT_EQ(events[0].type, "send-error");
  EXPECT_EQ(events[0].relay_id, id);
  EXPECT_EQ(events[0].interface, "lo");
  EXPECT_NE(events[0].message.find("Message too long"), std::string::npos) << events[0].message;
}

TEST(Engine, GivesIdsAndRefusesDuplicates) {
  Engine engine(small_engine_options());
  Receiver out;
  RelaySpec spec = loopback_relay(free_port(), {out.port()});
  EXPECT_EQ(engine.add_relay(spec), "r1");
  spec.input.port = free_port();
  spec.id = "feed-a";
  EXPECT_EQ(engine.add_relay(spec), "feed-a");
  spec.input.port = free_port();
  EXPECT_THROW(
      {
        try {
          engine.add_relay(spec);
        } catch (const EngineError& error) {
          EXPECT_EQ(error.code(), ErrorCode::duplicate);
          EXPECT_NE(std::string(error.what()).find("'feed-a'"), std::string::npos) << error.what();
          throw;
        }
      },
      EngineError);
  spec.id = "";
  EXPECT_EQ(engine.add_relay(spec), "r2");
  EXPECT_EQ(engine.relay_ids(), (std::vector<std::string>{"feed-a", "r1", "r2"}));
  EXPECT_EQ(engine.stats().size(), 3u);
  EXPECT_FALSE(engine.stats("r9").has_value());
  EXPECT_THROW(engine.remove_relay("r9"), EngineError);
  EXPECT_THROW(engine.update_relay("r9", spec), EngineError);
}

// Expects add_relay to throw SystemError naming `field`, and to leave nothing behind.
void expect_system_error(Engine& engine, const RelaySpec& spec, const std::string& field, int err) {
  try {
    engine.add_relay(spec);
    ADD_FAILURE() << "add_relay accepted a relay that should fail on " << field;
  } catch (const SystemError& error) {
    EXPECT_EQ(error.field(), field) << error.what();
    EXPECT_EQ(error.error_code(), err) << error.what();
  }
  EXPECT_TRUE(engine.relay_ids().empty());
}

TEST(Engine, NamesTheFieldOfAnUnknownInterface) {
  Engine engine(small_engine_options());
  const uint16_t ingress = free_port();
  RelaySpec spec = loopback_relay(ingress, {free_port(), free_port()});
  spec.input.interface = "mcr-nope0";
  expect_system_error(engine, spec, "input.interface", ENODEV);
  try {
    engine.add_relay(spec);
  } catch (const SystemError& error) {
    EXPECT_STREQ(error.what(), "input.interface: unknown interface 'mcr-nope0' (No such device)");
  }
  spec.input.interface = "lo";
  spec.outputs[1].interface = "mcr-nope1";
  expect_system_error(engine, spec, "outputs[1].interface", ENODEV);
  // The failed attempt closed its ingress socket: the port is free again.
  Fd probe = udp_socket(AF_INET);
  EXPECT_TRUE(try_bind(probe, loopback_v4(ingress)));
}

TEST(Engine, NamesThePortOfAnIngressAlreadyInUse) {
  Engine engine(small_engine_options());
  const uint16_t ingress = free_port();
  Fd holder = udp_socket(AF_INET);
  ASSERT_TRUE(try_bind(holder, loopback_v4(ingress)));
  expect_system_error(engine, loopback_relay(ingress, {free_port()}), "input.port", EADDRINUSE);
}

TEST(Engine, RefusesAnInvalidSpecBeforeOpeningAnything) {
  Engine engine(small_engine_options());
  RelaySpec spec = loopback_relay(free_port(), {free_port()});
  spec.outputs[0].group = "127.0.0";
  EXPECT_THROW(engine.add_relay(spec), EngineError);
  EXPECT_TRUE(engine.relay_ids().empty());
}

TEST(Engine, RefusesBadOptionsNamingTheOption) {
  EngineOptions options;
  options.batch_size = 0;
  try {
    Engine engine(options);
    ADD_FAILURE() << "accepted batch_size 0";
  } catch (const EngineError& error) {
    EXPECT_EQ(error.code(), ErrorCode::invalid_option);
    EXPECT_EQ(error.field(), "batchSize");
    EXPECT_STREQ(error.what(), "batchSize: must be an integer 1..1024, got 0");
  }
}

TEST(Engine, RefusesAnUnknownDatapathNamingTheChoices) {
  EngineOptions options;
  options.datapath = "xdp";
  try {
    Engine engine(options);
    ADD_FAILURE() << "accepted datapath xdp";
  } catch (const EngineError& error) {
    EXPECT_EQ(error.code(), ErrorCode::invalid_option);
    EXPECT_EQ(error.field(), "datapath");
    EXPECT_STREQ(error.what(), "datapath: must be one of \"socket\", \"ebpf\", \"auto\", got 'xdp'");
  }
}

TEST(Engine, SocketDatapathReportsSocketWithoutAReason) {
  Engine engine(small_engine_options());
  Receiver out;
  const std::string id = engine.add_relay(loopback_relay(free_port(), {out.port()}));
  const auto stats = engine.stats(id);
  ASSERT_TRUE(stats.has_value());
  EXPECT_EQ(stats->datapath, "socket");
  EXPECT_EQ(stats->datapath_reason, "");
}

TEST(Engine, RefusesChangesOnceClosedAndClosesTwice) {
  Engine engine(small_engine_options());
  Receiver out;
  const std::string id = engine.add_relay(loopback_relay(free_port(), {out.port()}));
  engine.close();
  EXPECT_TRUE(engine.closed());
  engine.close();
  const RelaySpec spec = loopback_relay(free_port(), {out.port()});
  EXPECT_THROW(engine.add_relay(spec), EngineError);
  EXPECT_THROW(engine.update_relay(id, spec), EngineError);
  EXPECT_THROW(engine.remove_relay(id), EngineError);
  EXPECT_TRUE(engine.relay_ids().empty());
}

TEST(Engine, SpreadsRelaysOverWorkersAndKeepsThemApart) {
  Engine engine(small_engine_options());  // two workers
  Receiver a, b, c;
  const uint16_t in_a = free_port(), in_b = free_port(), in_c = free_port();
  const std::string id_a = engine.add_relay(loopback_relay(in_a, {a.port()}));
  const std::string id_b = engine.add_relay(loopback_relay(in_b, {b.port()}));
  const std::string id_c = engine.add_relay(loopback_relay(in_c, {c.port()}));
  Sender sender;
  for (uint64_t i = 0; i < 100; ++i) {
    sender.send(in_a, numbered(i));
    sender.send(in_b, numbered(1000 + i));
    sender.send(in_c, numbered(2000 + i));
  }
  ASSERT_TRUE(a.wait_for(100) && b.wait_for(100) && c.wait_for(100));
  EXPECT_EQ(sequences(a.received()), range(0, 100));
  EXPECT_EQ(sequences(b.received()), range(1000, 100));
  EXPECT_EQ(sequences(c.received()), range(2000, 100));
}

}  // namespace
}  // namespace mcr
