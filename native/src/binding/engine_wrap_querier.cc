// EngineWrap's querier methods: startQuerier and querier. The querier lives beside the core
// engine and follows its role (set_role forwards to it), so only the HA active node queries.
#include "binding/engine_wrap.h"
#include "binding/errors.h"
#include "binding/querier_convert.h"

namespace mcr::binding {

Napi::Value EngineWrap::start_querier(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return translate_exceptions(env, [&]() -> Napi::Value {
    if (querier_) throw EngineError(ErrorCode::duplicate, "querier", "", "the querier is running already");
    const membership::QuerierOptions options = to_querier_options(info[0]);
    querier_ = std::make_unique<membership::Querier>(options, engine(env).role() == Role::active,
                                                     engine(env).listener_gates());
    return env.Undefined();
  });
}

Napi::Value EngineWrap::querier(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!querier_) return env.Undefined();
  return to_js_querier_snapshot(env, querier_->snapshot());
}

}  // namespace mcr::binding
