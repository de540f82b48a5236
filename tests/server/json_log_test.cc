// Log lines in JSON: the formatter's envelope, access records as fields, and
// what an access line never holds (raw paths, secrets, query values).
#include <future>
#include <sstream>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <boost/json/parse.hpp>

#include "server/http/access_log.h"
#include "server/http/problem.h"
#include "server/http/router.h"

namespace ikv::server {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

// A logger writing JSON lines into a string; restores the text format after.
class JsonLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sink_ = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    logger_ = std::make_shared<spdlog::logger>("access", sink_);
    logger_->set_formatter(make_json_formatter());
    set_log_format(LogFormat::kJson);
  }
  void TearDown() override { set_log_format(LogFormat::kText); }

  std::vector<json::object> lines() {
    logger_->flush();
    std::vector<json::object> out;
    std::istringstream in(out_.str());
    for (std::string line; std::getline(in, line);) {
      json::error_code ec;
      auto v = json::parse(line, ec);
      EXPECT_FALSE(ec) << "not JSON: " << line;
      if (!ec && v.is_object()) out.push_back(v.as_object());
    }
    return out;
  }

  std::ostringstream out_;
  std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_;
  std::shared_ptr<spdlog::logger> logger_;
};

TEST_F(JsonLogTest, TextMessagesBecomeOneObjectPerLine) {
  logger_->info("listening on {}:{}", "127.0.0.1", 8080);
  logger_->warn("a \"quoted\"\nmulti-line \x01 message with bad UTF-8 \xff");
  auto l = lines();
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0].at("msg").as_string(), "listening on 127.0.0.1:8080");
  EXPECT_EQ(l[0].at("level").as_string(), "info");
  EXPECT_EQ(l[0].at("logger").as_string(), "access");
  const std::string ts(l[0].at("ts").as_string());
  ASSERT_EQ(ts.size(), 27u) << ts;  // 2024-11-01T10:00:00.123456Z
  EXPECT_EQ(ts[10], 'T');
  EXPECT_EQ(ts.back(), 'Z');
  EXPECT_EQ(l[1].at("level").as_string(), "warning");
  EXPECT_NE(std::string(l[1].at("msg").as_string()).find("\"quoted\"\nmulti-line"),
            std::string::npos);
}

TEST_F(JsonLogTest, AccessRecordIsFields) {
  log_access({.request_id = "rid-1",
              .method = "POST",
              .route = "/v1/networks/{id}/members",
              .status = 201,
              .duration_us = 1234,
              .bytes = 56,
              .caller = "tok-abc",
              .remote = "127.0.0.1:40000"},
             logger_.get());
  log_access({.request_id = "rid-2", .method = "GET", .route = kNoRoute, .status = 404},
             logger_.get());
  auto l = lines();
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0].at("msg").as_string(), "request");
  EXPECT_EQ(l[0].at("request_id").as_string(), "rid-1");
  EXPECT_EQ(l[0].at("method").as_string(), "POST");
  EXPECT_EQ(l[0].at("route").as_string(), "/v1/networks/{id}/members");
  EXPECT_EQ(l[0].at("status").as_int64(), 201);
  EXPECT_DOUBLE_EQ(l[0].at("duration_ms").as_double(), 1.234);
  EXPECT_EQ(l[0].at("bytes").as_int64(), 56);
  EXPECT_EQ(l[0].at("token").as_string(), "tok-abc");
  EXPECT_EQ(l[0].at("remote").as_string(), "127.0.0.1:40000");
  EXPECT_TRUE(l[1].at("token").is_null());
  EXPECT_TRUE(l[1].at("remote").is_null());
  EXPECT_EQ(l[1].at("route").as_string(), "-");
}

TEST_F(JsonLogTest, RouterLinesHoldTemplateCallerAndNoSecrets) {
  Router r;
  r.set_access_logger(logger_);
  r.set_guard([](RequestContext& ctx) -> std::optional<Response> {
    ctx.principal = std::string("tok-42");
    return std::nullopt;
  });
  r.set_caller_label(
      [](const RequestContext& ctx) { return std::any_cast<std::string>(ctx.principal); });
  std::vector<AccessRecord> seen;
  r.set_observer([&seen](const AccessRecord& a) { seen.push_back(a); });
  r.add(
      http::verb::get, "/v1/networks/{id}",
      [](RequestContext&, Respond respond) {
        respond(json_response(http::status::ok, boost::json::object{{"k", "v"}}));
      },
      "getNetwork");
  Request req{http::verb::get, "/v1/networks/person-x?email=someone@example.org", 11};
  req.set("X-Request-Id", "rid-9");
  req.set(http::field::authorization, "Bearer SECRET-tok-value");
  Response answer;
  r.dispatch(std::move(req), [&answer](Response res) { answer = std::move(res); });
  auto l = lines();
  ASSERT_EQ(l.size(), 1u);
  EXPECT_EQ(l[0].at("route").as_string(), "/v1/networks/{id}");
  EXPECT_EQ(l[0].at("token").as_string(), "tok-42");
  EXPECT_EQ(l[0].at("status").as_int64(), 200);
  EXPECT_EQ(l[0].at("bytes").as_int64(), static_cast<std::int64_t>(answer.body().size()));
  const std::string text = out_.str();
  EXPECT_EQ(text.find("person-x"), std::string::npos);
  EXPECT_EQ(text.find("example.org"), std::string::npos);
  EXPECT_EQ(text.find("SECRET"), std::string::npos);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].status, 200u);
}

TEST(JsonQuote, EscapesControlAndReplacesBadUtf8) {
  EXPECT_EQ(json_quote("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
  EXPECT_EQ(json_quote("\x01"), "\"\\u0001\"");
  EXPECT_EQ(json_quote("\xc3\xa4"), "\"\xc3\xa4\"");  // ä stays
  EXPECT_EQ(json_quote("\xc3"), "\"\\ufffd\"");
  EXPECT_EQ(json_quote("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");  // a surrogate
}

}  // namespace
}  // namespace ikv::server
