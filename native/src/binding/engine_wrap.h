// The JavaScript class `Engine` of the addon: a thin wrapper that converts arguments, calls the
// core Engine and converts results. It owns the core engine and the event bridge.
#pragma once

#include <napi.h>

#include <memory>

#include "binding/event_bridge.h"
#include "core/engine.h"
#include "core/membership/querier.h"

namespace mcr::binding {

class EngineWrap : public Napi::ObjectWrap<EngineWrap> {
 public:
  static Napi::Function define(Napi::Env env);
  explicit EngineWrap(const Napi::CallbackInfo& info);
  ~EngineWrap() override;

 private:
  Napi::Value add_relay(const Napi::CallbackInfo& info);
  Napi::Value update_relay(const Napi::CallbackInfo& info);
  Napi::Value remove_relay(const Napi::CallbackInfo& info);
  Napi::Value relay_ids(const Napi::CallbackInfo& info);
  Napi::Value stats(const Napi::CallbackInfo& info);
  Napi::Value input_counts(const Napi::CallbackInfo& info);
  Napi::Value relay_stats(const Napi::CallbackInfo& info);
  Napi::Value set_role(const Napi::CallbackInfo& info);
  Napi::Value role(const Napi::CallbackInfo& info);
  Napi::Value set_relay_owned(const Napi::CallbackInfo& info);
  Napi::Value set_new_relays_owned(const Napi::CallbackInfo& info);
  Napi::Value set_forward_until(const Napi::CallbackInfo& info);
  Napi::Value clear_forward_until(const Napi::CallbackInfo& info);
  Napi::Value dropped_events(const Napi::CallbackInfo& info);
  Napi::Value close(const Napi::CallbackInfo& info);
  Napi::Value closed(const Napi::CallbackInfo& info);
  // engine_wrap_querier.cc
  Napi::Value start_querier(const Napi::CallbackInfo& info);
  Napi::Value querier(const Napi::CallbackInfo& info);

  // Stops the workers first (so no event is posted after), then lets the event loop go.
  void shutdown();
  static void on_environment_cleanup(void* self);

  Engine& engine(Napi::Env env);

  std::unique_ptr<EventBridge> events_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<membership::Querier> querier_;  // only when startQuerier was called
  napi_env env_ = nullptr;
  bool cleanup_hook_registered_ = false;
};

}  // namespace mcr::binding
