// Problem details (RFC 9457) and JSON responses: the only way handlers build
// error answers, so every error has the same shape:
//
//   {"type": "about:blank", "title": "Unprocessable Content", "status": 422,
//    "detail": "...", "errors": [{"field": "/name/fi", "message": "is required"}]}
//
// with `Content-Type: application/problem+json`. Also reads a JSON request
// body (415 unless application/json, 400 for bad JSON or bad UTF-8, 422 when
// the top level is not an object).
//
// Thread-safety: free functions on values; safe from any thread.
//
//   auto body = read_json_object(req);
//   if (!body) return respond(std::move(body.problem));
//   respond(json_response(http::status::created, {{"id", id}}));
#pragma once

#include <chrono>
#include <concepts>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "server/http/http_types.h"

namespace ikv::server {

inline constexpr std::string_view kProblemJson = "application/problem+json";
inline constexpr std::string_view kJson = "application/json";

// One validation error: `field` is a JSON pointer into the request body
// ("/name/fi", "/agenda/2"), or a query parameter name for query errors.
struct FieldError {
  std::string field;
  std::string message;
  bool operator==(const FieldError&) const = default;
};

struct Problem {
  boost::beast::http::status status = boost::beast::http::status::internal_server_error;
  std::string detail{};
  std::vector<FieldError> errors{};  // serialised only when non-empty
  std::string type = "about:blank";
  std::string title{};  // empty: the status' reason phrase
};

// The problem+json response for `p` (HTTP/1.1; the server adjusts version
// and keep-alive).
Response problem_response(const Problem& p);

Response problem_400(std::string_view detail);
// Adds `WWW-Authenticate: Bearer`.
Response problem_401(std::string_view detail);
Response problem_403(std::string_view detail);
Response problem_404(std::string_view detail = "no such resource");
// `allow`: the methods the resource supports, e.g. "GET, HEAD, POST".
Response problem_405(std::string_view allow);
Response problem_409(std::string_view detail);
Response problem_412(std::string_view detail);
Response problem_413(std::uint64_t limit_bytes);
Response problem_415(std::string_view detail = "the body must be application/json");
Response problem_422(std::vector<FieldError> errors,
                     std::string_view detail = "the request failed validation");
// Adds `Retry-After` in whole seconds (at least 1).
Response problem_429(std::chrono::seconds retry_after);
Response problem_500(std::string_view detail = "internal error");
// Adds `Retry-After` when given.
Response problem_503(std::string_view detail,
                     std::optional<std::chrono::seconds> retry_after = std::nullopt);

// A JSON response with `Content-Type: application/json`.
Response json_response(boost::beast::http::status status, const boost::json::value& body);
// The same for an object or an array, serialised as it is (through the
// overload above it would first be copied into a json::value). A template so
// that a braced list still goes to the overload above.
template <class Json>
requires std::same_as<Json, boost::json::object> || std::same_as<Json, boost::json::array> Response
json_response(boost::beast::http::status status, const Json& body);

// The result of reading a JSON object body: the object, or the problem to send.
// (Its implicit move assignment may throw as boost::json::object's does, when
// the two objects' memory resources differ.)
struct [[nodiscard]] JsonBody {  // NOLINT(bugprone-exception-escape)
  std::optional<boost::json::object> object;
  Response problem;  // meaningful only when !object
  explicit operator bool() const { return object.has_value(); }
};

// Checks `Content-Type: application/json` (an optional `charset=utf-8` is
// accepted; anything else is 415), parses the body strictly (syntax errors and
// invalid UTF-8 are 400) and requires an object at the top level (else 422).
// With `merge_patch`, `application/merge-patch+json` (RFC 7396) is accepted too.
JsonBody read_json_object(const Request& req, bool merge_patch = false);

// True for `application/json` (and, with `merge_patch`, for
// `application/merge-patch+json`), with optional parameters, any letter case;
// a `charset` other than utf-8 is refused.
bool is_json_content_type(std::string_view content_type, bool merge_patch = false);

}  // namespace ikv::server
