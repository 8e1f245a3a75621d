// Registers the addon's exports; nothing else happens here.
#include <napi.h>

#include <cstdio>
#include <cstring>

#include "binding/engine_wrap.h"

namespace {

Napi::Value errno_name(const Napi::CallbackInfo& info) {
  int number = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : 0;
  const char* name = strerrorname_np(number);
  if (name != nullptr) return Napi::String::New(info.Env(), name);
  char unknown[24];  // snprintf, not string concatenation: GCC 12 warns falsely (-Wrestrict) on that
  std::snprintf(unknown, sizeof unknown, "E%d", number);
  return Napi::String::New(info.Env(), unknown);
}

Napi::Object init(Napi::Env env, Napi::Object exports) {
  exports.Set("Engine", mcr::binding::EngineWrap::define(env));
  exports.Set("errnoName", Napi::Function::New(env, errno_name, "errnoName"));
  return exports;
}

}  // namespace

NODE_API_MODULE(mcr_engine, init)
