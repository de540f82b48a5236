// The public endpoints: liveness, readiness, metrics and the contract itself;
// and the whole route table with its guard, access-log caller and metrics hooks.
#include <boost/beast/http/verb.hpp>

#include "server/access_policy.h"
#include "server/api.h"
#include "server/http/problem.h"
#include "server/metrics.h"

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

  router.add(
      http::verb::get, "/readyz",
      [&api](RequestContext&, Respond respond) {
        const std::uint64_t log = api.registry.store().head_position();
        const std::uint64_t applied = api.registry.applied_position();
        const bool ready = api.ready != nullptr && api.ready->load() && applied >= log;
        if (!api.registry.store().accepting_writes()) {
          return respond(
              problem_503("the event store refuses writes after a failed write; restart the server "
                          "once the cause (e.g. a full disk) is fixed"));
        }
        if (auto stopped = api.registry.apply_failure()) {
          return respond(
              problem_503("the registry stopped applying its log at position " +
                          std::to_string(stopped->position) + " (" + stopped->reason +
                          "); nothing after it is applied and no command is taken until the log or "
                          "the code that reads it is repaired and the server restarted"));
        }
        if (!ready) {
          return respond(
              problem_503("the registry is catching up with its log", std::chrono::seconds(1)));
        }
        respond(json_response(http::status::ok, json::object{{"status", "ready"},
                                                             {"log_position", log},
                                                             {"projections_position", applied}}));
      },
      "readyz");

  router.add(
      http::verb::get, "/openapi.yaml",
      [&api](RequestContext&, Respond respond) {
        respond(text_response(api.openapi_yaml, "application/yaml"));
      },
      "getOpenApi");
}

void add_metrics_route(Router& router, ApiContext& api, std::shared_ptr<Metrics> metrics) {
  router.add(
      http::verb::get, "/metrics",
      [&api, metrics = std::move(metrics)](RequestContext&, Respond respond) {
        respond(
            text_response(metrics->render(snapshot_of(api.registry)), "text/plain; version=0.0.4"));
      },
      "metrics");
}

void register_routes(Router& router, ApiContext& api) {
  register_routes(router, api, std::make_shared<Metrics>());
}

void register_routes(Router& router, ApiContext& api, std::shared_ptr<Metrics> metrics) {
  api.limiter = std::make_unique<RateLimiter>(api.rate_limit);
  if (api.access_log == nullptr) {
    api.owned_access_log = PersonalAccessLog::open({}).value();
    api.access_log = api.owned_access_log.get();
  }
  router.set_guard(make_access_guard(api.registry, *api.limiter, api.access_log));
  router.set_caller_label([](const RequestContext& ctx) { return principal_of(ctx).token_id; });
  router.set_answer_hook(finish_disclosure);
  router.set_observer([metrics](const AccessRecord& r) { metrics->observe_request(r); });
  api.registry.store().set_group_observer(
      [metrics](const eventstore::CommitGroupStats& g) { metrics->observe_group(g); });
  add_public_routes(router, api);
  add_metrics_route(router, api, std::move(metrics));
  add_command_routes(router, api);
  add_query_routes(router, api);
  add_feed_routes(router, api);
  add_report_routes(router, api);
  add_access_log_routes(router, api);
  add_audit_routes(router, api);
  add_people_routes(router, api);
  add_join_routes(router, api);
  add_dashboard_routes(router, api);
}

}  // namespace ikv::server
