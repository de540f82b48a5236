// The public directory and joining (API.md, Release 2: "Public directory and
// joining"): two routes without a token, GET /v1/directory and POST
// /v1/join-requests, and the coordinators' routes that list and answer the
// requests. Nothing the public routes answer says anything about members.
#include <boost/beast/http/verb.hpp>

#include "crypto/random.h"
#include "domain/form_checks.h"
#include "projections/join_requests.h"
#include "server/api.h"
#include "server/command_route.h"
#include "server/http/problem.h"
#include "server/param_reader.h"

namespace ikv::server {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

using Planned = std::variant<CommandPlan, Response>;

const StringRules kName{.min_len = 1, .max_len = 200};
const StringRules kId{.min_len = 1, .max_len = 64};

// "ip" of "ip:port" ("[v6]:port" keeps its brackets): requests are counted per address.
std::string address_of(const std::string& remote) {
  const auto colon = remote.rfind(':');
  return colon == std::string::npos ? remote : remote.substr(0, colon);
}

json::object directory(const projections::RegistryView& v, const domain::Date& today) {
  json::array items;
  for (const auto& [id, n] : v.network_records()) {
    json::object item;
    item["id"] = id;
    item["name"] = json::object{{"fi", n.name.fi}, {"sv", n.name.sv}, {"en", n.name.en}};
    item["region"] = n.region;
    item["seat"] = n.seat;
    // The steward in effect today (a transfer may be recorded ahead of its date).
    const projections::StewardshipEntry* steward =
        n.stewardship.empty() ? nullptr : &n.stewardship.front();
    for (const auto& s : n.stewardship) {
      if (s.from <= today) steward = &s;
    }
    item["steward"] = steward != nullptr ? json::value(steward->steward) : json::value(nullptr);
    // The model keeps no shared mailbox of an organisation: the way in is the route.
    item["join"] = json::object{{"method", "POST"}, {"href", "/v1/join-requests"}, {"network", id}};
    items.push_back(std::move(item));
  }
  return json::object{{"items", std::move(items)}};
}

// The public request: validated as a member join is (every invalid field at
// once), counted per remote address, recorded in the network's stream.
void request_to_join(ApiContext& api, RequestContext& ctx, Respond respond) {
  const std::string address = address_of(ctx.remote);
  if (auto wait = api.join_limiter->acquire(address, WindowLimiter::Clock::now())) {
    return respond(problem_429(*wait));
  }
  JsonBody parsed = read_json_object(ctx.request);
  if (!parsed) return respond(std::move(parsed.problem));
  FieldReader r(*parsed.object);
  const std::string network = r.required_string("network", kId).value_or("");
  domain::RequestToJoin c;
  c.request_id = crypto::uuid_v4();
  c.personal.name = r.required_string("name", kName).value_or("");
  c.personal.email = r.required_string("email", {.min_len = 3, .max_len = 254}).value_or("");
  c.personal.phone = r.optional_string("phone", {.min_len = 1, .max_len = 40});
  c.organisation = r.required_string("organisation", kName).value_or("");
  c.sector = r.required_string("sector", kId).value_or("");
  c.title = r.optional_string("title", kName);
  c.message = r.optional_string("message", {.min_len = 0, .max_len = 2000});
  r.reject_unknown();
  c.now_us = eventstore::system_clock_us();
  const bool known = api.registry.read([&](const projections::RegistryView& v) {
    for (const auto& issue : domain::join_request_issues(c, v.taxonomy())) {
      const bool reported =
          std::any_of(r.errors().begin(), r.errors().end(),
                      [&](const FieldError& e) { return e.field == issue.field; });
      if (!reported) r.add_error(std::string_view(issue.field).substr(1), issue.message);
    }
    return v.find_network(network) != nullptr;
  });
  // An unknown network is a field of the form like any other (the directory
  // lists them all, so this tells nothing that is not public).
  if (!network.empty() && !known) r.add_error("network", "no network '" + network + "'");
  if (!r.ok()) return respond(problem_422(r.errors()));
  app::CommandMeta meta;
  meta.actor = "public";
  meta.request_id = ctx.request_id;
  const std::string id = c.request_id;
  api.registry.execute_network(network, std::move(c), std::move(meta),
                               [id, respond = std::move(respond)](app::CommandResult result) {
                                 if (const auto* f = std::get_if<app::CommandFailure>(&result)) {
                                   return respond(problem_for(*f));
                                 }
                                 // Only the request's own id: not the network's version or
                                 // position.
                                 Response res =
                                     json_response(http::status::accepted,
                                                   json::object{{"id", id}, {"status", "pending"}});
                                 respond(std::move(res));
                               });
}

// Which network a request belongs to, and whether this caller may answer it.
std::variant<std::string, Response> answerable(ApiContext& api, const app::Principal& who,
                                               const std::string& request_id) {
  auto network = api.registry.network_of_join_request(request_id);
  if (!network) return problem_404("no join request " + request_id);
  if (!who.may_command(*network)) {
    return problem_403("this token may not answer join requests of network '" + *network + "'");
  }
  return std::move(*network);
}

// Approve and decline: the same checks (the request exists, is the caller's
// to answer) and the same answer ({id, network}); `fill` reads the body's own
// fields into the command and may add to the answer.
template <typename Command, typename Fill>
RouteHandler answer_route(ApiContext& api, Fill fill) {
  return command_route(
      api, BodyMode::kOptional,
      [&api, fill](RequestContext& ctx, FieldReader& r, const app::Principal& who) -> Planned {
        std::string id(ctx.path_param("id"));
        auto network = answerable(api, who, id);
        if (auto* refused = std::get_if<Response>(&network)) return std::move(*refused);
        Command c;
        c.request_id = id;
        StoredAnswer a;
        a.body["id"] = id;
        a.body["network"] = std::get<std::string>(network);
        fill(r, c, a);
        r.reject_unknown();
        domain::NetworkCommand command = std::move(c);
        return CommandPlan{[&api, id, command](app::CommandMeta meta, app::CommandDone done) {
                             api.registry.close_join_request(id, command, std::move(meta),
                                                             std::move(done));
                           },
                           std::move(a)};
      });
}

}  // namespace

