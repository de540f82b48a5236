// Router: the route table of the HTTP API, readable in one place.
//
//   Router router;
//   router.add(http::verb::post, "/v1/networks/{id}/members", join_network, "joinNetwork");
//   router.add(http::verb::get, "/v1/networks/{id}", get_network, "getNetwork");
//   router.set_guard(authenticate);          // fills ctx.principal or answers 401/403
//   HttpServer server(options, router.handler());
//
// Matching: a template is a '/'-separated list of literal segments and
// `{name}` segments (which match any non-empty segment); a path's segments
// are percent-decoded before they are compared or captured (so "%2F" stays
// inside one segment). When several
// templates match, the most specific wins (a literal beats `{name}` at the
// first segment where they differ). No template: 404. A template without the
// method: 405 with `Allow`. HEAD is served by the GET handler (the server
// sends no body). The query is parsed into decoded key/value pairs in order,
// repeated keys kept, '+' read as a space.
//
// Every answer that passes through the router gets `X-Request-Id` (the
// client's when sane, else a random one), `X-Content-Type-Options: nosniff`,
// `Cache-Control: no-store` under /v1 (unless the handler set one), and
// `Content-Security-Policy: default-src 'none'` on JSON; and one access-log
// line with the route template, never the raw path. The same record goes to
// the request observer, if any (metrics), and the request itself to the answer
// hook, if any, on the answering thread.
//
// Thread-safety: configure (add, set_guard, set_access_logger, set_observer,
// set_caller_label, set_answer_hook) before serving; dispatch() is then safe from any number
// of threads.
#pragma once

#include <any>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/beast/http/verb.hpp>

#include "server/http/access_log.h"
#include "server/http/http_types.h"

namespace spdlog {
class logger;
}

namespace ikv::server {

struct QueryParam {
  std::string key;
  std::string value;
  bool has_value = false;  // false for "?flag", true for "?flag=" and "?flag=x"
};

// Everything a route handler knows about its request. Valid until the
// handler's Respond is called.
struct RequestContext {
  Request request;
  std::string request_id;
  std::string route;         // the matched template, e.g. "/v1/networks/{id}"
  std::string operation_id;  // the route's operation id
  std::vector<std::pair<std::string, std::string>> path_params;  // decoded, in order
  std::vector<QueryParam> query;                                 // decoded, in order
  std::string remote;  // the client's address, "ip:port" ("" when unknown)
  // The authenticated caller, set by the guard (the router never reads it).
  std::any principal;
  // Answers with a stream instead of a Response; empty when the transport
  // cannot stream (handler tests without sockets). Usable while the
  // handler's Respond is alive (keep it until the stream is opened).
  RespondStream respond_stream;

  // The captured value of `{name}`; empty when the template has no such name.
  std::string_view path_param(std::string_view name) const;
  // The first value of `key`, if present.
  std::optional<std::string_view> query_value(std::string_view key) const;
  // Every value of `key`, in order.
  std::vector<std::string_view> query_values(std::string_view key) const;
};

// REQUIRES: does not block; calls `respond` exactly once, now or later.
using RouteHandler = std::function<void(RequestContext&, Respond)>;

// Runs after matching and before the handler. A returned Response is sent
// instead of calling the handler (e.g. 401, 403, 429).
using Guard = std::function<std::optional<Response>(RequestContext&)>;

// Sees every answered request (the access-log record); must be cheap.
using RequestObserver = std::function<void(const AccessRecord&)>;

// Sees every answered request with its context and status, on the answering
// thread, before the answer is handed to the connection; must be cheap.
using AnswerHook = std::function<void(const RequestContext&, unsigned status)>;

// Names the caller of a request for the access log (a token id, never a
// secret); "" for anonymous. Runs after the guard.
using CallerLabel = std::function<std::string(const RequestContext&)>;

struct RouteInfo {
  boost::beast::http::verb method;
  std::string path_template;
  std::string operation_id;
  bool operator==(const RouteInfo&) const = default;
};

class Router {
 public:
  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Adds a route. Throws std::invalid_argument for a malformed template or a
  // method and template already added (a programming error).
  void add(boost::beast::http::verb method, std::string_view path_template, RouteHandler handler,
           std::string operation_id);

  void set_guard(Guard guard);
  // The access log's logger; by default the "access" logger or spdlog's default.
  void set_access_logger(std::shared_ptr<spdlog::logger> logger);
  void set_observer(RequestObserver observer);
  void set_caller_label(CallerLabel label);
  void set_answer_hook(AnswerHook hook);

  // Every route in the order added.
  std::vector<RouteInfo> routes() const;

  // Routes `req` and completes it through `respond`.
  void dispatch(Request&& req, Respond respond) const;

  // dispatch() as a server Handler. REQUIRES: the router outlives the server.
  Handler handler() const;

  // What a request's completion uses to log it; shared with every request in
  // flight, so that an answer given after the router is gone (a handler that
  // completes late during shutdown) is still logged safely.
  struct CompletionHooks {
    std::shared_ptr<spdlog::logger> logger;
    RequestObserver observer;
    CallerLabel caller_label;
    AnswerHook answer_hook;
  };

 private:
  struct Template;
  struct Match;
  Match best_match(const std::vector<std::string>& segments) const;

  std::vector<std::unique_ptr<Template>> templates_;
  std::vector<RouteInfo> order_;
  Guard guard_;
  std::shared_ptr<CompletionHooks> hooks_ = std::make_shared<CompletionHooks>();
};

}  // namespace ikv::server
