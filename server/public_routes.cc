// The public endpoints: liveness, readiness, metrics and the contract itself.
#include <boost/beast/http/verb.hpp>

#include "server/access_policy.h"
#include "server/api.h"
#include "server/http/problem.h"

namespace ikv::server {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

Response text_response(std::string body, std::string_view content_type) {
  Response res{http::status::ok, 11};
  res.set(http::field::content_type, content_type);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

}  // namespace

void add_public_routes(Router& router, ApiContext& api) {
  const auto live = [](RequestContext&, Respond respond) {
    respond(json_response(http::status::ok, json::object{{"status", "ok"}}));
  };
  router.add(http::verb::get, "/livez", live, "livez");
  router.add(http::verb::get, "/healthz", live, "healthz");

  router.add(http::verb::get, "/readyz",
             [&api](RequestContext&, Respond respond) {
               const std::uint64_t log = api.registry.store().head_position();
               const std::uint64_t applied = api.registry.applied_position();
               const bool ready = api.ready != nullptr && api.ready->load() && applied >= log;
               if (!ready) {
                 return respond(problem_503("the registry is catching up with its log",
                                            std::chrono::seconds(1)));
               }
               respond(json_response(http::status::ok,
                                     json::object{{"status", "ready"},
                                                  {"log_position", log},
                                                  {"projections_position", applied}}));
             },
             "readyz");

  router.add(http::verb::get, "/metrics",
             [&api](RequestContext&, Respond respond) {
               const auto s = api.registry.store().stats();
               std::string m;
               const auto metric = [&m](std::string_view name, std::string_view help,
                                        std::string_view type, std::uint64_t value) {
                 m += "# HELP " + std::string(name) + " " + std::string(help) + "\n";
                 m += "# TYPE " + std::string(name) + " " + std::string(type) + "\n";
                 m += std::string(name) + " " + std::to_string(value) + "\n";
               };
               metric("ikv_events_stored", "Position of the last event in the log.", "gauge",
                      api.registry.store().head_position());
               metric("ikv_projection_position", "Position the read models have applied.",
                      "gauge", api.registry.applied_position());
               metric("ikv_append_groups_total", "Commit groups written (one sync each).",
                      "counter", s.groups);
               metric("ikv_appends_total", "Append requests completed in commit groups.",
                      "counter", s.appends);
               metric("ikv_append_events_total", "Events written.", "counter", s.events);
               metric("ikv_append_write_microseconds_total",
                      "Time spent writing and syncing commit groups.", "counter", s.write_us);
               respond(text_response(std::move(m), "text/plain; version=0.0.4"));
             },
             "metrics");

  router.add(http::verb::get, "/openapi.yaml",
             [&api](RequestContext&, Respond respond) {
               respond(text_response(api.openapi_yaml, "application/yaml"));
             },
             "getOpenApi");
}

void register_routes(Router& router, ApiContext& api) {
  api.limiter = std::make_unique<RateLimiter>(api.rate_limit);
  router.set_guard(make_access_guard(api.registry, *api.limiter));
  add_public_routes(router, api);
  add_command_routes(router, api);
  add_query_routes(router, api);
  add_feed_routes(router, api);
  add_report_routes(router, api);
}

}  // namespace ikv::server
