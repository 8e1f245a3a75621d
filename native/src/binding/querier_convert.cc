#include "binding/querier_convert.h"

#include "core/engine_error.h"
#include "net/address.h"

namespace mcr::binding {
namespace {

using membership::FilterMode;
using membership::GroupEntry;
using membership::InterfaceSnapshot;

double in_ms(int64_t at_ns, int64_t now_ns) {
  return at_ns <= now_ns ? 0 : static_cast<double>((at_ns - now_ns) / kNanosecondsPerMillisecond);
}

double ms(int64_t ns) {
  return static_cast<double>(ns / kNanosecondsPerMillisecond);
}

Napi::Value address_or_null(Napi::Env env, const std::optional<IpAddress>& address) {
  return address ? Napi::Value(Napi::String::New(env, format_ip_address(*address))) : env.Null();
}

Napi::Object to_js_group(Napi::Env env, const GroupEntry& group, int64_t now_ns) {
  Napi::Object js = Napi::Object::New(env);
  js.Set("group", format_ip_address(group.group));
  js.Set("mode", group.mode == FilterMode::include ? "include" : "exclude");
  js.Set("expiresInMs", in_ms(group.expires_ns(), now_ns));
  js.Set("compatibilityVersion", group.compatibility_version);
  js.Set("lastReporter", format_ip_address(group.last_reporter));
  Napi::Array sources = Napi::Array::New(env, group.sources.size());
  for (size_t i = 0; i < group.sources.size(); ++i) {
    Napi::Object source = Napi::Object::New(env);
    source.Set("source", format_ip_address(group.sources[i].source));
    source.Set("expiresInMs", in_ms(group.sources[i].expires_ns, now_ns));
    sources.Set(static_cast<uint32_t>(i), source);
  }
  js.Set("sources", sources);
  Napi::Array excluded = Napi::Array::New(env, group.excluded_sources.size());
  for (size_t i = 0; i < group.excluded_sources.size(); ++i) {
    excluded.Set(static_cast<uint32_t>(i), format_ip_address(group.excluded_sources[i]));
  }
  js.Set("excludedSources", excluded);
  return js;
}

Napi::Object to_js_interface(Napi::Env env, const InterfaceSnapshot& link, int64_t now_ns) {
  const bool elected = link.state == membership::QuerierState::querier;
  Napi::Object js = Napi::Object::New(env);
  js.Set("interface", link.interface);
  js.Set("protocol", link.family == AF_INET ? "igmp" : "mld");
  js.Set("up", link.up);
  js.Set("state", membership::querier_state_name(link.state));
  js.Set("version", link.query_version);
  js.Set("address", address_or_null(env, link.own_address));
  js.Set("otherQuerier", address_or_null(env, link.other_querier));
  js.Set("otherQuerierExpiresInMs",
         link.other_querier ? Napi::Value(Napi::Number::New(env, in_ms(link.other_querier_expires_ns, now_ns)))
                            : env.Null());
  js.Set("nextQueryInMs",
         elected ? Napi::Value(Napi::Number::New(env, in_ms(link.next_general_query_ns, now_ns))) : env.Null());
  js.Set("generalQueriesSent", static_cast<double>(link.counters.general_queries_sent));
  js.Set("groupQueriesSent", static_cast<double>(link.counters.group_queries_sent));
  js.Set("reportsReceived", static_cast<double>(link.counters.reports_received));
  js.Set("queriesReceived", static_cast<double>(link.counters.queries_received));
  Napi::Array groups = Napi::Array::New(env, link.groups.size());
  for (size_t i = 0; i < link.groups.size(); ++i) {
    groups.Set(static_cast<uint32_t>(i), to_js_group(env, link.groups[i], now_ns));
  }
  js.Set("groups", groups);
  return js;
}

}  // namespace

membership::QuerierOptions to_querier_options(const Napi::Value& js) {
  if (!js.IsObject()) refuse_value(ErrorCode::invalid_option, "querier", js.ToString().Utf8Value(), "an object");
  const Napi::Object object = js.As<Napi::Object>();
  membership::QuerierOptions options;
  const Napi::Value interfaces = object.Get("interfaces");
  if (!interfaces.IsArray()) {
    refuse_value(ErrorCode::invalid_option, "querierInterfaces", interfaces.ToString().Utf8Value(),
                 "an array of interface names");
  }
  const Napi::Array names = interfaces.As<Napi::Array>();
  for (uint32_t i = 0; i < names.Length(); ++i) {
    const Napi::Value name = names.Get(i);
    if (!name.IsString()) {
      refuse_value(ErrorCode::invalid_option, "querierInterfaces[" + std::to_string(i) + "]",
                   name.ToString().Utf8Value(), "an interface name");
    }
    options.interfaces.push_back(name.As<Napi::String>().Utf8Value());
  }
  const Napi::Value interval = object.Get("intervalS");
  if (!interval.IsUndefined()) {
    const double value = interval.IsNumber() ? interval.As<Napi::Number>().DoubleValue() : -1;
    if (!interval.IsNumber() || value != static_cast<double>(static_cast<int64_t>(value))) {
      refuse_value(ErrorCode::invalid_option, "querierIntervalS", interval.ToString().Utf8Value(),
                   contract::querier::interval_s.rule);
    }
    options.interval_s = static_cast<int64_t>(value);
  }
  return options;
}

Napi::Object to_js_querier_snapshot(Napi::Env env, const membership::QuerierSnapshot& snapshot) {
  Napi::Object js = Napi::Object::New(env);
  js.Set("active", snapshot.active);
  const membership::Timers& timers = snapshot.timers;
  Napi::Object js_timers = Napi::Object::New(env);
  js_timers.Set("queryIntervalMs", ms(timers.query_interval_ns));
  js_timers.Set("queryResponseIntervalMs", ms(timers.query_response_interval_ns));
  js_timers.Set("robustness", static_cast<double>(timers.robustness));
  js_timers.Set("groupMembershipIntervalMs", ms(timers.group_membership_interval_ns()));
  js_timers.Set("otherQuerierPresentIntervalMs", ms(timers.other_querier_present_interval_ns()));
  js_timers.Set("lastMemberQueryTimeMs", ms(timers.last_member_query_time_ns()));
  js.Set("timers", js_timers);
  Napi::Array interfaces = Napi::Array::New(env, snapshot.interfaces.size());
  for (size_t i = 0; i < snapshot.interfaces.size(); ++i) {
    interfaces.Set(static_cast<uint32_t>(i), to_js_interface(env, snapshot.interfaces[i], snapshot.now_ns));
  }
  js.Set("interfaces", interfaces);
  return js;
}

}  // namespace mcr::binding
