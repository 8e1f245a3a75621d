// JavaScript <-> core conversions. A value of the wrong type throws the core's EngineError, naming
// the field as the caller wrote it; ranges are the contract's, checked by the core.
#include "binding/convert.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/option_check.h"

namespace mcr::binding {
namespace {

namespace option = contract::option;

constexpr int64_t kMaxSafeInteger = (int64_t{1} << 53) - 1;  // Number.MAX_SAFE_INTEGER

std::string describe(const Napi::Value& value) {
  if (value.IsUndefined()) return "undefined";
  if (value.IsNull()) return "null";
  return value.ToString().Utf8Value();
}

[[noreturn]] void refuse_spec(const Napi::Value& value, const std::string& field, const std::string& rule) {
  refuse_value(ErrorCode::invalid_spec, field, describe(value), rule);
}

Napi::Object require_object(const Napi::Value& value, const std::string& field) {
  if (!value.IsObject() || value.IsArray()) refuse_spec(value, field, "an object");
  return value.As<Napi::Object>();
}

std::string require_string(const Napi::Object& object, const char* key, const std::string& field) {
  Napi::Value value = object.Get(key);
  if (!value.IsString()) refuse_spec(value, field, "a string");
  return value.As<Napi::String>().Utf8Value();
}

// A JavaScript number that is a whole number in [low, high]; anything else is nullopt.
std::optional<int64_t> whole_number(const Napi::Value& value, int64_t low, int64_t high) {
  if (!value.IsNumber()) return std::nullopt;
  const double number = value.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(number) || std::trunc(number) != number) return std::nullopt;
  if (number < static_cast<double>(low) || number > static_cast<double>(high)) return std::nullopt;
  return static_cast<int64_t>(number);
}

// Spec integers only need to fit their C++ field here; the core checks the contract's range and
// words the refusal with the same rule.
int32_t require_spec_int(const Napi::Object& object, const char* key, const std::string& field, const char* rule) {
  Napi::Value value = object.Get(key);
  const auto number = whole_number(value, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max());
  if (!number) refuse_spec(value, field, rule);
  return static_cast<int32_t>(*number);
}

uint32_t require_port(const Napi::Object& object, const std::string& field) {
  Napi::Value value = object.Get("port");
  const auto port = whole_number(value, 0, std::numeric_limits<uint32_t>::max());
  if (!port) refuse_spec(value, field, contract::spec::port.rule);
  return static_cast<uint32_t>(*port);
}

Napi::Array require_array(const Napi::Object& object, const char* key, const std::string& field) {
  Napi::Value value = object.Get(key);
  if (!value.IsArray()) refuse_spec(value, field, "an array");
  return value.As<Napi::Array>();
}

bool require_boolean(const Napi::Object& object, const char* key, const std::string& field) {
  Napi::Value value = object.Get(key);
  if (!value.IsBoolean()) refuse_spec(value, field, "a boolean");
  return value.As<Napi::Boolean>().Value();
}

// An integer option, checked against the contract's range before it is narrowed to its C++ type.
int64_t integer_option(const Napi::Object& js, const contract::IntegerOption& spec) {
  Napi::Value value = js.Get(spec.name);
  const auto number = whole_number(value, -kMaxSafeInteger, kMaxSafeInteger);
  if (!number) refuse_value(ErrorCode::invalid_option, spec.name, describe(value), integer_rule(spec.min, spec.max));
  check_option(spec, *number);
  return *number;
}

bool boolean_option(const Napi::Object& js, const contract::BooleanOption& spec) {
  Napi::Value value = js.Get(spec.name);
  if (!value.IsBoolean()) refuse_value(ErrorCode::invalid_option, spec.name, describe(value), "a boolean");
  return value.As<Napi::Boolean>().Value();
}

std::string choice_option(const Napi::Object& js, const contract::ChoiceOption& spec) {
  Napi::Value value = js.Get(spec.name);
  if (!value.IsString()) refuse_value(ErrorCode::invalid_option, spec.name, describe(value), "a string");
  std::string text = value.As<Napi::String>().Utf8Value();
  check_option(spec, text);
  return text;
}

std::vector<unsigned> cpus_option(const Napi::Object& js) {
  Napi::Value value = js.Get(option::cpus.name);
  if (!value.IsArray())
    refuse_value(ErrorCode::invalid_option, option::cpus.name, describe(value), "an array of CPU numbers");
  Napi::Array cpus = value.As<Napi::Array>();
  std::vector<unsigned> result;
  for (uint32_t i = 0; i < cpus.Length(); ++i) {
    const auto cpu = whole_number(cpus.Get(i), -kMaxSafeInteger, kMaxSafeInteger);
    if (!cpu) {
      refuse_value(ErrorCode::invalid_option, std::string(option::cpus.name) + "[" + std::to_string(i) + "]",
                   describe(cpus.Get(i)), integer_rule(option::cpus.min, option::cpus.max));
    }
    check_option_element(option::cpus, i, *cpu);
    result.push_back(static_cast<unsigned>(*cpu));
  }
  return result;
}

// `path`: "input" or "redundancy.input".
IngressSpec to_ingress(const Napi::Value& js, const std::string& path) {
  Napi::Object object = require_object(js, path);
  IngressSpec ingress;
  ingress.interface = require_string(object, "interface", path + ".interface");
  ingress.group = require_string(object, "group", path + ".group");
  ingress.port = require_port(object, path + ".port");
  Napi::Array sources = require_array(object, "sources", path + ".sources");
  for (uint32_t i = 0; i < sources.Length(); ++i) {
    Napi::Value source = sources.Get(i);
    std::string field = path + ".sources[" + std::to_string(i) + "]";
    if (!source.IsString()) refuse_spec(source, field, "a string");
    ingress.sources.push_back(source.As<Napi::String>().Utf8Value());
  }
  return ingress;
}

OutputSpec to_output(const Napi::Value& js, const std::string& field) {
  Napi::Object object = require_object(js, field);
  OutputSpec output;
  output.interface = require_string(object, "interface", field + ".interface");
  output.group = require_string(object, "group", field + ".group");
  output.port = require_port(object, field + ".port");
  output.ttl = require_spec_int(object, "ttl", field + ".ttl", contract::spec::ttl.rule);
  output.dscp = require_spec_int(object, "dscp", field + ".dscp", contract::spec::dscp.rule);
  output.source = require_string(object, "source", field + ".source");
  output.on_demand = require_boolean(object, "onDemand", field + ".onDemand");
  return output;
}

// One of `names` (the enumerators' spelling in JavaScript), as its index.
size_t require_choice(const Napi::Object& object, const char* key, const std::string& field,
                      const std::vector<std::string>& names, const std::string& rule) {
  Napi::Value value = object.Get(key);
  if (value.IsString()) {
    const std::string text = value.As<Napi::String>().Utf8Value();
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == text) return i;
    }
  }
  refuse_spec(value, field, rule);
}

