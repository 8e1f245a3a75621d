// JavaScript <-> core conversions. Type errors name the field, like the core's SpecError.
#include "binding/convert.h"

#include <cmath>
#include <string>
#include <vector>

#include "binding/errors.h"

namespace mcr::binding {
namespace {

std::string describe(const Napi::Value& value) {
  if (value.IsUndefined()) return "undefined";
  if (value.IsNull()) return "null";
  return value.ToString().Utf8Value();
}

Napi::Object require_object(const Napi::Value& value, const std::string& field) {
  if (!value.IsObject() || value.IsArray()) {
    throw spec_error(value.Env(), field, describe(value), "must be an object");
  }
  return value.As<Napi::Object>();
}

std::string require_string(const Napi::Object& object, const char* key, const std::string& field) {
  Napi::Value value = object.Get(key);
  if (!value.IsString()) throw spec_error(object.Env(), field, describe(value), "must be a string");
  return value.As<Napi::String>().Utf8Value();
}

// Integers are range-checked by the core (so its messages stay the single source); here we
// only refuse what cannot be represented at all.
int64_t integer_value(const Napi::Value& value, const std::string& field) {
  if (!value.IsNumber()) throw spec_error(value.Env(), field, describe(value), "must be an integer");
  double number = value.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(number) || std::trunc(number) != number || std::fabs(number) > 4294967295.0) {
    throw spec_error(value.Env(), field, describe(value), "must be an integer");
  }
  return static_cast<int64_t>(number);
}

int64_t require_integer(const Napi::Object& object, const char* key, const std::string& field) {
  return integer_value(object.Get(key), field);
}

uint32_t require_port(const Napi::Object& object, const std::string& field) {
  int64_t port = require_integer(object, "port", field);
  if (port < 0) throw spec_error(object.Env(), field, std::to_string(port), "must be 1..65535");
  return static_cast<uint32_t>(port);
}

Napi::Array require_array(const Napi::Object& object, const char* key, const std::string& field) {
  Napi::Value value = object.Get(key);
  if (!value.IsArray()) throw spec_error(object.Env(), field, describe(value), "must be an array");
  return value.As<Napi::Array>();
}

bool require_boolean(const Napi::Object& object, const char* key, const std::string& field) {
  Napi::Value value = object.Get(key);
  if (!value.IsBoolean()) throw spec_error(object.Env(), field, describe(value), "must be a boolean");
  return value.As<Napi::Boolean>().Value();
}

std::vector<unsigned> require_cpus(const Napi::Object& object) {
  Napi::Array cpus = require_array(object, "cpus", "options.cpus");
  std::vector<unsigned> result;
  for (uint32_t i = 0; i < cpus.Length(); ++i) {
    const std::string field = "options.cpus[" + std::to_string(i) + "]";
    const int64_t cpu = integer_value(cpus.Get(i), field);
    if (cpu < 0) throw spec_error(object.Env(), field, std::to_string(cpu), "must be a CPU number >= 0");
    result.push_back(static_cast<unsigned>(cpu));
  }
  return result;
}

IngressSpec to_ingress(const Napi::Value& js) {
  Napi::Object object = require_object(js, "input");
  IngressSpec ingress;
  ingress.interface = require_string(object, "interface", "input.interface");
  ingress.group = require_string(object, "group", "input.group");
  ingress.port = require_port(object, "input.port");
  Napi::Array sources = require_array(object, "sources", "input.sources");
  for (uint32_t i = 0; i < sources.Length(); ++i) {
    Napi::Value source = sources.Get(i);
    std::string field = "input.sources[" + std::to_string(i) + "]";
    if (!source.IsString()) throw spec_error(js.Env(), field, describe(source), "must be a string");
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
  output.ttl = static_cast<int>(require_integer(object, "ttl", field + ".ttl"));
  output.dscp = static_cast<int>(require_integer(object, "dscp", field + ".dscp"));
  output.source = require_string(object, "source", field + ".source");
  return output;
}

}  // namespace

EngineOptions to_engine_options(const Napi::Object& js) {
  EngineOptions options;
  options.workers = static_cast<unsigned>(require_integer(js, "workers", "options.workers"));
  options.batch_size = static_cast<unsigned>(require_integer(js, "batchSize", "options.batchSize"));
  options.buffer_size = static_cast<unsigned>(require_integer(js, "bufferSize", "options.bufferSize"));
  options.socket_buffer_bytes =
      static_cast<int>(require_integer(js, "socketBufferBytes", "options.socketBufferBytes"));
  options.gso = require_boolean(js, "gso", "options.gso");
  options.gro = require_boolean(js, "gro", "options.gro");
  options.cpus = require_cpus(js);
  options.realtime_priority =
      static_cast<int>(require_integer(js, "realtimePriority", "options.realtimePriority"));
  options.busy_poll_us = static_cast<unsigned>(require_integer(js, "busyPollUs", "options.busyPollUs"));
  return options;
}

RelaySpec to_relay_spec(const Napi::Value& js) {
  Napi::Object object = require_object(js, "spec");
  RelaySpec spec;
  spec.id = require_string(object, "id", "id");
  spec.name = require_string(object, "name", "name");
  Napi::Value enabled = object.Get("enabled");
  if (!enabled.IsBoolean()) throw spec_error(js.Env(), "enabled", describe(enabled), "must be a boolean");
  spec.enabled = enabled.As<Napi::Boolean>().Value();
  spec.input = to_ingress(object.Get("input"));
  Napi::Array outputs = require_array(object, "outputs", "outputs");
  for (uint32_t i = 0; i < outputs.Length(); ++i) {
    spec.outputs.push_back(to_output(outputs.Get(i), "outputs[" + std::to_string(i) + "]"));
  }
  return spec;
}

namespace {

Napi::Object to_js_output(Napi::Env env, const OutputStats& stats) {
  Napi::Object js = Napi::Object::New(env);
  js.Set("packets", Napi::BigInt::New(env, stats.packets));
  js.Set("bytes", Napi::BigInt::New(env, stats.bytes));
  js.Set("sendErrors", Napi::BigInt::New(env, stats.send_errors));
  Napi::Array by_errno = Napi::Array::New(env, stats.send_errors_by_errno.size());
  for (size_t i = 0; i < stats.send_errors_by_errno.size(); ++i) {
    Napi::Array pair = Napi::Array::New(env, 2);
    pair.Set(0u, Napi::Number::New(env, stats.send_errors_by_errno[i].first));
    pair.Set(1u, Napi::BigInt::New(env, stats.send_errors_by_errno[i].second));
    by_errno.Set(static_cast<uint32_t>(i), pair);
  }
  js.Set("sendErrorsByErrno", by_errno);
  js.Set("lastPacketUnixNs", Napi::BigInt::New(env, stats.last_packet_unix_ns));
  js.Set("gsoDatagrams", Napi::BigInt::New(env, stats.gso_datagrams));
  js.Set("gsoFallbacks", Napi::BigInt::New(env, stats.gso_fallbacks));
  return js;
}

}  // namespace

Napi::Object to_js_stats(Napi::Env env, const RelayStats& stats) {
  Napi::Object js = Napi::Object::New(env);
  js.Set("id", Napi::String::New(env, stats.id));
  js.Set("name", Napi::String::New(env, stats.name));
  js.Set("enabled", Napi::Boolean::New(env, stats.enabled));
  js.Set("packetsIn", Napi::BigInt::New(env, stats.packets_in));
  js.Set("bytesIn", Napi::BigInt::New(env, stats.bytes_in));
  js.Set("rxqDrops", Napi::BigInt::New(env, stats.rxq_drops));
  js.Set("truncated", Napi::BigInt::New(env, stats.truncated));
  js.Set("ttlExpired", Napi::BigInt::New(env, stats.ttl_expired));
  js.Set("notForwardedStandby", Napi::BigInt::New(env, stats.not_forwarded_standby));
  js.Set("heldByFence", Napi::BigInt::New(env, stats.held_by_fence));
  js.Set("lastPacketUnixNs", Napi::BigInt::New(env, stats.last_packet_unix_ns));
  js.Set("rcvbufBytes", Napi::Number::New(env, stats.rcvbuf_bytes));
  Napi::Array interfaces_down = Napi::Array::New(env, stats.interfaces_down.size());
  for (size_t i = 0; i < stats.interfaces_down.size(); ++i) {
    interfaces_down.Set(static_cast<uint32_t>(i), Napi::String::New(env, stats.interfaces_down[i]));
  }
  js.Set("interfacesDown", interfaces_down);
  Napi::Array outputs = Napi::Array::New(env, stats.outputs.size());
  for (size_t i = 0; i < stats.outputs.size(); ++i) {
    outputs.Set(static_cast<uint32_t>(i), to_js_output(env, stats.outputs[i]));
  }
  js.Set("outputs", outputs);
  return js;
}

}  // namespace mcr::binding
