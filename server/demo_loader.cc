#include "server/demo_loader.h"

#include <future>
#include <map>
#include <vector>

#include <boost/json.hpp>

#include "crypto/random.h"
#include "domain/token.h"

namespace ikv::server {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

constexpr std::string_view kRef = "$ref:";

Error bad(std::string message) { return {ErrorCode::kInvalidArgument, std::move(message), {}}; }

// Replaces "$ref:<name>" strings inside `v` with saved ids.
Status resolve(json::value& v, const std::map<std::string, std::string>& saved) {
  if (v.is_string()) {
    std::string_view s = v.as_string();
    if (s.starts_with(kRef)) {
      auto it = saved.find(std::string(s.substr(kRef.size())));
      if (it == saved.end()) return bad("unknown reference " + std::string(s));
      v = it->second;
    }
  } else if (v.is_array()) {
    for (auto& e : v.as_array()) {
      if (auto s = resolve(e, saved); !s) return s;
    }
  } else if (v.is_object()) {
    for (auto& kv : v.as_object()) {
      if (auto s = resolve(kv.value(), saved); !s) return s;
    }
  }
  return ok_status();
}

Result<std::string> resolve_path(std::string_view path,
                                 const std::map<std::string, std::string>& saved) {
  std::string out;
  std::size_t i = 0;
  while (i <= path.size()) {
    const auto slash = path.find('/', i);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    std::string_view seg = path.substr(i, end - i);
    if (seg.starts_with(kRef)) {
      auto it = saved.find(std::string(seg.substr(kRef.size())));
      if (it == saved.end()) return bad("unknown reference " + std::string(seg));
      out += it->second;
    } else {
      out += seg;
    }
    if (slash == std::string_view::npos) break;
    out += '/';
    i = slash + 1;
  }
  return out;
}

Result<app::CommandResult> run_sync(const std::function<void(app::CommandDone)>& f) {
  std::promise<app::CommandResult> p;
  auto fut = p.get_future();
  f([&p](app::CommandResult r) { p.set_value(std::move(r)); });
  return fut.get();
}

}  // namespace

Result<std::size_t> load_demo_data(app::Registry& registry, const Router& router,
                                   std::span<const DemoPart> parts) {
  boost::system::error_code ec;
  std::vector<json::value> docs;
  for (const auto& part : parts) {
    docs.push_back(json::parse(part.json, ec));
    if (ec || !docs.back().is_array()) {
      return bad("the demo data " + std::string(part.name) + " is not a JSON array");
    }
  }

  // Named members, not a structured binding: the lambda below captures them.
  const auto token = app::Registry::new_token_secret();
  const std::string& secret = token.first;
  const std::string& hash = token.second;
  const std::string token_id = crypto::uuid_v4();
  app::CommandMeta meta;
  meta.actor = "demo-loader";
  meta.request_id = "demo-data";
  auto issued = run_sync([&](app::CommandDone done) {
    registry.execute_token(token_id, domain::IssueToken{token_id, "demo-loader", "admin", {}, hash},
                           meta, std::move(done));
  });
  if (const auto* f = std::get_if<app::CommandFailure>(&*issued)) {
    return bad("cannot issue the demo-loader token: " + f->message);
  }

  std::map<std::string, std::string> saved;
  std::size_t sent = 0;
  for (std::size_t p = 0; p < docs.size(); ++p) {
    const std::string part(parts[p].name);
    std::size_t index = 0;
    for (auto& item : docs[p].as_array()) {
      const std::string where = "demo request " + std::to_string(index) + " of " + part;
      if (!item.is_object()) return bad(where + " is not an object");
      auto& o = item.as_object();
      const auto* method = o.if_contains("method");
      const auto* path = o.if_contains("path");
      if (method == nullptr || !method->is_string() || path == nullptr || !path->is_string()) {
        return bad(where + " needs method and path");
      }
      auto target = resolve_path(path->as_string(), saved);
      if (!target) return target.error();
      Request req;
      req.method(http::string_to_verb(method->as_string()));
      req.target(*target);
      req.version(11);
      req.set(http::field::authorization, "Bearer " + secret);
      req.set("X-Request-Id", "demo-" + std::to_string(sent));
      if (auto* body = o.if_contains("body")) {
        if (auto s = resolve(*body, saved); !s) return s.error();
        req.set(http::field::content_type, "application/json");
        req.body() = json::serialize(*body);
      }
      req.prepare_payload();

      std::promise<Response> promise;
      auto fut = promise.get_future();
      router.dispatch(std::move(req), [&promise](Response r) { promise.set_value(std::move(r)); });
      Response res = fut.get();
      const unsigned status = res.result_int();
      if (status < 200 || status >= 300) {
        return bad(where + " (" + std::string(path->as_string()) + ") answered " +
                   std::to_string(status) + ": " + res.body());
      }
      if (auto* name = o.if_contains("save_as"); name != nullptr && name->is_string()) {
        json::value answer = json::parse(res.body(), ec);
        if (ec || !answer.is_object()) return bad(where + ": the answer is not JSON");
        for (const char* key :
             {"member_id", "meeting_id", "request_id", "observation_id", "wish_id", "id"}) {
          if (auto* id = answer.as_object().if_contains(key); id != nullptr && id->is_string()) {
            saved[std::string(name->as_string())] = std::string(id->as_string());
            break;
          }
        }
      }
      ++sent;
      ++index;
    }
  }

  auto revoked = run_sync([&](app::CommandDone done) {
    registry.execute_token(token_id, domain::RevokeToken{token_id}, meta, std::move(done));
  });
  if (const auto* f = std::get_if<app::CommandFailure>(&*revoked)) {
    return bad("cannot revoke the demo-loader token: " + f->message);
  }
  return sent;
}

}  // namespace ikv::server
