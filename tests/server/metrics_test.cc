// The Prometheus metrics: request series per route template, histograms, the
// commit-group observer, the scrape-time gauges, and GET /metrics itself,
// through the real route table on an in-memory registry.
#include <future>
#include <string>

#include <gtest/gtest.h>

#include "server/api.h"
#include "server/metrics.h"

namespace ikv::server {
namespace {

namespace http = boost::beast::http;

// The value of the sample line starting with `series` (name and labels),
// or -1 when there is none.
double sample(const std::string& text, const std::string& series) {
  std::size_t at = 0;
  while ((at = text.find(series + " ", at)) != std::string::npos) {
    if (at == 0 || text[at - 1] == '\n') return std::stod(text.substr(at + series.size() + 1));
    at += series.size();
  }
  return -1;
}

class MetricsRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_ = app::Registry::open({}).value();
    ledger_ = std::make_unique<IdempotencyLedger>(*registry_, [] { return std::int64_t{1}; });
    api_ = std::make_unique<ApiContext>(ApiContext{*registry_, *ledger_, {}, nullptr});
    metrics_ = std::make_shared<Metrics>();
    register_routes(router_, *api_, metrics_);
    admin_ = **registry_->bootstrap_admin(std::nullopt);
  }
  void TearDown() override { registry_->close(); }

  Response call(http::verb method, const std::string& target, const std::string& token = "",
                const std::string& body = "") {
    Request req{method, target, 11};
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
    if (!body.empty()) {
      req.set(http::field::content_type, "application/json");
      req.body() = body;
      req.prepare_payload();
    }
    std::promise<Response> answer;
    router_.dispatch(std::move(req), [&answer](Response r) { answer.set_value(std::move(r)); });
    return answer.get_future().get();
  }
  std::string scrape() {
    Response r = call(http::verb::get, "/metrics");
    EXPECT_EQ(r.result_int(), 200u);
    return r.body();
  }
  std::string add_network(const std::string& id) {
    return R"({"id":")" + id +
           R"(","name":{"fi":"Verkosto","sv":"Nätverk","en":"Network"},"region":"Uusimaa",)"
           R"("seat":"Helsinki","steward":"Helsingin kaupunki","established_on":"2020-01-01"})";
  }

  std::unique_ptr<app::Registry> registry_;
  std::unique_ptr<IdempotencyLedger> ledger_;
  std::unique_ptr<ApiContext> api_;
  std::shared_ptr<Metrics> metrics_;
  Router router_;
  std::string admin_;
};

TEST_F(MetricsRoutesTest, RequestCountsUnderItsRouteTemplateWithMethodAndStatus) {
  const std::string series =
      R"(ikv_http_requests_total{method="GET",route="/v1/networks/{id}",status="404"})";
  EXPECT_EQ(sample(scrape(), series), -1);
  EXPECT_EQ(call(http::verb::get, "/v1/networks/nowhere-one", admin_).result_int(), 404u);
  EXPECT_EQ(sample(scrape(), series), 1);
  EXPECT_EQ(call(http::verb::get, "/v1/networks/nowhere-two", admin_).result_int(), 404u);
  const std::string text = scrape();
  EXPECT_EQ(sample(text, series), 2);
  // Without a token: 401 on the same template, a separate series.
  EXPECT_EQ(call(http::verb::get, "/v1/networks/nowhere-one").result_int(), 401u);
  EXPECT_EQ(
      sample(scrape(),
             R"(ikv_http_requests_total{method="GET",route="/v1/networks/{id}",status="401"})"),
      1);
}

TEST_F(MetricsRoutesTest, DurationHistogramHasBucketsPerTemplate) {
  call(http::verb::get, "/livez");
  call(http::verb::get, "/livez");
  const std::string text = scrape();
  EXPECT_NE(text.find("# TYPE ikv_http_request_duration_seconds histogram"), std::string::npos);
  EXPECT_EQ(sample(text, R"(ikv_http_request_duration_seconds_count{method="GET",route="/livez"})"),
            2);
  EXPECT_EQ(
      sample(text,
             R"(ikv_http_request_duration_seconds_bucket{method="GET",route="/livez",le="+Inf"})"),
      2);
  EXPECT_GE(
      sample(text,
             R"(ikv_http_request_duration_seconds_bucket{method="GET",route="/livez",le="0.005"})"),
      0);
  EXPECT_GE(
      sample(text,
             R"(ikv_http_request_duration_seconds_bucket{method="GET",route="/livez",le="10"})"),
      0);
}

TEST_F(MetricsRoutesTest, GroupSizeHistogramMovesAfterAnAppend) {
  const std::string before = scrape();
  const double groups = sample(before, "ikv_append_group_size_count");
  const double events = sample(before, "ikv_append_group_size_sum");
  ASSERT_GE(groups, 0);
  Response r = call(http::verb::post, "/v1/networks", admin_, add_network("kainuu"));
  ASSERT_EQ(r.result_int(), 201u) << r.body();
  const std::string after = scrape();
  EXPECT_EQ(sample(after, "ikv_append_group_size_count"), groups + 1);
  EXPECT_GT(sample(after, "ikv_append_group_size_sum"), events);
  EXPECT_EQ(sample(after, "ikv_append_sync_seconds_count"), groups + 1);
  EXPECT_EQ(sample(after, "ikv_events_stored"),
            static_cast<double>(registry_->store().head_position()));
  EXPECT_EQ(sample(after, "ikv_append_events_total"),
            static_cast<double>(registry_->store().stats().events));
  EXPECT_EQ(sample(after, "ikv_projection_lag_events"), 0);
}

