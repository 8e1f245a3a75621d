// Converts JavaScript values into core structs (every value copied into plain C++ data, so no
// V8 object crosses a thread) and core snapshots back into JavaScript objects.
#pragma once

#include <napi.h>

#include "core/engine.h"

namespace mcr::binding {

EngineOptions to_engine_options(const Napi::Object& js);
RelaySpec to_relay_spec(const Napi::Value& js);
Napi::Object to_js_stats(Napi::Env env, const RelayStats& stats);

}  // namespace mcr::binding
