// tryLockExclusive(fd: number): boolean — true when taken, false when another open file holds
// it; other failures throw ERR_MCR_SYSTEM with the errno.
#include "binding/file_lock_function.h"

#include "binding/errors.h"
#include "net/file_lock.h"

namespace mcr::binding {
namespace {

Napi::Value try_lock_exclusive_js(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return translate_exceptions(env, [&]() -> Napi::Value {
    if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "fd must be a number");
    return Napi::Boolean::New(env, try_lock_exclusive(info[0].As<Napi::Number>().Int32Value()));
  });
}

}  // namespace

Napi::Function define_try_lock_exclusive(Napi::Env env) {
  return Napi::Function::New(env, try_lock_exclusive_js, "tryLockExclusive");
}

}  // namespace mcr::binding