TEST_F(MetricsRoutesTest, NeverShowsRawIdsFromPaths) {
  call(http::verb::get, "/v1/networks/raw-id-4711", admin_);
  call(http::verb::get, "/v1/meetings/meeting-raw-0815", admin_);
  call(http::verb::get, "/no/such/path-raw-9999", admin_);
  call(http::verb::post, "/v1/networks/raw-id-4711/members?email=someone@example.org", admin_,
       "{}");
  const std::string text = scrape();
  EXPECT_EQ(text.find("raw-id-4711"), std::string::npos);
  EXPECT_EQ(text.find("raw-0815"), std::string::npos);
  EXPECT_EQ(text.find("raw-9999"), std::string::npos);
  EXPECT_EQ(text.find("example.org"), std::string::npos);
  EXPECT_EQ(text.find(admin_), std::string::npos);
  EXPECT_NE(text.find(R"(route="/v1/meetings/{meeting_id}")"), std::string::npos) << text;
  EXPECT_EQ(sample(text, R"(ikv_http_requests_total{method="GET",route="-",status="404"})"), 1);
}

TEST_F(MetricsRoutesTest, MetricsArePublicTextFormat) {
  call(http::verb::get, "/livez");  // request families show once they have a series
  Response r = call(http::verb::get, "/metrics");
  ASSERT_EQ(r.result_int(), 200u);
  EXPECT_EQ(r[http::field::content_type], "text/plain; version=0.0.4");
  for (const char* name :
       {"ikv_http_requests_total", "ikv_http_request_duration_seconds", "ikv_http_open_connections",
        "ikv_append_group_size", "ikv_append_sync_seconds", "ikv_events_stored",
        "ikv_projection_position", "ikv_projection_lag_events", "ikv_append_groups_total",
        "ikv_appends_total", "ikv_append_events_total", "ikv_append_write_microseconds_total",
        "ikv_store_block_cache_bytes"}) {
    EXPECT_NE(r.body().find(std::string("# TYPE ") + name + " "), std::string::npos) << name;
  }
}

TEST(Metrics, ScrapeTimeValuesFollowTheSnapshot) {
  Metrics m;
  m.set_connection_source([] { return std::size_t{3}; });
  StoreSnapshot s;
  s.head_position = 10;
  s.applied_position = 7;
  s.stats = {.groups = 5,
             .appends = 6,
             .events = 10,
             .write_us = 900,
             .sync_us = 4000,
             .block_cache_bytes = 65536};
  std::string text = m.render(s);
  EXPECT_EQ(sample(text, "ikv_http_open_connections"), 3);
  EXPECT_EQ(sample(text, "ikv_store_block_cache_bytes"), 65536);
  EXPECT_EQ(sample(text, "ikv_events_stored"), 10);
  EXPECT_EQ(sample(text, "ikv_projection_position"), 7);
  EXPECT_EQ(sample(text, "ikv_projection_lag_events"), 3);
  EXPECT_EQ(sample(text, "ikv_append_groups_total"), 5);
  s.stats.groups = 8;
  s.applied_position = 10;
  text = m.render(s);
  EXPECT_EQ(sample(text, "ikv_append_groups_total"), 8);
  EXPECT_EQ(sample(text, "ikv_append_write_microseconds_total"), 900);
  EXPECT_EQ(sample(text, "ikv_append_sync_microseconds_total"), 4000);
  EXPECT_EQ(sample(text, "ikv_projection_lag_events"), 0);
}

TEST(Metrics, GroupObservationsFillBuckets) {
  Metrics m;
  m.observe_group({.appends = 3, .events = 5, .sync_us = 1500});
  m.observe_group({.appends = 1, .events = 1, .sync_us = 100});
  const std::string text = m.render({});
  EXPECT_EQ(sample(text, R"(ikv_append_group_size_bucket{le="1"})"), 1);
  EXPECT_EQ(sample(text, R"(ikv_append_group_size_bucket{le="4"})"), 1);
  EXPECT_EQ(sample(text, R"(ikv_append_group_size_bucket{le="8"})"), 2);
  EXPECT_EQ(sample(text, "ikv_append_group_size_sum"), 6);
  EXPECT_EQ(sample(text, R"(ikv_append_sync_seconds_bucket{le="0.001"})"), 1);
  EXPECT_EQ(sample(text, R"(ikv_append_sync_seconds_bucket{le="0.0025"})"), 2);
}

TEST(Metrics, UnknownMethodsShareOneLabel) {
  EXPECT_EQ(Metrics::method_label("GET"), "GET");
  EXPECT_EQ(Metrics::method_label("DELETE"), "DELETE");
  EXPECT_EQ(Metrics::method_label("BREW"), "OTHER");
  Metrics m;
  m.observe_request({.method = "BREW", .route = "-", .status = 405});
  m.observe_request({.method = "PROPFIND", .route = "-", .status = 405});
  EXPECT_EQ(
      sample(m.render({}), R"(ikv_http_requests_total{method="OTHER",route="-",status="405"})"), 2);
}

}  // namespace
}  // namespace ikv::server