void add_join_routes(Router& router, ApiContext& api) {
  if (!api.join_limiter) {
    api.join_limiter =
        std::make_unique<WindowLimiter>(api.join_requests_per_hour, std::chrono::hours(1));
  }
  router.add(
      http::verb::get, "/v1/directory",
      [&api](RequestContext& ctx, Respond respond) {
        ParamReader q(ctx, {});
        if (!q.ok()) return respond(q.problem());
        respond(json_response(http::status::ok,
                              api.registry.read([](const projections::RegistryView& v) {
                                return directory(v, today_utc());
                              })));
      },
      "getDirectory");

  router.add(
      http::verb::post, "/v1/join-requests",
      [&api](RequestContext& ctx, Respond respond) {
        request_to_join(api, ctx, std::move(respond));
      },
      "requestToJoin");

  router.add(
      http::verb::get, "/v1/networks/{id}/join-requests",
      [&api](RequestContext& ctx, Respond respond) {
        ParamReader q(ctx, {"status", "limit", "cursor"});
        projections::JoinRequestQuery query;
        const auto status = q.text("status");
        query.page = q.page();
        if (!q.ok()) return respond(q.problem());
        if (status) {
          for (auto s :
               {domain::JoinRequestStatus::kPending, domain::JoinRequestStatus::kApproved,
                domain::JoinRequestStatus::kDeclined, domain::JoinRequestStatus::kExpired}) {
            if (domain::to_string(s) == *status) query.status = s;
          }
          if (!query.status) {
            return respond(
                problem_422({{"status", "must be one of pending, approved, declined, expired"}}));
          }
        }
        const std::string id(ctx.path_param("id"));
        const auto& who = principal_of(ctx);
        const bool exists = api.registry.read(
            [&](const projections::RegistryView& v) { return v.find_network(id) != nullptr; });
        if (!exists) return respond(problem_404("no network " + id));
        if (!who.may_command(id)) {
          return respond(
              problem_403("this token may not see join requests of network '" + id + "'"));
        }
        Disclosure& disclosure = disclosure_of(ctx);
        auto page = api.registry.read_models([&](const projections::ReadModels& m) {
          return disclosure.rows(id, [&](bool include_personal) {
            query.include_personal = include_personal;
            return m.get<projections::JoinRequests>().list(id, query);
          });
        });
        if (!page) return respond(read_problem(page.error()));
        std::optional<std::pair<std::string, std::string>> next;
        if (const auto* cursor = page->if_contains("next_cursor");
            cursor != nullptr && cursor->is_string()) {
          next.emplace("cursor", std::string(cursor->as_string()));
        }
        respond(page_response(ctx, *page, next, {"cursor"}));
      },
      "listJoinRequests");

  router.add(http::verb::post, "/v1/join-requests/{id}/approve",
             answer_route<domain::ApproveJoinRequest>(
                 api,
                 [](FieldReader& r, domain::ApproveJoinRequest& c, StoredAnswer& a) {
                   c.member_id = crypto::uuid_v4();
                   c.joined_on = optional_date(r, "joined_on").value_or(today_utc());
                   a.body["member_id"] = c.member_id;
                 }),
             "approveJoinRequest");

  router.add(http::verb::post, "/v1/join-requests/{id}/decline",
             answer_route<domain::DeclineJoinRequest>(
                 api,
                 [](FieldReader& r, domain::DeclineJoinRequest& c, StoredAnswer& /*a*/) {
                   c.reason = r.optional_string("reason", {.min_len = 1, .max_len = 1000});
                 }),
             "declineJoinRequest");
}

}  // namespace ikv::server
