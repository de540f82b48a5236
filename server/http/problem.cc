#include "server/http/problem.h"

#include <algorithm>
#include <cctype>
#include <string>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "server/http/utf8.h"

namespace ikv::server {
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

std::string title_for(http::status status) {
  switch (status) {
    case http::status::payload_too_large:
      return "Content Too Large";
    case http::status::unprocessable_entity:
      return "Unprocessable Content";
    default:
      return std::string(http::obsolete_reason(status));
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

Response with_detail(http::status status, std::string_view detail) {
  return problem_response({.status = status, .detail = std::string(detail)});
}

}  // namespace

Response problem_response(const Problem& p) {
  json::object body;
  body["type"] = p.type;
  body["title"] = p.title.empty() ? title_for(p.status) : p.title;
  body["status"] = static_cast<unsigned>(p.status);
  // Details and field names may quote the client's bytes: keep the document valid.
  body["detail"] = scrub_utf8(p.detail);
  if (!p.errors.empty()) {
    json::array errors;
    errors.reserve(p.errors.size());
    for (const auto& e : p.errors) {
      errors.push_back(
          json::object{{"field", scrub_utf8(e.field)}, {"message", scrub_utf8(e.message)}});
    }
    body["errors"] = std::move(errors);
  }
  Response res{p.status, 11};
  res.set(http::field::content_type, kProblemJson);
  res.body() = json::serialize(body);
  res.prepare_payload();
  return res;
}

Response problem_400(std::string_view detail) {
  return with_detail(http::status::bad_request, detail);
}

Response problem_401(std::string_view detail) {
  Response res = with_detail(http::status::unauthorized, detail);
  res.set(http::field::www_authenticate, "Bearer");
  return res;
}

Response problem_403(std::string_view detail) {
  return with_detail(http::status::forbidden, detail);
}

Response problem_404(std::string_view detail) {
  return with_detail(http::status::not_found, detail);
}

Response problem_405(std::string_view allow) {
  Response res = with_detail(http::status::method_not_allowed,
                             "the method is not allowed; allowed: " + std::string(allow));
  res.set(http::field::allow, allow);
  return res;
}

Response problem_409(std::string_view detail) {
  return with_detail(http::status::conflict, detail);
}

Response problem_412(std::string_view detail) {
  return with_detail(http::status::precondition_failed, detail);
}

Response problem_413(std::uint64_t limit_bytes) {
  return with_detail(http::status::payload_too_large,
                     "the body is larger than " + std::to_string(limit_bytes) + " bytes");
}

Response problem_415(std::string_view detail) {
  return with_detail(http::status::unsupported_media_type, detail);
}

Response problem_422(std::vector<FieldError> errors, std::string_view detail) {
  return problem_response({.status = http::status::unprocessable_entity,
                           .detail = std::string(detail),
                           .errors = std::move(errors)});
}

Response problem_429(std::chrono::seconds retry_after) {
  Response res = with_detail(http::status::too_many_requests, "too many requests");
  res.set(http::field::retry_after, std::to_string(std::max<std::int64_t>(1, retry_after.count())));
  return res;
}

Response problem_500(std::string_view detail) {
  return with_detail(http::status::internal_server_error, detail);
}

Response problem_503(std::string_view detail, std::optional<std::chrono::seconds> retry_after) {
  Response res = with_detail(http::status::service_unavailable, detail);
  if (retry_after) {
    res.set(http::field::retry_after,
            std::to_string(std::max<std::int64_t>(1, retry_after->count())));
  }
  return res;
}

namespace {

template <class Json>
Response serialized(http::status status, const Json& body) {
  Response res{status, 11};
  res.set(http::field::content_type, kJson);
  res.body() = json::serialize(body);
  res.prepare_payload();
  return res;
}

}  // namespace

Response json_response(http::status status, const json::value& body) {
  return serialized(status, body);
}

template <class Json>
requires std::same_as<Json, json::object> || std::same_as<Json, json::array> Response
json_response(http::status status, const Json& body) {
  return serialized(status, body);
}

template Response json_response<json::object>(http::status, const json::object&);
template Response json_response<json::array>(http::status, const json::array&);

bool is_json_content_type(std::string_view content_type, bool merge_patch) {
  std::string_view rest = content_type;
  auto semi = rest.find(';');
  const std::string_view type = trim(rest.substr(0, semi));
  if (!iequals(type, kJson) && !(merge_patch && iequals(type, "application/merge-patch+json"))) {
    return false;
  }
  while (semi != std::string_view::npos) {
    rest = rest.substr(semi + 1);
    semi = rest.find(';');
    const std::string_view param = trim(rest.substr(0, semi));
    const auto eq = param.find('=');
    if (eq == std::string_view::npos || !iequals(trim(param.substr(0, eq)), "charset")) continue;
    std::string_view value = trim(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (!iequals(value, "utf-8")) return false;
  }
  return true;
}

JsonBody read_json_object(const Request& req, bool merge_patch) {
  JsonBody out;
  const auto ct = req.find(http::field::content_type);
  if (ct == req.end() || !is_json_content_type(ct->value(), merge_patch)) {
    out.problem = merge_patch ? problem_415(
                                    "the body must be application/merge-patch+json or "
                                    "application/json")
                              : problem_415();
    return out;
  }
  boost::system::error_code ec;
  json::value v = json::parse(req.body(), ec);
  if (ec) {
    out.problem = problem_400("the body is not valid JSON (UTF-8): " + ec.message());
    return out;
  }
  if (!v.is_object()) {
    out.problem = problem_422({{"", "the body must be a JSON object"}});
    return out;
  }
  out.object = std::move(v.as_object());
  return out;
}

}  // namespace ikv::server
