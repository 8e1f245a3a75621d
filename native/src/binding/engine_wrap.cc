// EngineWrap: argument checking and delegation only; the logic lives in the core.
#include "binding/engine_wrap.h"

#include "binding/convert.h"
#include "binding/errors.h"

namespace mcr::binding {
namespace {

std::string require_id(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsString()) {
    refuse_value(ErrorCode::invalid_spec, "id", info.Length() < 1 ? "undefined" : info[0].ToString().Utf8Value(),
                 "a string");
  }
  return info[0].As<Napi::String>().Utf8Value();
}

}  // namespace

Napi::Function EngineWrap::define(Napi::Env env) {
  return DefineClass(env, "Engine",
                     {
                         InstanceMethod<&EngineWrap::add_relay>("addRelay"),
                         InstanceMethod<&EngineWrap::update_relay>("updateRelay"),
                         InstanceMethod<&EngineWrap::remove_relay>("removeRelay"),
                         InstanceMethod<&EngineWrap::relay_ids>("relayIds"),
                         InstanceMethod<&EngineWrap::stats>("stats"),
                         InstanceMethod<&EngineWrap::input_counts>("inputCounts"),
                         InstanceMethod<&EngineWrap::relay_stats>("relayStats"),
                         InstanceMethod<&EngineWrap::set_role>("setRole"),
                         InstanceMethod<&EngineWrap::role>("role"),
                         InstanceMethod<&EngineWrap::set_relay_owned>("setRelayOwned"),
                         InstanceMethod<&EngineWrap::set_new_relays_owned>("setNewRelaysOwned"),
                         InstanceMethod<&EngineWrap::set_forward_until>("setForwardUntil"),
                         InstanceMethod<&EngineWrap::clear_forward_until>("clearForwardUntil"),
                         InstanceMethod<&EngineWrap::dropped_events>("droppedEvents"),
                         InstanceMethod<&EngineWrap::close>("close"),
                         InstanceMethod<&EngineWrap::closed>("closed"),
                         InstanceMethod<&EngineWrap::start_querier>("startQuerier"),
                         InstanceMethod<&EngineWrap::querier>("querier"),
                     });
}

EngineWrap::EngineWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<EngineWrap>(info), env_(info.Env()) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsFunction()) {
    throw Napi::TypeError::New(env, "Engine(options, onEvent) expects an object and a function");
  }
  translate_exceptions(env, [&]() -> Napi::Value {
    EngineOptions options = to_engine_options(info[0].As<Napi::Object>());
    events_ = std::make_unique<EventBridge>(env, info[1].As<Napi::Function>());
    EventBridge* bridge = events_.get();
    engine_ = std::make_unique<Engine>(options, [bridge](const EngineEvent& event) { bridge->post(event); });
    return env.Undefined();
  });
  // Registered after the thread-safe function, so (hooks run last-in first-out) the workers
  // stop before Node tears the function down when the process exits without close().
  napi_add_env_cleanup_hook(env_, &EngineWrap::on_environment_cleanup, this);
  cleanup_hook_registered_ = true;
}

EngineWrap::~EngineWrap() {
  shutdown();
}

void EngineWrap::on_environment_cleanup(void* self) {
  static_cast<EngineWrap*>(self)->shutdown();
}

void EngineWrap::shutdown() {
  if (querier_) querier_->stop();
  if (engine_) engine_->close();
  if (events_) events_->release();
  if (cleanup_hook_registered_) {
    napi_remove_env_cleanup_hook(env_, &EngineWrap::on_environment_cleanup, this);
    cleanup_hook_registered_ = false;
  }
}

Engine& EngineWrap::engine(Napi::Env env) {
  if (!engine_) throw Napi::Error::New(env, "engine was not created");
  return *engine_;
}

Napi::Value EngineWrap::add_relay(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return translate_exceptions(env, [&]() -> Napi::Value {
    RelaySpec spec = to_relay_spec(info[0]);
    return Napi::String::New(env, engine(env).add_relay(spec));
  });
}

Napi::Value EngineWrap::update_relay(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return translate_exceptions(env, [&]() -> Napi::Value {
    std::string id = require_id(info);
    RelaySpec spec = to_relay_spec(info[1]);
    engine(env).update_relay(id, spec);
    return env.Undefined();
  });
}

Napi::Value EngineWrap::remove_relay(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return translate_exceptions(env, [&]() -> Napi::Value {
    engine(env).remove_relay(require_id(info));
    return env.Undefined();
  });
}

Napi::Value EngineWrap::relay_ids(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return translate_exceptions(env, [&]() -> Napi::Value {
    std::vector<std::string> ids = engine(env).relay_ids();
    Napi::Array js = Napi::Array::New(env, ids.size());
    for (size_t i = 0; i < ids.size(); ++i) js.Set(static_cast<uint32_t>(i), ids[i]);
    return js;
  });
}

