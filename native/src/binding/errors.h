// Turns core exceptions into JavaScript errors carrying { code, field, value, errno }, the
// properties @mcr/engine's EngineError exposes.
#pragma once

#include <napi.h>

#include <functional>

namespace mcr::binding {

// Runs `body`, converting any core exception into a thrown JavaScript error.
Napi::Value translate_exceptions(Napi::Env env, const std::function<Napi::Value()>& body);

// A JavaScript error for a bad value found while converting arguments.
Napi::Error spec_error(Napi::Env env, const std::string& field, const std::string& value,
                       const std::string& reason);

}  // namespace mcr::binding
