#include "server/command_route.h"

#include <algorithm>
#include <chrono>
#include <limits>

#include <spdlog/spdlog.h>

#include "crypto/hash.h"
#include "domain/date.h"
#include "server/http/problem.h"

namespace ikv::server {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

// A version no stream reaches: what a weak If-Match tag stands for.
constexpr std::uint64_t kNeverMatches = std::numeric_limits<std::uint64_t>::max();

bool valid_idempotency_key(std::string_view k) {
  if (k.empty() || k.size() > 255) return false;
  return std::ranges::all_of(k, [](char c) { return c >= 0x21 && c <= 0x7e; });
}

}  // namespace

std::variant<std::monostate, std::uint64_t, Response> parse_if_match(const Request& req) {
  auto it = req.find(http::field::if_match);
  if (it == req.end()) return std::monostate{};
  std::string_view v = it->value();
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  if (v == "*") return std::monostate{};
  const bool weak = v.starts_with("W/");
  if (weak) v.remove_prefix(2);
  const auto malformed = [] { return problem_400("If-Match must be an ETag such as \"3\""); };
  if (v.size() < 2 || v.front() != '"' || v.back() != '"') return malformed();
  v = v.substr(1, v.size() - 2);
  std::uint64_t n = 0;
  if (v.empty() || v.size() > 19) return malformed();
  for (char c : v) {
    if (c < '0' || c > '9') return malformed();
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return weak ? kNeverMatches : n;
}

std::optional<Response> begin_idempotent(ApiContext& api, RequestContext& ctx,
                                         const app::Principal& principal, std::string& key,
                                         std::string& request_hash) {
  auto it = ctx.request.find("Idempotency-Key");
  if (it == ctx.request.end()) return std::nullopt;
  key = std::string(it->value());
  if (!valid_idempotency_key(key)) {
    key.clear();
    return problem_400("Idempotency-Key must be 1 to 255 visible ASCII characters");
  }
  request_hash = crypto::sha256_hex(std::string(ctx.request.method_string()) + ' ' +
                                    std::string(ctx.request.target()) + '\n' + ctx.request.body());
  auto begin = api.ledger.begin(principal.token_id, key, request_hash);
  switch (begin.kind) {
    case IdempotencyLedger::Kind::kNew:
      return std::nullopt;
    case IdempotencyLedger::Kind::kReplay:
      key.clear();
      return std::move(begin.replay);
    case IdempotencyLedger::Kind::kMismatch: {
      key.clear();
      Problem p;
      p.status = http::status::unprocessable_entity;
      p.detail = "this Idempotency-Key was used with a different request";
      p.errors.push_back({"Idempotency-Key", "was used with a different request"});
      return problem_response(p);
    }
    case IdempotencyLedger::Kind::kInFlight:
      key.clear();
      return problem_409("a request with this Idempotency-Key is still running");
    case IdempotencyLedger::Kind::kError:
      key.clear();
      return problem_503("the idempotency record cannot be read");
  }
  return std::nullopt;
}

Response problem_for(const app::CommandFailure& f) {
  using Kind = app::CommandFailure::Kind;
  switch (f.kind) {
    case Kind::kRejected: {
      Problem p;
      p.type = "urn:ikv:problem:" + f.rejection.code;
      p.detail = f.rejection.message;
      switch (f.rejection.kind) {
        case domain::RejectionKind::kValidation:
          p.status = http::status::unprocessable_entity;
          p.errors.push_back({f.rejection.field, f.rejection.message});
          break;
        case domain::RejectionKind::kConflict:
          p.status = http::status::conflict;
          break;
        case domain::RejectionKind::kNotFound:
          p.status = http::status::not_found;
          break;
      }
      return problem_response(p);
    }
    case Kind::kPreconditionFailed: {
      Response r = problem_412(f.message);
      r.set(http::field::etag, "\"" + std::to_string(f.actual_version) + "\"");
      return r;
    }
    case Kind::kUnavailable:
      // The store's own words name files of the server: they go to the log only.
      spdlog::warn("command refused, the store is unavailable: {}", f.message);
      return problem_503("the registry cannot record changes right now; try again later");
    case Kind::kInternal:
      return problem_500("the command could not be completed");
  }
  return problem_500();
}

std::optional<domain::Date> optional_date(FieldReader& r, std::string_view key) {
  auto text = r.optional_string(key, {.min_len = 1, .max_len = 10});
  if (!text) return std::nullopt;
  auto d = domain::parse_effective_date(*text);
  if (!d) r.add_error(key, "must be a real date written YYYY-MM-DD or YYYY-MM");
  return d;
}

std::optional<domain::Date> required_date(FieldReader& r, std::string_view key) {
  auto text = r.required_string(key, {.min_len = 1, .max_len = 10});
  if (!text) return std::nullopt;
  auto d = domain::parse_effective_date(*text);
  if (!d) r.add_error(key, "must be a real date written YYYY-MM-DD or YYYY-MM");
  return d;
}

domain::Date today_utc() {
  const auto now = std::chrono::system_clock::now();
  const auto days = std::chrono::duration_cast<std::chrono::days>(now.time_since_epoch()).count();
  return domain::civil_from_days(days);
}

RouteHandler command_route(ApiContext& api, BodyMode mode, CommandPlanner planner) {
  return [&api, mode, planner = std::move(planner)](RequestContext& ctx, Respond respond) {
    json::object empty;
    JsonBody parsed;
    const json::object* body = &empty;
    const bool has_body = !ctx.request.body().empty();
    if (has_body || mode != BodyMode::kOptional) {
      parsed = read_json_object(ctx.request, mode == BodyMode::kMergePatch);
      if (!parsed) return respond(std::move(parsed.problem));
      body = &*parsed.object;
    }
    const auto& principal = principal_of(ctx);

    std::string key;
    std::string request_hash;
    if (auto refused = begin_idempotent(api, ctx, principal, key, request_hash)) {
      return respond(std::move(*refused));
    }
    // From here on, every answer must release the key.
    auto finish = [&api, token = principal.token_id, key](Respond& r, Response res) {
      if (!key.empty()) api.ledger.finish(token, key);
      r(std::move(res));
    };

    FieldReader fields(*body);
    auto planned = planner(ctx, fields, principal);
    if (auto* refused = std::get_if<Response>(&planned))
      return finish(respond, std::move(*refused));
    auto plan = std::get<CommandPlan>(std::move(planned));
    if (!fields.ok()) return finish(respond, problem_422(fields.errors()));
    auto if_match = parse_if_match(ctx.request);
    if (auto* bad = std::get_if<Response>(&if_match)) return finish(respond, std::move(*bad));

    app::CommandMeta meta;
    meta.actor = principal.name;
    meta.request_id = ctx.request_id;
    meta.idempotency_key = key;
    meta.token_id = principal.token_id;
    if (auto* v = std::get_if<std::uint64_t>(&if_match)) meta.if_match = *v;
    if (!key.empty()) {
      meta.side_puts = [&api, token = principal.token_id, key, request_hash,
                        answer = plan.answer](const std::vector<eventstore::EventData>& events) {
        return std::vector<eventstore::SidePut>{
            api.ledger.record_put(token, key, request_hash, answer, events.back().event_id)};
      };
    }
    plan.run(std::move(meta),
             [&api, token = principal.token_id, key, request_hash, answer = std::move(plan.answer),
              finish, respond = std::move(respond)](app::CommandResult r) mutable {
               if (auto* f = std::get_if<app::CommandFailure>(&r))
                 return finish(respond, problem_for(*f));
               const auto& ok = std::get<app::CommandOk>(r);
               if (!ok.changed && !key.empty()) {
                 api.ledger.record_now(token, key, request_hash, answer, ok.version, ok.position);
               }
               finish(respond, command_answer(answer, ok.version, ok.position));
             });
  };
}

}  // namespace ikv::server
