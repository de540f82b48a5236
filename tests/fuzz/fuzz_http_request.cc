// fuzz_http_request: the REST API from raw bytes to answers.
//
// The input is what a client writes on one keep-alive connection: up to
// kMaxRequests pipelined HTTP/1.1 requests. Each is read by a Beast request
// parser with the server's body and header limits (HttpOptions defaults) and
// dispatched through the real route table (register_routes) over a fresh
// in-memory registry, so authentication, routing, query and JSON body reading,
// command validation, Idempotency-Key and If-Match all run as in the server.
//
// The world of every input: an admin token, two networks ("oulu", "turku"),
// a member of oulu, a meeting of turku, an analyst, an auditor, a coordinator
// of oulu and a revoked token. The input names them with placeholders that are
// replaced in the request target, header values and body after parsing:
//
//   $ADMIN $ANALYST $AUDITOR $COORD $REVOKED   bearer secrets
//   $MEMBER $MEETING $TOKEN                    a member id, a meeting id and
//                                              the analyst's token id
//
// Checks on every answer (a failure aborts, which libFuzzer reports):
// the handler answers exactly once and without a 500; a JSON or problem+json
// body parses, a problem's "status" is the answer's status; every answer has
// X-Request-Id. After the input the store's hash chain still verifies.
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/registry.h"
#include "server/api.h"
#include "server/http/http_server.h"
#include "server/http/problem.h"
#include "server/idempotency.h"

namespace {

namespace http = boost::beast::http;
namespace json = boost::json;
using namespace ikv;

constexpr int kMaxRequests = 8;

[[noreturn]] void fail(const std::string& what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_http_request: %s\n%s\n", what.c_str(), detail.c_str());
  std::abort();
}

// A fresh registry with its route table and the seeded resources.
class World {
 public:
  World() {
    app::RegistryOptions options;
    options.durability = eventstore::Durability::kAsync;
    options.clock = [] { return std::int64_t{1'730'000'000'000'000}; };
    auto opened = app::Registry::open(std::move(options));
    if (!opened) fail("cannot open an in-memory registry", opened.error().message);
    registry_ = std::move(*opened);
    ledger_ =
        std::make_unique<server::IdempotencyLedger>(*registry_, [] { return std::int64_t{1}; });
    api_ = std::make_unique<server::ApiContext>(server::ApiContext{
        *registry_, *ledger_, "openapi: 3.1.0\n", &ready_, {.rate_per_second = 0, .burst = 0}});
    router_ = std::make_unique<server::Router>();
    router_->set_access_logger(quiet_logger());
    server::register_routes(*router_, *api_);
    auto admin = registry_->bootstrap_admin(std::nullopt);
    if (!admin || !admin->has_value()) fail("cannot bootstrap the admin token", "");
    names_.push_back({"$ADMIN", **admin});
    seed();
  }
  ~World() {
    router_.reset();
    registry_->close();
  }
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // Routes one request; returns its answer (exactly one).
  server::Response call(server::Request req) {
    auto answer = std::make_shared<std::optional<server::Response>>();
    auto calls = std::make_shared<int>(0);
    router_->dispatch(std::move(req), [answer, calls](server::Response r) {
      if ((*calls)++ == 0) *answer = std::move(r);
    });
    // The in-memory store completes appends on the caller's thread, so every
    // handler has answered by now.
    if (!answer->has_value()) fail("a handler did not answer", "");
    return std::move(**answer);
  }

  // Replaces the placeholders in `text`.
  std::string substitute(std::string_view text) const {
    std::string out(text);
    for (const auto& [name, value] : names_) {
      for (std::size_t at = out.find(name); at != std::string::npos;
           at = out.find(name, at + value.size())) {
        out.replace(at, name.size(), value);
      }
    }
    return out;
  }

  void verify_store() const {
    auto v = registry_->store().verify();
    if (!v) fail("verify() failed", v.error().message);
    if (!v->ok) fail("the hash chain does not verify", v->problem);
  }

 private:
  static std::shared_ptr<spdlog::logger> quiet_logger() {
    static auto logger = std::make_shared<spdlog::logger>(
        "fuzz-access", std::make_shared<spdlog::sinks::null_sink_mt>());
    return logger;
  }

  json::object post(const std::string& target, const std::string& body) {
    server::Request req{http::verb::post, target, 11};
    req.set(http::field::authorization, "Bearer " + names_.front().second);
    req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    server::Response r = call(std::move(req));
    if (r.result_int() >= 300) fail("seeding " + target + " failed", r.body());
    return json::parse(r.body()).as_object();
  }

  std::string token(const std::string& name, const std::string& role, const std::string& extra) {
    auto t =
        post("/v1/tokens", R"({"name":")" + name + R"(","role":")" + role + "\"" + extra + "}");
    token_ids_.push_back(std::string(t.at("id").as_string()));
    return std::string(t.at("token").as_string());
  }

  void seed() {
    for (const char* id : {"oulu", "turku"}) {
      post("/v1/networks", std::string(R"({"id":")") + id +
                               R"(","name":{"fi":"F","sv":"S","en":"E"},"region":"R",)"
                               R"("seat":"S","steward":"Victim Support Finland",)"
                               R"("established_on":"2019-01-01"})");
    }
    auto member = post("/v1/networks/oulu/members",
                       R"({"name":"Anna Virtanen","email":"anna@example.fi",)"
                       R"("organisation":"Poliisi","sector":"police","joined_on":"2024-05-02"})");
    auto meeting =
        post("/v1/networks/turku/meetings", R"({"scheduled_for":"2024-05-20","format":"in_person",)"
                                            R"("location":"Turku","joint_with":["oulu"]})");
    names_.push_back({"$ANALYST", token("analyst-1", "analyst", "")});
    names_.push_back({"$TOKEN", token_ids_.back()});
    names_.push_back({"$AUDITOR", token("auditor-1", "auditor", "")});
    names_.push_back({"$COORD", token("coord-oulu", "coordinator", R"(,"networks":["oulu"])")});
    names_.push_back({"$REVOKED", token("gone", "analyst", "")});
    server::Request revoke{http::verb::delete_, "/v1/tokens/" + token_ids_.back(), 11};
    revoke.set(http::field::authorization, "Bearer " + names_.front().second);
    if (call(std::move(revoke)).result_int() >= 300) fail("cannot revoke the seeded token", "");
    names_.push_back({"$MEMBER", std::string(member.at("member_id").as_string())});
    names_.push_back({"$MEETING", std::string(meeting.at("meeting_id").as_string())});
  }

