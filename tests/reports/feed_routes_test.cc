// The event log's and the reports' endpoints, called through the route table
// against an in-memory registry (a RocksDB one for backups).
#include <filesystem>
#include <future>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include "server/api.h"

namespace ikv::server {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

class RoutesTest : public ::testing::Test {
 protected:
  void open(const std::string& data_dir = "") {
    app::RegistryOptions options;
    options.data_dir = data_dir;
    options.durability = eventstore::Durability::kAsync;
    registry_ = app::Registry::open(options).value();
    ledger_ = std::make_unique<IdempotencyLedger>(*registry_, [] { return std::int64_t{1}; });
    api_ = std::make_unique<ApiContext>(ApiContext{*registry_, *ledger_, {}, nullptr});
    router_ = std::make_unique<Router>();
    register_routes(*router_, *api_);
    admin_ = **registry_->bootstrap_admin(std::nullopt);
  }
  void SetUp() override { open(); }
  void TearDown() override {
    router_.reset();
    if (registry_) registry_->close();
  }

  Response call(http::verb method, const std::string& target, const std::string& token,
                const std::string& body = "", const std::string& accept = "") {
    Request req{method, target, 11};
    req.set(http::field::authorization, "Bearer " + token);
    if (!accept.empty()) req.set(http::field::accept, accept);
    if (!body.empty()) {
      req.set(http::field::content_type, "application/json");
      req.body() = body;
      req.prepare_payload();
    }
    std::promise<Response> answer;
    router_->dispatch(std::move(req), [&answer](Response r) { answer.set_value(std::move(r)); });
    auto f = answer.get_future();
    EXPECT_EQ(f.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    return f.get();
  }
  json::object get(const std::string& target, const std::string& token, unsigned status = 200) {
    Response r = call(http::verb::get, target, token);
    EXPECT_EQ(r.result_int(), status) << target << " " << r.body();
    return json::parse(r.body()).as_object();
  }
  json::object post(const std::string& target, const std::string& body) {
    Response r = call(http::verb::post, target, admin_, body);
    EXPECT_LT(r.result_int(), 300u) << target << " " << r.body();
    return json::parse(r.body()).as_object();
  }
  void establish(const std::string& id) {
    post("/v1/networks", R"({"id":")" + id +
                             R"(","name":{"fi":"F","sv":"S","en":"E"},)"
                             R"("region":"R","seat":"S","steward":"Victim Support Finland",)"
                             R"("established_on":"2019-01-01"})");
  }
  // 2 oulu, 3 turku, 4 a member of oulu, 5-6 a joint meeting of turku with
  // oulu, 7 an observation in oulu, 8 the analyst's token.
  void seed() {
    establish("oulu");
    establish("turku");
    post("/v1/networks/oulu/members",
         R"({"name":"Anna Virtanen","email":"anna@example.fi","organisation":"Poliisi",)"
         R"("sector":"police","joined_on":"2024-05-02"})");
    const auto meeting =
        post("/v1/networks/turku/meetings", R"({"scheduled_for":"2024-05-20","format":"in_person",)"
                                            R"("location":"Turku","joint_with":["oulu"]})");
    post("/v1/meetings/" + std::string(meeting.at("meeting_id").as_string()) + "/record",
         R"({"held_on":"2024-05-20","attendee_count":14,"themes":["forced_labour"]})");
    post("/v1/networks/oulu/observations",
         R"({"theme":"forced_marriage","observed_on":"2024-05-14","target_groups":["Somali"]})");
    analyst_ = std::string(
        post("/v1/tokens", R"({"name":"analyst-1","role":"analyst"})").at("token").as_string());
  }
  static std::vector<std::int64_t> positions(const json::object& page) {
    std::vector<std::int64_t> out;
    for (const auto& e : page.at("items").as_array()) out.push_back(e.at("position").as_int64());
    return out;
  }

  std::unique_ptr<app::Registry> registry_;
  std::unique_ptr<IdempotencyLedger> ledger_;
  std::unique_ptr<ApiContext> api_;
  std::unique_ptr<Router> router_;
  std::string admin_;
  std::string analyst_;
};

TEST_F(RoutesTest, EventsArePagedByPositionWithALinkToTheNextPage) {
  seed();
  Response r = call(http::verb::get, "/v1/events?after=1&limit=3&category=network", admin_);
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  const auto page = json::parse(r.body()).as_object();
  EXPECT_EQ(positions(page), (std::vector<std::int64_t>{2, 3, 4}));
  EXPECT_EQ(page.at("next_cursor"), "4");
  EXPECT_EQ(r[http::field::link], "</v1/events?limit=3&category=network&after=4>; rel=\"next\"");
  const auto last = get("/v1/events?after=4&category=network", admin_);
  EXPECT_EQ(positions(last), (std::vector<std::int64_t>{7}));
  EXPECT_TRUE(last.at("next_cursor").is_null());
  const auto& e = page.at("items").as_array().at(0).as_object();
  for (const char* k : {"position", "stream", "version", "event_id", "type", "schema_version",
                        "actor", "recorded_at", "payload"}) {
    EXPECT_TRUE(e.contains(k)) << k;
  }
  EXPECT_EQ(e.at("actor"), "admin");
}

