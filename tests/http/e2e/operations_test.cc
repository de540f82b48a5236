// Operations of the real binary: JSON log lines (--log-format json) and the
// Prometheus metrics as a scraper sees them.
#include <sstream>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include "tests/http/e2e/e2e_server.h"

namespace ikv::e2e {
namespace {

namespace json = boost::json;

TEST(Operations, JsonLogHasOneObjectPerLineAndNoPersonalData) {
  TempDir dir;
  auto server = E2eServer::start(dir.sub("data"),
                                 {.log_level = "info", .extra_args = {"--log-format", "json"}});
  ASSERT_TRUE(server);
  ASSERT_EQ(server->call("POST", "/v1/networks", network_body("jsonlog")).status, 201u);
  Answer joined = server->call("POST", "/v1/networks/jsonlog/members",
                               member_body("Liisa Lokittaja", "liisa.lokittaja@example.org"));
  ASSERT_EQ(joined.status, 201u) << joined.body;
  EXPECT_EQ(
      server->call("GET", "/v1/networks/no-such-net", {}, {{"X-Request-Id", "req-json-1"}}).status,
      404u);
  ASSERT_EQ(server->stop().code, 0);

  const std::string log =
      harness::read_file(server->stdout_path()) + harness::read_file(server->stderr_path());
  std::istringstream in(log);
  std::vector<json::object> lines;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    json::error_code ec;
    json::value v = json::parse(line, ec);
    ASSERT_FALSE(ec) << "not a JSON line: " << line;
    ASSERT_TRUE(v.is_object()) << line;
    lines.push_back(v.as_object());
  }
  bool listening = false;
  bool stopped = false;
  const json::object* join = nullptr;
  const json::object* missing = nullptr;
  for (const auto& l : lines) {
    EXPECT_TRUE(l.contains("ts") && l.contains("level")) << json::serialize(l);
    const std::string msg = l.contains("msg") ? std::string(l.at("msg").as_string()) : "";
    listening = listening || msg.rfind("listening on", 0) == 0;
    stopped = stopped || msg == "stopped";
    if (msg != "request") continue;
    if (l.at("route").as_string() == "/v1/networks/{id}/members" &&
        l.at("method").as_string() == "POST") {
      join = &l;
    }
    if (l.at("request_id").as_string() == "req-json-1") missing = &l;
  }
  EXPECT_TRUE(listening);
  EXPECT_TRUE(stopped);
  ASSERT_NE(join, nullptr) << log;
  EXPECT_EQ(join->at("status").as_int64(), 201);
  EXPECT_TRUE(join->at("token").is_string());  // the admin token's id
  EXPECT_GT(join->at("bytes").as_int64(), 0);
  EXPECT_TRUE(join->at("duration_ms").is_number());
  EXPECT_EQ(std::string(join->at("remote").as_string()).rfind("127.0.0.1:", 0), 0u);
  ASSERT_NE(missing, nullptr) << log;
  EXPECT_EQ(missing->at("route").as_string(), "/v1/networks/{id}");
  EXPECT_EQ(missing->at("status").as_int64(), 404);
  EXPECT_EQ(log.find("liisa.lokittaja"), std::string::npos);
  EXPECT_EQ(log.find("Lokittaja"), std::string::npos);
  EXPECT_EQ(log.find("no-such-net"), std::string::npos);
  EXPECT_EQ(log.find(kAdminToken), std::string::npos);
}

// The value of the sample line `series` in a scrape, or -1.
double sample(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

TEST(Operations, MetricsFollowRequestsAndCommitGroups) {
  TempDir dir;
  auto server = E2eServer::start(dir.sub("data"));
  ASSERT_TRUE(server);
  Answer first = server->call("GET", "/metrics", {}, {}, Auth::none());
  ASSERT_EQ(first.status, 200u);
  EXPECT_EQ(first.header("Content-Type"), "text/plain; version=0.0.4");
  const double groups = sample(first.body, "ikv_append_group_size_count");
  ASSERT_GE(groups, 0);

  ASSERT_EQ(server->call("POST", "/v1/networks", network_body("metricnet")).status, 201u);
  EXPECT_EQ(server->call("GET", "/v1/networks/metricnet").status, 200u);
  Answer after = server->call("GET", "/metrics", {}, {}, Auth::none());
  ASSERT_EQ(after.status, 200u);
  EXPECT_GT(sample(after.body, "ikv_append_group_size_count"), groups);
  EXPECT_GT(sample(after.body, "ikv_append_sync_seconds_count"), groups);
  EXPECT_EQ(sample(after.body,
                   R"(ikv_http_requests_total{method="POST",route="/v1/networks",status="201"})"),
            1);
  EXPECT_EQ(
      sample(after.body,
             R"(ikv_http_requests_total{method="GET",route="/v1/networks/{id}",status="200"})"),
      1);
  EXPECT_EQ(
      sample(after.body,
             R"(ikv_http_request_duration_seconds_count{method="GET",route="/v1/networks/{id}"})"),
      1);
  // This scrape's own connection is open while it is answered.
  EXPECT_GE(sample(after.body, "ikv_http_open_connections"), 1);
  EXPECT_EQ(sample(after.body, "ikv_events_stored"), static_cast<double>(server->log_position()));
  EXPECT_EQ(after.body.find("metricnet"), std::string::npos);
}

}  // namespace
}  // namespace ikv::e2e
