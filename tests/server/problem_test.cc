#include "server/http/problem.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace ikv::server {
namespace {
namespace http = boost::beast::http;
namespace json = boost::json;

json::object body_of(const Response& res) { return json::parse(res.body()).as_object(); }

Request json_request(std::string body, std::string content_type = "application/json") {
  Request req{http::verb::post, "/v1/networks", 11};
  if (!content_type.empty()) req.set(http::field::content_type, content_type);
  req.body() = std::move(body);
  req.prepare_payload();
  return req;
}

TEST(Problem, HasRfc9457Shape) {
  Response res = problem_404("no network oulu");
  EXPECT_EQ(res.result_int(), 404u);
  EXPECT_EQ(res[http::field::content_type], "application/problem+json");
  EXPECT_EQ(res[http::field::content_length], std::to_string(res.body().size()));
  EXPECT_EQ(body_of(res), (json::object{{"type", "about:blank"},
                                        {"title", "Not Found"},
                                        {"status", 404},
                                        {"detail", "no network oulu"}}));
}

TEST(Problem, ValidationProblemListsErrors) {
  Response res = problem_422({{"/name/fi", "is required"}, {"/x", "unknown field"}});
  auto body = body_of(res);
  EXPECT_EQ(body["status"], 422);
  EXPECT_EQ(body["title"], "Unprocessable Content");
  EXPECT_EQ(body["errors"],
            (json::array{json::object{{"field", "/name/fi"}, {"message", "is required"}},
                         json::object{{"field", "/x"}, {"message", "unknown field"}}}));
}

TEST(Problem, HelpersSetStatusAndRequiredHeaders) {
  EXPECT_EQ(problem_400("x").result_int(), 400u);
  Response unauthorized = problem_401("no token");
  EXPECT_EQ(unauthorized.result_int(), 401u);
  EXPECT_EQ(unauthorized[http::field::www_authenticate], "Bearer");
  EXPECT_EQ(problem_403("x").result_int(), 403u);
  Response not_allowed = problem_405("GET, HEAD");
  EXPECT_EQ(not_allowed.result_int(), 405u);
  EXPECT_EQ(not_allowed[http::field::allow], "GET, HEAD");
  EXPECT_EQ(problem_409("x").result_int(), 409u);
  EXPECT_EQ(problem_412("x").result_int(), 412u);
  Response too_large = problem_413(1024);
  EXPECT_EQ(too_large.result_int(), 413u);
  EXPECT_EQ(body_of(too_large)["title"], "Content Too Large");
  EXPECT_EQ(problem_415().result_int(), 415u);
  Response busy = problem_429(std::chrono::seconds(3));
  EXPECT_EQ(busy.result_int(), 429u);
  EXPECT_EQ(busy[http::field::retry_after], "3");
  EXPECT_EQ(problem_429(std::chrono::seconds(0))[http::field::retry_after], "1");
  EXPECT_EQ(problem_500().result_int(), 500u);
  Response closing = problem_503("closing");
  EXPECT_EQ(closing.result_int(), 503u);
  EXPECT_EQ(closing.find(http::field::retry_after), closing.end());
  EXPECT_EQ(problem_503("closing", std::chrono::seconds(5))[http::field::retry_after], "5");
}

TEST(Problem, ClientBytesThatAreNotUtf8BecomeReplacementCharacters) {
  Problem p;
  p.status = http::status::unprocessable_entity;
  p.detail = "unknown query parameter curso\x92";
  p.errors.push_back({"curso\x92", "bad \xC3 and good \xC3\xA4"});
  Response res = problem_response(p);
  json::error_code ec;
  json::value v = json::parse(res.body(), ec);  // Boost.JSON rejects invalid UTF-8
  ASSERT_FALSE(ec) << res.body();
  EXPECT_EQ(v.at("detail").as_string(), "unknown query parameter curso\xEF\xBF\xBD");
  EXPECT_EQ(v.at("errors").at(0).at("field").as_string(), "curso\xEF\xBF\xBD");
  EXPECT_EQ(v.at("errors").at(0).at("message").as_string(), "bad \xEF\xBF\xBD and good \xC3\xA4");
}

TEST(Problem, JsonResponseSetsContentType) {
  Response res = json_response(http::status::created, {{"id", "oulu"}, {"version", 1}});
  EXPECT_EQ(res.result_int(), 201u);
  EXPECT_EQ(res[http::field::content_type], "application/json");
  EXPECT_EQ(res.body(), R"({"id":"oulu","version":1})");
}

TEST(JsonBody, ReadsAnObject) {
  auto body = read_json_object(json_request(R"({"id":"oulu"})"));
  ASSERT_TRUE(body);
  EXPECT_EQ((*body.object)["id"], "oulu");
}

TEST(JsonBody, AcceptsUtf8CharsetAndLetterCase) {
  EXPECT_TRUE(read_json_object(json_request("{}", "Application/JSON; charset=UTF-8")));
  EXPECT_TRUE(read_json_object(json_request("{}", "application/json;charset=\"utf-8\"")));
}

TEST(JsonBody, OtherContentTypeIs415) {
  EXPECT_EQ(read_json_object(json_request("{}", "text/plain")).problem.result_int(), 415u);
  EXPECT_EQ(read_json_object(json_request("{}", "")).problem.result_int(), 415u);
  EXPECT_EQ(read_json_object(json_request("{}", "application/jsonx")).problem.result_int(), 415u);
  EXPECT_EQ(
      read_json_object(json_request("{}", "application/json; charset=latin1")).problem.result_int(),
      415u);
}

TEST(JsonBody, BadJsonIs400) {
  auto body = read_json_object(json_request(R"({"id":)"));
  ASSERT_FALSE(body);
  EXPECT_EQ(body.problem.result_int(), 400u);
  EXPECT_EQ(body.problem[http::field::content_type], "application/problem+json");
  EXPECT_EQ(read_json_object(json_request("")).problem.result_int(), 400u);
  EXPECT_EQ(read_json_object(json_request(R"({"a":1} x)")).problem.result_int(), 400u);
}

TEST(JsonBody, InvalidUtf8Is400) {
  EXPECT_EQ(read_json_object(json_request("{\"name\":\"\xC3\x28\"}")).problem.result_int(), 400u);
  EXPECT_EQ(read_json_object(json_request("{\"\xFF\":1}")).problem.result_int(), 400u);
}

TEST(JsonBody, NonObjectIs422) {
  for (const char* doc : {"[]", "1", "\"x\"", "null"}) {
    auto body = read_json_object(json_request(doc));
    ASSERT_FALSE(body) << doc;
    EXPECT_EQ(body.problem.result_int(), 422u) << doc;
  }
}

}  // namespace
}  // namespace ikv::server
