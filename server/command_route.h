// command_route: the one generic piece of code behind every command endpoint.
// It reads the JSON body (or none), applies Idempotency-Key and If-Match, asks
// the endpoint's planner for the command to run and the fixed part of its
// answer, runs it on the Registry and maps the outcome to HTTP (201/200 with
// {"id", "version", "position", ...}, or a problem).
//
// Thread-safety: the returned handler is safe from any thread.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <variant>

#include <boost/json.hpp>

#include "app/registry.h"
#include "server/api.h"
#include "server/http/field_reader.h"
#include "server/idempotency.h"

namespace ikv::server {

// What an endpoint wants run.
struct CommandPlan {
  // Runs the command on the registry.
  std::function<void(app::CommandMeta, app::CommandDone)> run;
  // The answer's status, Location and body fields besides version and position
  // (at least "id").
  StoredAnswer answer;
};

// Builds a plan from the request; answers a Response (a problem) to refuse.
// `body` is the request's JSON object ({} when the route takes no body and none
// was sent); `fields` reads it and collects 422 errors.
using CommandPlanner = std::function<std::variant<CommandPlan, Response>(
    RequestContext& ctx, FieldReader& fields, const app::Principal& principal)>;

enum class BodyMode {
  kRequired,    // a JSON object body is required
  kOptional,    // an empty body counts as {}
  kMergePatch,  // a JSON merge patch (RFC 7396): an object, application/merge-patch+json or JSON
};

RouteHandler command_route(ApiContext& api, BodyMode mode, CommandPlanner planner);

// The problem for a failed command.
Response problem_for(const app::CommandFailure& failure);

// Applies the request's Idempotency-Key (if any) for `principal`: a malformed
// key (400), a replay, a key used with another request (422), one still
// running (409) or an unreadable ledger (503) return the answer to send, with
// `key` left empty. Otherwise returns std::nullopt; `key` is then set when the
// request carries one, with `request_hash` the hash the ledger keeps, and the
// caller must record an answer and call ledger.finish(token, key).
std::optional<Response> begin_idempotent(ApiContext& api, RequestContext& ctx,
                                         const app::Principal& principal, std::string& key,
                                         std::string& request_hash);

// Parses If-Match: a strong entity tag "3" gives its version, "*" or no header
// gives std::monostate (no condition), a weak tag W/"3" a version no stream
// reaches (it never matches under If-Match's strong comparison, RFC 9110
// 13.1.1), and anything else the 400 to answer.
std::variant<std::monostate, std::uint64_t, Response> parse_if_match(const Request& req);

// Parses a "YYYY-MM-DD" or "YYYY-MM" field into a Date, recording a 422 error
// when it is missing (required) or not a real date.
std::optional<domain::Date> required_date(FieldReader& r, std::string_view key);
std::optional<domain::Date> optional_date(FieldReader& r, std::string_view key);

// Today's date (UTC) from the system clock.
domain::Date today_utc();

}  // namespace ikv::server
