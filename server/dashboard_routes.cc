// The dashboard's routes: its built files (web/embedded_web.h) and the
// session it asks about after sign-in.
//
//   GET /                 index.html, with a Content-Security-Policy that lets
//                         scripts, styles and requests come from this origin only
//   GET /accessibility    the same page (the app shows its accessibility
//                         statement there, readable without signing in)
//   GET /assets/{file}    a content-hashed script or style sheet, cached for a year
//   GET /v1/session       who the bearer token is: id, name, role, networks
#include <boost/beast/http/verb.hpp>
#include <boost/json.hpp>

#include "domain/values.h"
#include "server/api.h"
#include "server/http/problem.h"
#include "web/embedded_web.h"

namespace ikv::server {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

constexpr std::string_view kPageSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

std::optional<std::string_view> file_body(std::string_view path) {
  for (const auto& f : web::embedded_files()) {
    if (f.path == path) return f.body;
  }
  return std::nullopt;
}

std::string_view content_type_of(std::string_view name) {
  const auto dot = name.rfind('.');
  const std::string_view ext = dot == std::string_view::npos ? "" : name.substr(dot + 1);
  if (ext == "js") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "woff2") return "font/woff2";
  if (ext == "map") return "application/json";
  return "application/octet-stream";
}

Response file_response(std::string_view body, std::string_view content_type) {
  Response res{http::status::ok, 11};
  res.set(http::field::content_type, content_type);
  res.body() = std::string(body);
  res.prepare_payload();
  return res;
}

void serve_page(RequestContext&, Respond respond) {
  const auto page = file_body("index.html");
  if (!page) return respond(problem_404("the dashboard is not built into this server"));
  Response res = file_response(*page, "text/html; charset=utf-8");
  res.set("Content-Security-Policy", kPageSecurityPolicy);
  res.set(http::field::cache_control, "no-cache");
  res.set("Referrer-Policy", "no-referrer");
  res.set("X-Frame-Options", "DENY");
  respond(std::move(res));
}

}  // namespace

void add_dashboard_routes(Router& router, ApiContext&) {
  router.add(http::verb::get, "/", serve_page, "getDashboard");
  router.add(http::verb::get, "/accessibility", serve_page, "getAccessibilityStatement");
  router.add(
      http::verb::get, "/assets/{file}",
      [](RequestContext& ctx, Respond respond) {
        const std::string name(ctx.path_param("file"));
        const auto body =
            name.find('/') == std::string::npos ? file_body("assets/" + name) : std::nullopt;
        if (!body) return respond(problem_404("no such asset"));
        Response res = file_response(*body, content_type_of(name));
        res.set(http::field::cache_control, "public, max-age=31536000, immutable");
        respond(std::move(res));
      },
      "getDashboardAsset");
  router.add(
      http::verb::get, "/v1/session",
      [](RequestContext& ctx, Respond respond) {
        if (!ctx.query.empty()) {
          std::vector<FieldError> errors;
          for (const auto& q : ctx.query) errors.push_back({q.key, "unknown query parameter"});
          return respond(problem_422(std::move(errors)));
        }
        const app::Principal& who = principal_of(ctx);
        json::array networks;
        for (const auto& n : who.networks) networks.emplace_back(n);
        respond(json_response(http::status::ok, json::object{{"token_id", who.token_id},
                                                             {"name", who.name},
                                                             {"role", domain::to_string(who.role)},
                                                             {"networks", std::move(networks)}}));
      },
      "getSession");
}

}  // namespace ikv::server
