// The querier's options from JavaScript and its snapshot back to JavaScript: times become
// milliseconds relative to the snapshot ("expires in"), addresses text.
#pragma once

#include <napi.h>

#include "core/membership/querier.h"

namespace mcr::binding {

membership::QuerierOptions to_querier_options(const Napi::Value& js);
Napi::Object to_js_querier_snapshot(Napi::Env env, const membership::QuerierSnapshot& snapshot);

}  // namespace mcr::binding