int64_t require_milliseconds(const Napi::Object& object, const char* key, const std::string& field,
                             const contract::IntegerRange& range) {
  Napi::Value value = object.Get(key);
  const auto number = whole_number(value, -kMaxSafeInteger, kMaxSafeInteger);
  if (!number) refuse_spec(value, field, range.rule);
  return *number;
}

// null = a plain relay.
std::optional<RedundancySpec> to_redundancy(const Napi::Value& js) {
  if (js.IsNull() || js.IsUndefined()) return std::nullopt;
  Napi::Object object = require_object(js, "redundancy");
  RedundancySpec redundancy;
  redundancy.input = to_ingress(object.Get("input"), "redundancy.input");
  redundancy.mode = static_cast<RedundancyMode>(
      require_choice(object, "mode", "redundancy.mode", {"merge", "failover"}, contract::spec::redundancy_mode_rule));
  redundancy.key = static_cast<RedundancyKey>(
      require_choice(object, "key", "redundancy.key", {"rtp", "payload"}, contract::spec::redundancy_key_rule));
  redundancy.window_ms = require_milliseconds(object, "windowMs", "redundancy.windowMs", contract::spec::window_ms);
  redundancy.loss_ms = require_milliseconds(object, "lossMs", "redundancy.lossMs", contract::spec::loss_ms);
  redundancy.revert_ms = require_milliseconds(object, "revertMs", "redundancy.revertMs", contract::spec::revert_ms);
  return redundancy;
}

}  // namespace

EngineOptions to_engine_options(const Napi::Object& js) {
  EngineOptions options;
  options.workers = static_cast<unsigned>(integer_option(js, option::workers));
  options.batch_size = static_cast<unsigned>(integer_option(js, option::batch_size));
  options.buffer_size = static_cast<unsigned>(integer_option(js, option::buffer_size));
  options.socket_buffer_bytes = static_cast<int>(integer_option(js, option::socket_buffer_bytes));
  options.gso = boolean_option(js, option::gso);
  options.gro = boolean_option(js, option::gro);
  options.cpus = cpus_option(js);
  options.realtime_priority = static_cast<int>(integer_option(js, option::realtime_priority));
  options.busy_poll_us = static_cast<unsigned>(integer_option(js, option::busy_poll_us));
  options.datapath = choice_option(js, option::datapath);
  return options;
}

