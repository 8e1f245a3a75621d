// Exception translation for the binding: each core error class maps to one error code.
#include "binding/errors.h"

#include <stdexcept>

#include "core/engine.h"
#include "core/relay_spec.h"

namespace mcr::binding {
namespace {

Napi::Error coded_error(Napi::Env env, const char* code, const std::string& message) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  return error;
}

}  // namespace

Napi::Error spec_error(Napi::Env env, const std::string& field, const std::string& value,
                       const std::string& reason) {
  Napi::Error error = coded_error(env, "ERR_MCR_SPEC", field + ": " + reason + ", got " + value);
  error.Set("field", Napi::String::New(env, field));
  error.Set("value", Napi::String::New(env, value));
  return error;
}

Napi::Value translate_exceptions(Napi::Env env, const std::function<Napi::Value()>& body) {
  // Order matters: SpecError and out_of_range are both logic_errors.
  try {
    return body();
  } catch (const Napi::Error&) {
    throw;
  } catch (const SpecError& e) {
    Napi::Error error = coded_error(env, "ERR_MCR_SPEC", e.what());
    error.Set("field", Napi::String::New(env, e.field()));
    error.Set("value", Napi::String::New(env, e.value()));
    throw error;
  } catch (const SystemError& e) {
    Napi::Error error = coded_error(env, "ERR_MCR_SYSTEM", e.what());
    if (!e.field().empty()) error.Set("field", Napi::String::New(env, e.field()));
    error.Set("errno", Napi::Number::New(env, e.error_code()));
    throw error;
  } catch (const std::out_of_range& e) {
    throw coded_error(env, "ERR_MCR_NOT_FOUND", e.what());
  } catch (const std::invalid_argument& e) {
    throw coded_error(env, "ERR_MCR_DUPLICATE", e.what());
  } catch (const std::logic_error& e) {
    throw coded_error(env, "ERR_MCR_CLOSED", e.what());
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, e.what());
  }
}

}  // namespace mcr::binding