  std::unique_ptr<app::Registry> registry_;
  std::unique_ptr<server::IdempotencyLedger> ledger_;
  std::atomic<bool> ready_{true};
  std::unique_ptr<server::ApiContext> api_;
  std::unique_ptr<server::Router> router_;
  std::vector<std::pair<std::string, std::string>> names_;
  std::vector<std::string> token_ids_;
};

// The parsed request with its placeholders replaced.
server::Request substituted(const World& world, server::Request req) {
  server::Request out;
  if (req.method() == http::verb::unknown) {
    out.method_string(req.method_string());
  } else {
    out.method(req.method());
  }
  out.target(world.substitute(req.target()));
  out.version(req.version());
  for (const auto& f : req) out.insert(f.name_string(), world.substitute(f.value()));
  out.body() = world.substitute(req.body());
  if (out.body().size() != req.body().size() && out.has_content_length()) {
    out.content_length(out.body().size());
  }
  return out;
}

void check_answer(const server::Request& req, const server::Response& res) {
  const std::string where = std::string(req.method_string()) + " " + std::string(req.target());
  const unsigned status = res.result_int();
  if (status < 200 || status > 599) fail("status out of range", where);
  if (status == 500) fail("500 Internal Server Error for " + where, res.body());
  if (res.find("X-Request-Id") == res.end()) fail("no X-Request-Id", where);
  const auto ct = res.find(http::field::content_type);
  if (ct == res.end()) return;
  const std::string_view type = ct->value();
  const bool problem = type.starts_with(server::kProblemJson);
  if (!problem && !type.starts_with("application/json")) return;
  boost::system::error_code ec;
  const json::value body = json::parse(res.body(), ec);
  if (ec) fail("the JSON answer does not parse: " + where, res.body());
  if (problem) {
    const auto* o = body.if_object();
    const json::value* s = o != nullptr ? o->if_contains("status") : nullptr;
    if (s == nullptr || !s->is_int64() || s->as_int64() != static_cast<std::int64_t>(status)) {
      fail("the problem's status is not the answer's: " + where, res.body());
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  World world;
  const server::HttpOptions limits;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  for (int n = 0; n < kMaxRequests && !rest.empty(); ++n) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(limits.body_limit);
    parser.header_limit(limits.header_limit);
    parser.eager(true);
    boost::beast::error_code ec;
    while (!rest.empty() && !parser.is_done()) {
      const std::size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
      rest.remove_prefix(used);
      if (ec || used == 0) break;
    }
    // The server answers a malformed or oversize request itself (400, 413,
    // 431) and closes the connection; an incomplete one waits for more.
    if (ec || !parser.is_done()) break;
    server::Request req = substituted(world, parser.release());
    const bool keep_alive = req.keep_alive();
    server::Request copy = req;
    check_answer(copy, world.call(std::move(req)));
    if (!keep_alive) break;
  }
  world.verify_store();
  return 0;
}