TEST_F(RoutesTest, EventsRefuseBadParameters) {
  for (const char* q :
       {"type=Nothing", "category=people", "limit=0", "after=-1", "cursor=x", "since=1"}) {
    get(std::string("/v1/events?") + q, admin_, 422);
  }
}

TEST_F(RoutesTest, AnalystsSeeNoPersonalDataAndNobodySeesSecretHashes) {
  seed();
  const auto analyst = get("/v1/events?type=MemberJoined", analyst_);
  const auto& a = analyst.at("items").as_array().at(0).at("payload").as_object();
  EXPECT_TRUE(a.at("name").is_null());
  EXPECT_TRUE(a.at("email").is_null());
  EXPECT_EQ(a.at("erased"), false);
  const auto admin = get("/v1/events?type=MemberJoined", admin_);
  EXPECT_EQ(admin.at("items").as_array().at(0).at("payload").at("name"), "Anna Virtanen");
  const auto tokens = get("/v1/events?type=TokenIssued", admin_);
  for (const auto& t : tokens.at("items").as_array()) {
    EXPECT_FALSE(t.at("payload").as_object().contains("secret_hash"));
  }
}

TEST_F(RoutesTest, AStreamIsReadByVersionWithItsETag) {
  seed();
  Response r = call(http::verb::get, "/v1/streams/network-oulu?limit=1", admin_);
  ASSERT_EQ(r.result_int(), 200u);
  EXPECT_EQ(r[http::field::etag], "\"3\"");
  EXPECT_EQ(r[http::field::link], "</v1/streams/network-oulu?limit=1&cursor=1>; rel=\"next\"");
  const auto next = get("/v1/streams/network-oulu?limit=1&cursor=1", admin_);
  EXPECT_EQ(next.at("items").as_array().at(0).at("version"), 2);
  const auto from = get("/v1/streams/network-oulu?from_version=3", admin_);
  EXPECT_EQ(positions(from), (std::vector<std::int64_t>{7}));
  get("/v1/streams/network-atlantis", admin_, 404);
  get("/v1/streams/network-oulu?from_version=0", admin_, 422);
}

TEST_F(RoutesTest, HistoryHoldsTheNetworksOwnEventsAndItsMeetings) {
  seed();
  const auto oulu = get("/v1/networks/oulu/history", admin_);
  EXPECT_EQ(positions(oulu), (std::vector<std::int64_t>{2, 4, 5, 6, 7}));
  const auto turku = get("/v1/networks/turku/history?limit=2", admin_);
  EXPECT_EQ(positions(turku), (std::vector<std::int64_t>{3, 5}));
  EXPECT_EQ(turku.at("next_cursor"), "5");
  get("/v1/networks/atlantis/history", admin_, 404);
}

