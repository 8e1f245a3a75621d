// Exception translation for the binding: the core's error code becomes the JavaScript code
// (contract::error_code_name), one to one; the field, value and errno travel as properties.
#include "binding/errors.h"

#include "core/engine.h"
#include "core/engine_error.h"

namespace mcr::binding {
namespace {

Napi::Error coded_error(Napi::Env env, ErrorCode code, const std::string& message) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, contract::error_code_name(code)));
  return error;
}

}  // namespace

Napi::Value translate_exceptions(Napi::Env env, const std::function<Napi::Value()>& body) {
  try {
    return body();
  } catch (const Napi::Error&) {
    throw;
  } catch (const EngineError& e) {
    Napi::Error error = coded_error(env, e.code(), e.what());
    if (!e.field().empty()) error.Set("field", Napi::String::New(env, e.field()));
    if (!e.value().empty()) error.Set("value", Napi::String::New(env, e.value()));
    throw error;
  } catch (const SystemError& e) {
    Napi::Error error = coded_error(env, ErrorCode::system, e.what());
    if (!e.field().empty()) error.Set("field", Napi::String::New(env, e.field()));
    error.Set("errno", Napi::Number::New(env, e.error_code()));
    throw error;
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, e.what());
  }
}

}  // namespace mcr::binding
