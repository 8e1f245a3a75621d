// Turns the core's exceptions into JavaScript errors carrying { code, field, value, errno }, the
// properties @mcr/engine's EngineError exposes; `code` is the contract's, one per ErrorCode.
#pragma once

#include <napi.h>

#include <functional>

namespace mcr::binding {

// Runs `body`, converting any core exception into a thrown JavaScript error.
Napi::Value translate_exceptions(Napi::Env env, const std::function<Napi::Value()>& body);

}  // namespace mcr::binding
