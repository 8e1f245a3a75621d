// EventBridge implementation: one heap copy per event (events are rare; packets never come here).
#include "binding/event_bridge.h"

#include <memory>

namespace mcr::binding {
namespace {

void deliver(Napi::Env env, Napi::Function callback, EngineEvent* raw) {
  std::unique_ptr<EngineEvent> event(raw);
  if (env == nullptr || callback.IsEmpty()) return;  // the environment is shutting down
  Napi::Object js = Napi::Object::New(env);
  js.Set("type", event->type);
  js.Set("relayId", event->relay_id);
  js.Set("interface", event->interface);
  js.Set("message", event->message);
  callback.Call({js});
}

}  // namespace

EventBridge::EventBridge(Napi::Env env, Napi::Function callback)
    : tsfn_(Napi::ThreadSafeFunction::New(env, callback, "mcr-engine-events", kMaxQueuedEvents, 1)) {}

EventBridge::~EventBridge() {
  release();
}

void EventBridge::post(const EngineEvent& event) {
  if (released_.load(std::memory_order_acquire)) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  auto copy = std::make_unique<EngineEvent>(event);
  if (tsfn_.NonBlockingCall(copy.get(), deliver) == napi_ok) {
    copy.release();  // owned by deliver() now
  } else {
    dropped_.fetch_add(1, std::memory_order_relaxed);
  }
}

void EventBridge::release() {
  if (!released_.exchange(true, std::memory_order_acq_rel)) tsfn_.Release();
}

}  // namespace mcr::binding