Napi::Value EngineWrap::stats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return translate_exceptions(env, [&]() -> Napi::Value {
    std::vector<RelayStats> all = engine(env).stats();
    Napi::Array js = Napi::Array::New(env, all.size());
    for (size_t i = 0; i < all.size(); ++i) js.Set(static_cast<uint32_t>(i), to_js_stats(env, all[i]));
    return js;
  });
}

// { ids, packetsIn }: one string per relay and one Float64Array, no object per relay (polled at
// 20 Hz with thousands of relays). A double holds a count exactly up to 2^53 datagrams.
Napi::Value EngineWrap::input_counts(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return translate_exceptions(env, [&]() -> Napi::Value {
    std::vector<InputCount> all = engine(env).input_counts();
    Napi::Array ids = Napi::Array::New(env, all.size());
    Napi::Float64Array packets_in = Napi::Float64Array::New(env, all.size());
    for (size_t i = 0; i < all.size(); ++i) {
      ids.Set(static_cast<uint32_t>(i), all[i].id);
      packets_in[i] = static_cast<double>(all[i].packets_in);
    }
    Napi::Object js = Napi::Object::New(env);
    js.Set("ids", ids);
    js.Set("packetsIn", packets_in);
    return js;
  });
}

Napi::Value EngineWrap::relay_stats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return translate_exceptions(env, [&]() -> Napi::Value {
    std::optional<RelayStats> one = engine(env).stats(require_id(info));
    return one ? Napi::Value(to_js_stats(env, *one)) : env.Undefined();
  });
}

Napi::Value EngineWrap::set_role(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return translate_exceptions(env, [&]() -> Napi::Value {
    std::string role = info.Length() > 0 && info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "";
    if (role != "active" && role != "standby")
      refuse_value(ErrorCode::invalid_spec, "role", role, "'active' or 'standby'");
    engine(env).set_role(role == "active" ? Role::active : Role::standby);
    if (querier_) querier_->set_active(role == "active");  // only the active node queries
    return env.Undefined();
  });
}

Napi::Value EngineWrap::role(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Napi::String::New(env, engine(env).role() == Role::active ? "active" : "standby");
}

Napi::Value EngineWrap::set_relay_owned(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return translate_exceptions(env, [&]() -> Napi::Value {
    if (info.Length() < 2 || !info[0].IsString() || !info[1].IsBoolean()) {
      refuse_value(ErrorCode::invalid_spec, "owned", info.Length() < 2 ? "undefined" : info[1].ToString().Utf8Value(),
                   "setRelayOwned(id: string, owned: boolean)");
    }
    engine(env).set_relay_owned(info[0].As<Napi::String>().Utf8Value(), info[1].As<Napi::Boolean>().Value());
    return env.Undefined();
  });
}

Napi::Value EngineWrap::set_new_relays_owned(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return translate_exceptions(env, [&]() -> Napi::Value {
    if (info.Length() < 1 || !info[0].IsBoolean()) {
      refuse_value(ErrorCode::invalid_spec, "owned", info.Length() < 1 ? "undefined" : info[0].ToString().Utf8Value(),
                   "a boolean");
    }
    engine(env).set_new_relays_owned(info[0].As<Napi::Boolean>().Value());
    return env.Undefined();
  });
}

Napi::Value EngineWrap::set_forward_until(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return translate_exceptions(env, [&]() -> Napi::Value {
    if (info.Length() < 1 || !info[0].IsBigInt()) {
      refuse_value(ErrorCode::invalid_spec, "deadline",
                   info.Length() < 1 ? "undefined" : info[0].ToString().Utf8Value(),
                   "a bigint (monotonic nanoseconds)");
    }
    bool lossless = false;
    int64_t deadline = info[0].As<Napi::BigInt>().Int64Value(&lossless);
    if (!lossless || deadline <= 0) {
      refuse_value(ErrorCode::invalid_spec, "deadline", info[0].ToString().Utf8Value(), "a positive 64-bit value");
    }
    engine(env).set_forward_until(deadline);
    return env.Undefined();
  });
}

Napi::Value EngineWrap::clear_forward_until(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return translate_exceptions(env, [&]() -> Napi::Value {
    engine(env).clear_forward_until();
    return env.Undefined();
  });
}

Napi::Value EngineWrap::dropped_events(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(events_ ? events_->dropped() : 0));
}

Napi::Value EngineWrap::close(const Napi::CallbackInfo& info) {
  shutdown();
  return info.Env().Undefined();
}

Napi::Value EngineWrap::closed(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), !engine_ || engine_->closed());
}

}  // namespace mcr::binding
