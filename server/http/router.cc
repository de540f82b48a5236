#include "server/http/router.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <stdexcept>

#include <spdlog/logger.h>
#include <boost/url/parse.hpp>

#include "server/http/access_log.h"
#include "server/http/language.h"
#include "server/http/problem.h"
#include "server/http/request_id.h"

namespace ikv::server {
namespace http = boost::beast::http;

struct Router::Template {
  struct Segment {
    std::string text;  // literal text, or the parameter name
    bool is_param = false;
  };
  std::string text;
  std::vector<Segment> segments;
  std::map<http::verb, RouteHandler> handlers;
};

struct Router::Match {
  const Template* tmpl = nullptr;
  std::vector<std::pair<std::string, std::string>> params;
};

namespace {

using Clock = std::chrono::steady_clock;

bool valid_param_name(std::string_view name) {
  if (name.empty()) return false;
  return std::ranges::all_of(name, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool is_json(const Response& res) {
  const auto ct = res.find(http::field::content_type);
  if (ct == res.end()) return false;
  const std::string_view v = ct->value();
  return v.substr(0, kJson.size()) == kJson || v.substr(0, kProblemJson.size()) == kProblemJson;
}

std::string allow_header(const std::map<http::verb, RouteHandler>& handlers) {
  std::vector<http::verb> verbs;
  verbs.reserve(handlers.size() + 1);
  for (const auto& [verb, _] : handlers) verbs.push_back(verb);
  if (handlers.contains(http::verb::get) && !handlers.contains(http::verb::head)) {
    verbs.push_back(http::verb::head);
  }
  std::sort(verbs.begin(), verbs.end(),
            [](http::verb a, http::verb b) { return http::to_string(a) < http::to_string(b); });
  std::string out;
  for (http::verb v : verbs) {
    if (!out.empty()) out += ", ";
    out += std::string(http::to_string(v));
  }
  return out;
}

// Completes one request: decorates the answer, logs it, forwards it once.
struct Completion {
  std::shared_ptr<RequestContext> ctx;
  Respond downstream;
  Clock::time_point started;
  bool under_v1 = false;
  std::shared_ptr<const Router::CompletionHooks> hooks;
  std::string remote;
  std::atomic<bool> done{false};

  Completion() = default;
  Completion(const Completion&) = delete;
  Completion& operator=(const Completion&) = delete;
  // A handler that dropped its Respond: the server answers 500.
  ~Completion() {
    if (!done.load() && ctx) log(500, 0);
  }

  bool claim() { return !done.exchange(true); }

  void decorate(Response& res) const {
    res.set("X-Request-Id", ctx->request_id);
    res.set("X-Content-Type-Options", "nosniff");
    if (under_v1 && res.find(http::field::cache_control) == res.end()) {
      res.set(http::field::cache_control, "no-store");
    }
    if (is_json(res)) res.set("Content-Security-Policy", "default-src 'none'");
    localize_problem(res, answer_language(ctx->request[http::field::accept_language]));
  }

  void log(unsigned status, std::uint64_t bytes) const {
    const auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count();
    const std::string_view route = ctx->route.empty() ? kNoRoute : std::string_view(ctx->route);
    std::string caller;
    if (hooks->caller_label && ctx->principal.has_value()) {
      try {
        caller = hooks->caller_label(*ctx);
      } catch (const std::exception&) {
        caller.clear();
      }
    }
    const AccessRecord record{.request_id = ctx->request_id,
                              .method = ctx->request.method_string(),
                              .route = route,
                              .status = status,
                              .duration_us = us,
                              .bytes = bytes,
                              .caller = caller,
                              .remote = remote};
    log_access(record, hooks->logger.get());
    if (hooks->observer) hooks->observer(record);
    if (hooks->answer_hook) {
      try {
        hooks->answer_hook(*ctx, status);
      } catch (const std::exception&) {
        // A hook's failure never changes the answer.
      }
    }
  }

  void finish(Response res) {
    if (!claim()) return;
    decorate(res);
    log(res.result_int(), res.body().size());
    downstream(std::move(res));
  }
};

}  // namespace

std::string_view RequestContext::path_param(std::string_view name) const {
  for (const auto& [k, v] : path_params) {
    if (k == name) return v;
  }
  return {};
}

std::optional<std::string_view> RequestContext::query_value(std::string_view key) const {
  for (const auto& p : query) {
    if (p.key == key) return std::string_view(p.value);
  }
  return std::nullopt;
}

std::vector<std::string_view> RequestContext::query_values(std::string_view key) const {
  std::vector<std::string_view> out;
  for (const auto& p : query) {
    if (p.key == key) out.emplace_back(p.value);
  }
  return out;
}

Router::Router() = default;
Router::~Router() = default;

void Router::add(http::verb method, std::string_view path_template, RouteHandler handler,
                 std::string operation_id) {
  if (path_template.empty() || path_template.front() != '/') {
    throw std::invalid_argument("route template must start with '/': " +
                                std::string(path_template));
  }
  std::vector<Template::Segment> segments;
  std::string_view rest = path_template.substr(1);
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    const std::string_view seg = rest.substr(0, slash);
    if (seg.empty()) {
      throw std::invalid_argument("empty segment in route template: " + std::string(path_template));
    }
    if (seg.front() == '{') {
      const std::string_view name = seg.substr(1, seg.size() - 1 - (seg.back() == '}' ? 1 : 0));
      if (seg.back() != '}' || !valid_param_name(name)) {
        throw std::invalid_argument("bad parameter in route template: " +
                                    std::string(path_template));
      }
      for (const auto& s : segments) {
        if (s.is_param && s.text == name) {
          throw std::invalid_argument("repeated parameter in route template: " +
                                      std::string(path_template));
        }
      }
      segments.push_back({std::string(name), true});
    } else if (seg.find_first_of("{}") != std::string_view::npos) {
      throw std::invalid_argument("bad segment in route template: " + std::string(path_template));
    } else {
      segments.push_back({std::string(seg), false});
    }
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
    if (rest.empty()) {
      throw std::invalid_argument("trailing '/' in route template: " + std::string(path_template));
    }
  }
  Template* tmpl = nullptr;
  for (auto& t : templates_) {
    if (t->text == path_template) tmpl = t.get();
  }
  if (tmpl == nullptr) {
    templates_.push_back(std::make_unique<Template>());
    tmpl = templates_.back().get();
    tmpl->text = std::string(path_template);
    tmpl->segments = std::move(segments);
  }
  if (!tmpl->handlers.emplace(method, std::move(handler)).second) {
    throw std::invalid_argument("route added twice: " + std::string(http::to_string(method)) + " " +
                                std::string(path_template));
  }
  order_.push_back({method, std::string(path_template), std::move(operation_id)});
}

void Router::set_guard(Guard guard) { guard_ = std::move(guard); }

void Router::set_access_logger(std::shared_ptr<spdlog::logger> logger) {
  hooks_->logger = std::move(logger);
}

void Router::set_observer(RequestObserver observer) { hooks_->observer = std::move(observer); }

void Router::set_caller_label(CallerLabel label) { hooks_->caller_label = std::move(label); }

void Router::set_answer_hook(AnswerHook hook) { hooks_->answer_hook = std::move(hook); }

std::vector<RouteInfo> Router::routes() const { return order_; }

Router::Match Router::best_match(const std::vector<std::string>& segments) const {
  Match best;
  for (const auto& t : templates_) {
    if (t->segments.size() != segments.size()) continue;
    bool matches = true;
    for (std::size_t i = 0; i < segments.size() && matches; ++i) {
      matches = t->segments[i].is_param ? !segments[i].empty() : t->segments[i].text == segments[i];
    }
    if (!matches) continue;
    bool better = best.tmpl == nullptr;
    for (std::size_t i = 0; i < segments.size() && !better && best.tmpl != nullptr; ++i) {
      const bool mine = !t->segments[i].is_param;
      const bool theirs = !best.tmpl->segments[i].is_param;
      if (mine != theirs) {
        better = mine;
        break;
      }
    }
    if (better) best.tmpl = t.get();
  }
  if (best.tmpl != nullptr) {
    for (std::size_t i = 0; i < segments.size(); ++i) {
      if (best.tmpl->segments[i].is_param) {
        best.params.emplace_back(best.tmpl->segments[i].text, segments[i]);
      }
    }
  }
  return best;
}

void Router::dispatch(Request&& req, Respond respond) const {
  auto done = std::make_shared<Completion>();
  done->started = Clock::now();
  done->downstream = std::move(respond);
  done->hooks = hooks_;
  done->remote = remote_address(done->downstream);
  done->ctx = std::make_shared<RequestContext>();
  RequestContext& ctx = *done->ctx;
  ctx.request_id = request_id_from(req["X-Request-Id"]);
  ctx.remote = done->remote;
  ctx.request = std::move(req);

  auto parsed = boost::urls::parse_origin_form(ctx.request.target());
  if (!parsed) return done->finish(problem_400("the request target is not a valid path"));
  std::vector<std::string> segments;
  for (auto seg : parsed->encoded_segments()) segments.push_back(seg.decode());
  done->under_v1 = !segments.empty() && segments.front() == "v1";
  for (auto p : parsed->params(boost::urls::encoding_opts(true, false, false))) {
    ctx.query.push_back({std::string(p.key), std::string(p.value), p.has_value});
  }

  Match match = best_match(segments);
  if (match.tmpl == nullptr) return done->finish(problem_404());
  ctx.route = match.tmpl->text;
  ctx.path_params = std::move(match.params);
  http::verb method = ctx.request.method();
  auto it = match.tmpl->handlers.find(method);
  if (it == match.tmpl->handlers.end() && method == http::verb::head) {
    it = match.tmpl->handlers.find(http::verb::get);
  }
  if (it == match.tmpl->handlers.end()) {
    return done->finish(problem_405(allow_header(match.tmpl->handlers)));
  }
  for (const auto& r : order_) {
    if (r.path_template == ctx.route && r.method == it->first) ctx.operation_id = r.operation_id;
  }

  if (RespondStream channel = stream_channel(done->downstream)) {
    // Weak: the context must not own its own completion (the Respond does).
    std::weak_ptr<Completion> weak = done;
    ctx.respond_stream = [weak, channel = std::move(channel)](StreamingResponse s) {
      auto done = weak.lock();
      if (!done || !done->claim()) return;
      done->decorate(s.head);
      done->log(s.head.result_int(), 0);
      channel(std::move(s));
    };
  }
  auto finish = [done](Response res) { done->finish(std::move(res)); };
  try {
    if (guard_) {
      if (std::optional<Response> refused = guard_(ctx)) return finish(std::move(*refused));
    }
    it->second(ctx, finish);
  } catch (const std::exception&) {
    finish(problem_500());
  }
}

Handler Router::handler() const {
  return [this](Request&& req, Respond respond) { dispatch(std::move(req), std::move(respond)); };
}

}  // namespace ikv::server