TEST_F(RoutesTest, AuditFiltersByActorTypeNetworkAndRecordedTime) {
  seed();
  EXPECT_EQ(positions(get("/v1/audit?actor=bootstrap", admin_)), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(positions(get("/v1/audit?actor=admin&network=oulu&type=MeetingHeld", admin_)),
            (std::vector<std::int64_t>{6}));
  EXPECT_TRUE(get("/v1/audit?to=2000-01-01T00:00:00Z", admin_).at("items").as_array().empty());
  EXPECT_EQ(positions(get("/v1/audit?from=2000-01-01T00:00:00Z&limit=1000", admin_)).size(), 8u);
  get("/v1/audit?from=2024-02-01T00:00:00Z&to=2024-01-01T00:00:00Z", admin_, 422);
  get("/v1/audit?network=atlantis", admin_, 422);
  get("/v1/audit?from=yesterday", admin_, 422);
  get("/v1/audit", analyst_, 403);
}

TEST_F(RoutesTest, VerificationReportsAnIntactChainAndItsHead) {
  seed();
  const auto v = get("/v1/audit/verify", admin_);
  EXPECT_EQ(v.at("ok"), true);
  EXPECT_EQ(v.at("events_checked"), 8);
  EXPECT_EQ(v.at("head_position"), 8);
  EXPECT_EQ(v.at("head_hash").as_string().size(), 64u);
}

TEST_F(RoutesTest, TrendsAnswerJsonOrCsv) {
  seed();
  const auto j =
      get("/v1/reports/trends?from=2024-01-01&to=2024-12-31&granularity=quarter", analyst_);
  const auto& periods = j.at("periods").as_array();
  ASSERT_EQ(periods.size(), 3u);  // two networks and the national row
  EXPECT_EQ(periods[0].at("period"), "2024-Q2");
  EXPECT_EQ(periods[0].at("network"), "oulu");
  EXPECT_EQ(periods[0].at("meetings_held").at("in_person"), 1);
  EXPECT_TRUE(periods[2].at("network").is_null());
  EXPECT_EQ(periods[2].at("meetings_held").at("in_person"), 2);
  Response csv =
      call(http::verb::get, "/v1/reports/trends?from=2024-01-01&to=2024-12-31&network=turku",
           analyst_, "", "text/csv");
  ASSERT_EQ(csv.result_int(), 200u);
  EXPECT_EQ(csv[http::field::content_type], "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body(),
            "period,network,measure,code,count\r\n"
            "2024-05,turku,meetings_held,in_person,1\r\n"
            "2024-05,turku,meeting_themes,forced_labour,1\r\n"
            "2024-05,turku,attendance,,14\r\n");
  get("/v1/reports/trends?granularity=week", analyst_, 422);
  get("/v1/reports/trends?theme=nothing", analyst_, 422);
}

TEST_F(RoutesTest, CoverageListsEveryNetwork) {
  seed();
  const auto c = get("/v1/reports/coverage", analyst_);
  const auto& networks = c.at("networks").as_array();
  ASSERT_EQ(networks.size(), 2u);
  EXPECT_EQ(networks[0].at("network"), "oulu");
  EXPECT_EQ(networks[0].at("members_by_sector").at("police"), 1);
  EXPECT_TRUE(networks[1].at("members_by_sector").as_object().empty());
}

TEST_F(RoutesTest, LiveFeedAndBackupNeedWhatAnInMemoryTestCannotGive) {
  Response live = call(http::verb::get, "/v1/events", admin_, "", "text/event-stream");
  EXPECT_EQ(live.result_int(), 503u);
  Response backup = call(http::verb::post, "/v1/admin/backups", admin_);
  EXPECT_EQ(backup.result_int(), 503u);
}

class BackupTest : public RoutesTest {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("ikv-backup-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    open(dir_.string());
  }
  void TearDown() override {
    RoutesTest::TearDown();
    registry_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
};

TEST_F(BackupTest, ABackupIsADataDirectoryHoldingTheLogUpToItsPosition) {
  establish("oulu");
  establish("turku");
  Response r = call(http::verb::post, "/v1/admin/backups", admin_);
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  const auto b = json::parse(r.body()).as_object();
  EXPECT_EQ(b.at("position"), 3);
  EXPECT_EQ(std::string(b.at("id").as_string()).substr(0, 7), "backup-");
  const std::string path(b.at("path").as_string());
  establish("tampere");  // after the backup
  auto copy = app::Registry::open({.data_dir = path});
  ASSERT_TRUE(copy.ok()) << copy.error().message;
  EXPECT_EQ((*copy)->store().head_position(), 3u);
  EXPECT_TRUE((*copy)->read([](const projections::RegistryView& v) {
    return v.find_network("turku") != nullptr && v.find_network("tampere") == nullptr;
  }));
  EXPECT_TRUE((*copy)->authenticate(admin_).has_value());
  Response again = call(http::verb::post, "/v1/admin/backups", admin_);
  ASSERT_EQ(again.result_int(), 200u);
  EXPECT_NE(json::parse(again.body()).at("id"), b.at("id"));
}

TEST_F(RoutesTest, ReadinessNamesThePositionWhereTheRegistryStopped) {
  establish("oulu");
  Request ready{http::verb::get, "/readyz", 11};
  std::atomic<bool> started{true};
  api_->ready = &started;
  auto probe = [&] {
    std::promise<Response> answer;
    router_->dispatch(Request(ready), [&answer](Response r) { answer.set_value(std::move(r)); });
    return answer.get_future().get();
  };
  ASSERT_EQ(probe().result_int(), 200u) << probe().body();
  // An event that does not decode, appended behind the registry's back.
  eventstore::AppendRequest bad;
  bad.stream = "network-oulu";
  bad.events.push_back({.event_id = "00000000-0000-4000-8000-00000000dead",
                        .type = "MemberJoined",
                        .schema_version = 1,
                        .payload = "not json",
                        .metadata = {},
                        .decided = nullptr});
  auto appended = registry_->store().append_sync(std::move(bad));
  ASSERT_TRUE(appended);
  const Response r = probe();
  EXPECT_EQ(r.result_int(), 503u);
  EXPECT_NE(r.body().find("position " + std::to_string(appended->last_position)), std::string::npos)
      << r.body();
  EXPECT_NE(r.body().find("does not decode"), std::string::npos) << r.body();
  // Commands are refused with the same reason.
  Response join =
      call(http::verb::post, "/v1/networks/oulu/members", admin_,
           R"({"name":"Anna Virtanen","email":"anna@example.fi","organisation":"Poliisi",)"
           R"("sector":"police","joined_on":"2024-05-02"})");
  EXPECT_EQ(join.result_int(), 503u) << join.body();
  api_->ready = nullptr;
}

}  // namespace
}  // namespace ikv::server
