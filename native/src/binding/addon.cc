// Registers the addon's exports; nothing else happens here.
#include <napi.h>

#include "binding/engine_wrap.h"
#include "binding/file_lock_function.h"

namespace {

Napi::Object init(Napi::Env env, Napi::Object exports) {
  exports.Set("Engine", mcr::binding::EngineWrap::define(env));
  exports.Set("tryLockExclusive", mcr::binding::define_try_lock_exclusive(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(mcr_engine, init)
