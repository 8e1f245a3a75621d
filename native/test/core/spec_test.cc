// validate_spec: every refusal names its field and the bad value; and the spec comparisons
// update_relay uses to keep an ingress or an output.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "core/relay_spec.h"
#include "core/spec_match.h"

namespace mcr {
namespace {

RelaySpec valid_spec() {
  RelaySpec spec;
  spec.name = "market-feed-a";
  spec.input = IngressSpec{"eth0", "239.1.1.1", 5000, {"10.0.0.5"}};
  spec.outputs.push_back(OutputSpec{"eth1", "239.2.2.2", 6000, 16, 46, ""});
  spec.outputs.push_back(OutputSpec{"wg0", "10.100.0.2", 6000, 1, 0, ""});
  return spec;
}

// Expects validate_spec to refuse `spec` with exactly this field, value and message.
void expect_refused(const RelaySpec& spec, const std::string& field, const std::string& value,
                    const std::string& message) {
  try {
    validate_spec(spec);
    ADD_FAILURE() << "accepted a spec that should fail on " << field;
  } catch (const EngineError& error) {
    EXPECT_EQ(error.code(), ErrorCode::invalid_spec);
    EXPECT_EQ(error.field(), field);
    EXPECT_EQ(error.value(), value);
    EXPECT_EQ(std::string(error.what()), message);
  }
}

RelaySpec changed(const std::function<void(RelaySpec&)>& change) {
  RelaySpec spec = valid_spec();
  change(spec);
  return spec;
}

TEST(Spec, AcceptsTheDocumentedExampleAndIpv6AndMixedFamilies) {
  EXPECT_NO_THROW(validate_spec(valid_spec()));
  EXPECT_NO_THROW(validate_spec(changed([](RelaySpec& s) {
    s.input = IngressSpec{"eth0", "ff3e::1234", 5000, {"2001:db8::5"}};
    s.outputs[0].ttl = kTtlInherit;
    s.outputs[1].source = "10.100.0.1";
  })));
}

TEST(Spec, NamesAReasonForEveryBadField) {
  expect_refused(changed([](RelaySpec& s) { s.name = ""; }), "name", "",
                 "name: must be a non-empty string of at most 128 characters, got ''");
  expect_refused(
      changed([](RelaySpec& s) { s.input.interface = ""; }), "input.interface", "",
      "input.interface: must be a Linux interface name (1..15 characters, no '/', ':' or whitespace), got ''");
  expect_refused(changed([](RelaySpec& s) { s.input.port = 0; }), "input.port", "0",
                 "input.port: must be an integer 1..65535, got 0");
  expect_refused(changed([](RelaySpec& s) { s.input.port = 70000; }), "input.port", "70000",
                 "input.port: must be an integer 1..65535, got 70000");
  expect_refused(changed([](RelaySpec& s) { s.input.group = "239.1.1"; }), "input.group", "239.1.1",
                 "input.group: '239.1.1' is not an IPv4 or IPv6 address");
  expect_refused(changed([](RelaySpec& s) { s.outputs[1].group = "239.1.1"; }), "outputs[1].group", "239.1.1",
                 "outputs[1].group: '239.1.1' is not an IPv4 or IPv6 address");
  expect_refused(changed([](RelaySpec& s) { s.outputs[0].port = 65536; }), "outputs[0].port", "65536",
                 "outputs[0].port: must be an integer 1..65535, got 65536");
  expect_refused(changed([](RelaySpec& s) { s.outputs[0].ttl = 0; }), "outputs[0].ttl", "0",
                 "outputs[0].ttl: must be an integer 1..255 or 'inherit', got 0");
  expect_refused(changed([](RelaySpec& s) { s.outputs[0].ttl = 256; }), "outputs[0].ttl", "256",
                 "outputs[0].ttl: must be an integer 1..255 or 'inherit', got 256");
  expect_refused(changed([](RelaySpec& s) { s.outputs[1].dscp = 64; }), "outputs[1].dscp", "64",
                 "outputs[1].dscp: must be an integer 0..63, got 64");
  expect_refused(changed([](RelaySpec& s) { s.outputs[1].dscp = -1; }), "outputs[1].dscp", "-1",
                 "outputs[1].dscp: must be an integer 0..63, got -1");
  expect_refused(
      changed([](RelaySpec& s) { s.outputs[0].interface = ""; }), "outputs[0].interface", "",
      "outputs[0].interface: must be a Linux interface name (1..15 characters, no '/', ':' or whitespace), got ''");
  expect_refused(changed([](RelaySpec& s) { s.outputs.clear(); }), "outputs", "0 outputs",
                 "outputs: must be an array of 1..256 outputs, got 0 outputs");
}

TEST(Spec, HoldsTheContractsLimitsOnNamesAndOutputs) {
  expect_refused(changed([](RelaySpec& s) { s.name = std::string(129, 'n'); }), "name", std::string(129, 'n'),
                 "name: must be a non-empty string of at most 128 characters, got '" + std::string(129, 'n') + "'");
  EXPECT_NO_THROW(validate_spec(changed([](RelaySpec& s) { s.name = std::string(128, 'n'); })));
  expect_refused(changed([](RelaySpec& s) { s.outputs[0].interface = "eth/0"; }), "outputs[0].interface", "eth/0",
                 "outputs[0].interface: must be a Linux interface name (1..15 characters, no '/', ':' or whitespace), "
                 "got 'eth/0'");
  expect_refused(
      changed([](RelaySpec& s) { s.input.interface = std::string(16, 'i'); }), "input.interface", std::string(16, 'i'),
      "input.interface: must be a Linux interface name (1..15 characters, no '/', ':' or whitespace), got '" +
          std::string(16, 'i') + "'");
  RelaySpec many = valid_spec();
  for (unsigned port = 7000; many.outputs.size() < 257; ++port)
    many.outputs.push_back(OutputSpec{"eth1", "239.2.2.2", port, 1, 0, ""});
  expect_refused(many, "outputs", "257 outputs", "outputs: must be an array of 1..256 outputs, got 257 outputs");
  many.outputs.pop_back();
  EXPECT_NO_THROW(validate_spec(many));
}

TEST(Spec, RefusesSourcesThatCannotWork) {
  expect_refused(changed([](RelaySpec& s) {
                   s.input.sources = {"10.0.0.5", "10.0.0"};
                 }),
                 "input.sources[1]", "10.0.0", "input.sources[1]: '10.0.0' is not an IPv4 or IPv6 address");
  expect_refused(changed([](RelaySpec& s) { s.input.group = "10.1.1.1"; }), "input.sources[0]", "10.0.0.5",
                 "input.sources[0]: sources are only allowed with a multicast group, and '10.1.1.1' is unicast");
  expect_refused(changed([](RelaySpec& s) { s.input.sources = {"2001:db8::5"}; }), "input.sources[0]", "2001:db8::5",
                 "input.sources[0]: '2001:db8::5' is IPv6 but the group '239.1.1.1' is IPv4");
  expect_refused(changed([](RelaySpec& s) { s.input.sources = {"239.9.9.9"}; }), "input.sources[0]", "239.9.9.9",
                 "input.sources[0]: '239.9.9.9' is a multicast address, not a sender");
}

TEST(Spec, RefusesAnOutputSourceOfTheWrongKind) {
  expect_refused(changed([](RelaySpec& s) { s.outputs[1].source = "2001:db8::1"; }), "outputs[1].source", "2001:db8::1",
                 "outputs[1].source: '2001:db8::1' is IPv6 but the destination is IPv4");
  expect_refused(changed([](RelaySpec& s) { s.outputs[1].source = "vip"; }), "outputs[1].source", "vip",
                 "outputs[1].source: 'vip' is not an IPv4 or IPv6 address");
}

TEST(Spec, RefusesAnOutputThatWouldLoop) {
  expect_refused(changed([](RelaySpec& s) { s.outputs[1] = OutputSpec{"eth0", "239.1.1.1", 5000, 1, 0, ""}; }),
                 "outputs[1]", "eth0 239.1.1.1:5000", "outputs[1]: would loop: output equals the ingress");
  // The same group on another interface or port is the normal relay case.
  EXPECT_NO_THROW(
      validate_spec(changed([](RelaySpec& s) { s.outputs[1] = OutputSpec{"eth1", "239.1.1.1", 5000, 1, 0, ""}; })));
  EXPECT_NO_THROW(
      validate_spec(changed([](RelaySpec& s) { s.outputs[1] = OutputSpec{"eth0", "239.1.1.1", 5001, 1, 0, ""}; })));
}

TEST(Spec, SameIngressIgnoresSpellingAndSourceOrder) {
  IngressSpec a{"eth0", "ff3e::1", 5000, {"2001:db8::1", "2001:db8::2"}};
  IngressSpec b{"eth0", "ff3e:0:0::1", 5000, {"2001:db8::2", "2001:db8::1"}};
  EXPECT_TRUE(same_ingress(a, b));
  b.interface = "eth1";
  EXPECT_FALSE(same_ingress(a, b));
  EXPECT_TRUE(ingresses_overlap(a, b));
  b = a;
  b.sources.pop_back();
  EXPECT_FALSE(same_ingress(a, b));
  b = a;
  b.port = 5001;
  EXPECT_FALSE(ingresses_overlap(a, b));
}

TEST(Spec, SameOutputComparesEveryField) {
  const OutputSpec base{"eth1", "239.2.2.2", 6000, 16, 46, ""};
  EXPECT_TRUE(same_output(base, base));
  for (const auto& change : std::vector<std::function<void(OutputSpec&)>>{
           [](OutputSpec& o) { o.interface = "eth2"; }, [](OutputSpec& o) { o.group = "239.2.2.3"; },
           [](OutputSpec& o) { o.port = 6001; }, [](OutputSpec& o) { o.ttl = kTtlInherit; },
           [](OutputSpec& o) { o.dscp = 0; }, [](OutputSpec& o) { o.source = "10.0.0.1"; }}) {
    OutputSpec other = base;
    change(other);
    EXPECT_FALSE(same_output(base, other));
  }
}

}  // namespace
}  // namespace mcr