RelaySpec to_relay_spec(const Napi::Value& js) {
  Napi::Object object = require_object(js, "spec");
  RelaySpec spec;
  spec.id = require_string(object, "id", "id");
  spec.name = require_string(object, "name", "name");
  spec.enabled = require_boolean(object, "enabled", "enabled");
  spec.input = to_ingress(object.Get("input"), "input");
  spec.redundancy = to_redundancy(object.Get("redundancy"));
  // The choices in AnalyzeMode's order.
  spec.analyze = static_cast<AnalyzeMode>(
      require_choice(object, "analyze", "analyze", {"auto", "rtp", "ts", "off"}, contract::spec::analyze_rule));
  Napi::Array outputs = require_array(object, "outputs", "outputs");
  for (uint32_t i = 0; i < outputs.Length(); ++i) {
    spec.outputs.push_back(to_output(outputs.Get(i), "outputs[" + std::to_string(i) + "]"));
  }
  return spec;
}

namespace {

// One BigInt property per contract counter; an errno table also gets "<name>ByErrno": [errno, count] pairs.
#define MCR_SET_COUNT(member, name, Live) js.Set(name, Napi::BigInt::New(env, stats.member));
#define MCR_SET_BY_ERRNO(member, name) \
  js.Set(std::string(name) + "ByErrno", by_errno_to_js(env, stats.member##_by_errno));

Napi::Array by_errno_to_js(Napi::Env env, const std::vector<std::pair<int, uint64_t>>& counts) {
  Napi::Array js = Napi::Array::New(env, counts.size());
  for (size_t i = 0; i < counts.size(); ++i) {
    Napi::Array pair = Napi::Array::New(env, 2);
    pair.Set(0u, Napi::Number::New(env, counts[i].first));
    pair.Set(1u, Napi::BigInt::New(env, counts[i].second));
    js.Set(static_cast<uint32_t>(i), pair);
  }
  return js;
}

Napi::Object to_js_leg(Napi::Env env, const LegStats& stats) {
  Napi::Object js = Napi::Object::New(env);
  MCR_LEG_COUNTERS(MCR_SET_COUNT)
  js.Set("silentForMs", Napi::Number::New(env, static_cast<double>(stats.silent_for_ms)));
  return js;
}

Napi::Object to_js_output(Napi::Env env, const OutputStats& stats) {
  Napi::Object js = Napi::Object::New(env);
  MCR_OUTPUT_COUNTERS(MCR_SET_COUNT)
  MCR_OUTPUT_ERRNO_TABLES(MCR_SET_BY_ERRNO)
  js.Set("lastPacketUnixNs", Napi::BigInt::New(env, stats.last_packet_unix_ns));
  return js;
}

}  // namespace

Napi::Object to_js_stats(Napi::Env env, const RelayStats& stats) {
  Napi::Object js = Napi::Object::New(env);
  js.Set("id", Napi::String::New(env, stats.id));
  js.Set("name", Napi::String::New(env, stats.name));
  js.Set("enabled", Napi::Boolean::New(env, stats.enabled));
  MCR_RELAY_COUNTERS(MCR_SET_COUNT)
  MCR_RELAY_ERRNO_TABLES(MCR_SET_BY_ERRNO)
  js.Set("lastPacketUnixNs", Napi::BigInt::New(env, stats.last_packet_unix_ns));
  js.Set("rcvbufBytes", Napi::Number::New(env, stats.rcvbuf_bytes));
  Napi::Array interfaces_down = Napi::Array::New(env, stats.interfaces_down.size());
  for (size_t i = 0; i < stats.interfaces_down.size(); ++i) {
    interfaces_down.Set(static_cast<uint32_t>(i), Napi::String::New(env, stats.interfaces_down[i]));
  }
  js.Set("interfacesDown", interfaces_down);
  js.Set("datapath", Napi::String::New(env, stats.datapath));
  js.Set("datapathReason", Napi::String::New(env, stats.datapath_reason));
  Napi::Array outputs = Napi::Array::New(env, stats.outputs.size());
  for (size_t i = 0; i < stats.outputs.size(); ++i) {
    outputs.Set(static_cast<uint32_t>(i), to_js_output(env, stats.outputs[i]));
  }
  js.Set("outputs", outputs);
  Napi::Array legs = Napi::Array::New(env, stats.legs.size());
  for (size_t i = 0; i < stats.legs.size(); ++i) legs.Set(static_cast<uint32_t>(i), to_js_leg(env, stats.legs[i]));
  js.Set("legs", legs);
  js.Set("activeLeg", Napi::Number::New(env, stats.active_leg));
  return js;
}

#undef MCR_SET_COUNT
#undef MCR_SET_BY_ERRNO

}  // namespace mcr::binding
