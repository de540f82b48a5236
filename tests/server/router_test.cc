#include "server/http/router.h"

#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>
#include <boost/json/parse.hpp>

#include "server/http/problem.h"

namespace ikv::server {
namespace {
namespace http = boost::beast::http;

Request make_request(http::verb method, std::string target) {
  Request req{method, target, 11};
  return req;
}

// Routes `req` and returns the answer (handlers here answer synchronously).
Response route(const Router& router, Request req) {
  std::optional<Response> out;
  router.dispatch(std::move(req), [&](Response res) { out = std::move(res); });
  EXPECT_TRUE(out.has_value());
  return out ? std::move(*out) : Response{};
}

// Echoes what the router captured as JSON.
void echo(RequestContext& ctx, Respond respond) {
  boost::json::object params;
  for (const auto& [k, v] : ctx.path_params) params[k] = v;
  boost::json::array query;
  for (const auto& q : ctx.query) {
    query.push_back(
        boost::json::array{boost::json::string(q.key), boost::json::string(q.value), q.has_value});
  }
  respond(json_response(http::status::ok, {{"route", ctx.route},
                                           {"operation", ctx.operation_id},
                                           {"params", params},
                                           {"query", query}}));
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.add(http::verb::get, "/v1/networks", echo, "listNetworks");
    router_.add(http::verb::post, "/v1/networks", echo, "establishNetwork");
    router_.add(http::verb::get, "/v1/networks/{id}", echo, "getNetwork");
    router_.add(http::verb::post, "/v1/networks/{id}/members", echo, "joinNetwork");
    router_.add(http::verb::delete_, "/v1/networks/{id}/members/{member_id}", echo, "leaveNetwork");
    router_.add(http::verb::get, "/v1/networks/{id}/history", echo, "getNetworkHistory");
    router_.add(http::verb::get, "/v1/networks/{id}/{view}", echo, "getNetworkView");
    router_.add(http::verb::get, "/livez", echo, "getLive");
  }
  boost::json::object call(http::verb method, std::string target, unsigned expect = 200) {
    Response res = route(router_, make_request(method, std::move(target)));
    EXPECT_EQ(res.result_int(), expect);
    return boost::json::parse(res.body()).as_object();
  }
  Router router_;
};

TEST_F(RouterTest, MatchesLiteralRoute) {
  auto body = call(http::verb::get, "/v1/networks");
  EXPECT_EQ(body["route"], "/v1/networks");
  EXPECT_EQ(body["operation"], "listNetworks");
}

TEST_F(RouterTest, DistinguishesMethodsOnOneTemplate) {
  EXPECT_EQ(call(http::verb::post, "/v1/networks")["operation"], "establishNetwork");
}

TEST_F(RouterTest, CapturesPathParameters) {
  auto body = call(http::verb::delete_, "/v1/networks/oulu/members/m-42");
  EXPECT_EQ(body["route"], "/v1/networks/{id}/members/{member_id}");
  EXPECT_EQ(body["params"].as_object()["id"], "oulu");
  EXPECT_EQ(body["params"].as_object()["member_id"], "m-42");
}

TEST_F(RouterTest, PercentDecodesParametersWithinOneSegment) {
  auto body = call(http::verb::get, "/v1/networks/%C3%85bo%2Fturku");
  EXPECT_EQ(body["route"], "/v1/networks/{id}");
  EXPECT_EQ(body["params"].as_object()["id"],
            "\xC3\x85"
            "bo/turku");
}

TEST_F(RouterTest, PercentDecodesLiteralSegments) {
  EXPECT_EQ(call(http::verb::get, "/v1/%6Eetworks")["operation"], "listNetworks");
}

TEST_F(RouterTest, PrefersLiteralSegmentOverParameter) {
  EXPECT_EQ(call(http::verb::get, "/v1/networks/oulu/history")["operation"], "getNetworkHistory");
  EXPECT_EQ(call(http::verb::get, "/v1/networks/oulu/calendar")["operation"], "getNetworkView");
}

TEST_F(RouterTest, ParsesQueryKeepingRepeatedKeysInOrder) {
  auto body = call(http::verb::get, "/v1/networks?theme=a&x&theme=b%20c&empty=&q=d+e");
  const auto& q = body["query"].as_array();
  ASSERT_EQ(q.size(), 5u);
  EXPECT_EQ(q[0], (boost::json::array{"theme", "a", true}));
  EXPECT_EQ(q[1], (boost::json::array{"x", "", false}));
  EXPECT_EQ(q[2], (boost::json::array{"theme", "b c", true}));
  EXPECT_EQ(q[3], (boost::json::array{"empty", "", true}));
  EXPECT_EQ(q[4], (boost::json::array{"q", "d e", true}));
}

TEST_F(RouterTest, QueryHelpersReturnFirstAndAllValues) {
  RequestContext ctx;
  ctx.query = {{"a", "1", true}, {"b", "2", true}, {"a", "3", true}};
  EXPECT_EQ(ctx.query_value("a"), "1");
  EXPECT_EQ(ctx.query_value("c"), std::nullopt);
  EXPECT_EQ(ctx.query_values("a"), (std::vector<std::string_view>{"1", "3"}));
}

TEST_F(RouterTest, UnknownPathIs404Problem) {
  Response res = route(router_, make_request(http::verb::get, "/v1/nothing"));
  EXPECT_EQ(res.result_int(), 404u);
  EXPECT_EQ(res[http::field::content_type], kProblemJson);
  EXPECT_EQ(route(router_, make_request(http::verb::get, "/v1/networks/")).result_int(), 404u);
  EXPECT_EQ(route(router_, make_request(http::verb::get, "/v1/networks/a/b/c/d")).result_int(),
            404u);
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
  Response res = route(router_, make_request(http::verb::put, "/v1/networks"));
  EXPECT_EQ(res.result_int(), 405u);
  EXPECT_EQ(res[http::field::allow], "GET, HEAD, POST");
  Response del = route(router_, make_request(http::verb::get, "/v1/networks/x/members/y"));
  EXPECT_EQ(del.result_int(), 405u);
  EXPECT_EQ(del[http::field::allow], "DELETE");
}

TEST_F(RouterTest, HeadIsServedByGet) {
  EXPECT_EQ(call(http::verb::head, "/v1/networks/oulu")["operation"], "getNetwork");
}

TEST_F(RouterTest, EchoesSaneRequestIdAndReplacesOthers) {
  Request req = make_request(http::verb::get, "/livez");
  req.set("X-Request-Id", "client-1.A_b");
  EXPECT_EQ(route(router_, std::move(req))["X-Request-Id"], "client-1.A_b");

  Request bad = make_request(http::verb::get, "/livez");
  bad.set("X-Request-Id", "has space");
  const std::string generated(route(router_, std::move(bad))["X-Request-Id"]);
  EXPECT_EQ(generated.size(), 32u);
  EXPECT_NE(generated, "has space");

  Request too_long = make_request(http::verb::get, "/livez");
  too_long.set("X-Request-Id", std::string(129, 'a'));
  EXPECT_EQ(route(router_, std::move(too_long))["X-Request-Id"].size(), 32u);
}

TEST_F(RouterTest, AddsSecurityHeaders) {
  Response v1 = route(router_, make_request(http::verb::get, "/v1/networks"));
  EXPECT_EQ(v1["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(v1[http::field::cache_control], "no-store");
  EXPECT_EQ(v1["Content-Security-Policy"], "default-src 'none'");
  Response live = route(router_, make_request(http::verb::get, "/livez"));
  EXPECT_EQ(live["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(live.find(http::field::cache_control), live.end());
  Response missing = route(router_, make_request(http::verb::get, "/v1/nope"));
  EXPECT_FALSE(missing["X-Request-Id"].empty());
  EXPECT_EQ(missing[http::field::cache_control], "no-store");
}

TEST_F(RouterTest, InvalidTargetIs400) {
  EXPECT_EQ(route(router_, make_request(http::verb::get, "/v1/networks/%zz")).result_int(), 400u);
  EXPECT_EQ(route(router_, make_request(http::verb::get, "*")).result_int(), 400u);
}

TEST_F(RouterTest, ListsRoutesInOrderAdded) {
  auto routes = router_.routes();
  ASSERT_EQ(routes.size(), 8u);
  EXPECT_EQ(routes[3], (RouteInfo{http::verb::post, "/v1/networks/{id}/members", "joinNetwork"}));
}

TEST_F(RouterTest, GuardCanRefuseOrFillPrincipal) {
  router_.add(
      http::verb::get, "/v1/whoami",
      [](RequestContext& ctx, Respond respond) {
        respond(
            json_response(http::status::ok, {{"who", std::any_cast<std::string>(ctx.principal)}}));
      },
      "whoAmI");
  router_.set_guard([](RequestContext& ctx) -> std::optional<Response> {
    if (ctx.request[http::field::authorization] != "Bearer good") return problem_401("no token");
    ctx.principal = std::string("admin-1");
    return std::nullopt;
  });
  Response refused = route(router_, make_request(http::verb::get, "/v1/whoami"));
  EXPECT_EQ(refused.result_int(), 401u);
  EXPECT_EQ(refused[http::field::www_authenticate], "Bearer");
  EXPECT_FALSE(refused["X-Request-Id"].empty());
  Request ok = make_request(http::verb::get, "/v1/whoami");
  ok.set(http::field::authorization, "Bearer good");
  EXPECT_EQ(route(router_, std::move(ok)).body(), R"({"who":"admin-1"})");
}

TEST_F(RouterTest, ThrowingHandlerGives500) {
  router_.add(
      http::verb::get, "/boom", [](RequestContext&, Respond) { throw std::runtime_error("bug"); },
      "boom");
  EXPECT_EQ(route(router_, make_request(http::verb::get, "/boom")).result_int(), 500u);
}

TEST_F(RouterTest, SecondRespondIsIgnored) {
  router_.add(
      http::verb::get, "/twice",
      [](RequestContext&, Respond respond) {
        respond(problem_409("first"));
        respond(problem_500());
      },
      "twice");
  int calls = 0;
  router_.dispatch(make_request(http::verb::get, "/twice"), [&](Response res) {
    ++calls;
    EXPECT_EQ(res.result_int(), 409u);
  });
  EXPECT_EQ(calls, 1);
}

TEST(Router, RejectsMalformedTemplatesAndDuplicates) {
  Router r;
  auto noop = [](RequestContext&, Respond) {};
  EXPECT_THROW(r.add(http::verb::get, "v1/x", noop, "a"), std::invalid_argument);
  EXPECT_THROW(r.add(http::verb::get, "/v1//x", noop, "a"), std::invalid_argument);
  EXPECT_THROW(r.add(http::verb::get, "/v1/x/", noop, "a"), std::invalid_argument);
  EXPECT_THROW(r.add(http::verb::get, "/v1/{id", noop, "a"), std::invalid_argument);
  EXPECT_THROW(r.add(http::verb::get, "/v1/a{id}", noop, "a"), std::invalid_argument);
  EXPECT_THROW(r.add(http::verb::get, "/v1/{id}/{id}", noop, "a"), std::invalid_argument);
  EXPECT_THROW(r.add(http::verb::get, "/v1/{}", noop, "a"), std::invalid_argument);
  r.add(http::verb::get, "/v1/{id}", noop, "a");
  EXPECT_THROW(r.add(http::verb::get, "/v1/{id}", noop, "b"), std::invalid_argument);
}

TEST(Router, AccessLogHasRouteTemplateButNoPathOrHeaders) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  auto logger = std::make_shared<spdlog::logger>("test-access", sink);
  Router r;
  r.set_access_logger(logger);
  r.add(
      http::verb::get, "/v1/networks/{id}",
      [](RequestContext&, Respond respond) {
        respond(json_response(http::status::ok, boost::json::object{}));
      },
      "getNetwork");
  Request req{http::verb::get, "/v1/networks/secret-person?email=x@y", 11};
  req.set("X-Request-Id", "rid-7");
  req.set(http::field::authorization, "Bearer tok-SECRET");
  r.dispatch(std::move(req), [](Response) {});
  logger->flush();
  const std::string line = out.str();
  EXPECT_NE(line.find("request_id=rid-7 method=GET route=/v1/networks/{id} status=200"),
            std::string::npos)
      << line;
  EXPECT_NE(line.find("duration_us="), std::string::npos);
  EXPECT_EQ(line.find("secret-person"), std::string::npos);
  EXPECT_EQ(line.find("tok-SECRET"), std::string::npos);
  EXPECT_EQ(line.find("email"), std::string::npos);
}

}  // namespace
}  // namespace ikv::server
