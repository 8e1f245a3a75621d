// The addon's `tryLockExclusive(fd)`: the kernel file lock of net/file_lock for @mcr/store's
// store lock (Node has no flock of its own).
#pragma once

#include <napi.h>

namespace mcr::binding {

Napi::Function define_try_lock_exclusive(Napi::Env env);

}  // namespace mcr::binding
