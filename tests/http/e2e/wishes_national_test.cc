// Wishes and goals of a network and the national findings over HTTP (API.md,
// Release 2, the field's model): recorded, listed in order, refused with 403
// to the wrong token and with one 422 naming every invalid field, and kept
// across a restart (from the snapshot and from the log).
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "tests/http/e2e/e2e_server.h"

namespace ikv::e2e {
namespace {

namespace json = boost::json;

class WishesAndFindings : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = start_suite_server({{"wish-north", "coordinator", {"north"}},
                                 {"wish-south", "coordinator", {"south"}},
                                 {"wish-analyst", "analyst"}})
                 .release();
    if (suite_ == nullptr) return;
    server_ = suite_->server.get();
  }
  static void TearDownTestSuite() {
    if (server_ != nullptr) server_->stop();
    delete suite_;
    suite_ = nullptr;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(server_, nullptr); }

  static const std::string& north() { return suite_->secrets[0]; }
  static const std::string& south() { return suite_->secrets[1]; }
  static const std::string& analyst() { return suite_->secrets[2]; }

  static Answer post(std::string_view path, const json::value& v, const Auth& auth = {},
                     const Headers& headers = {}) {
    return server_->call("POST", path, body(v), headers, auth);
  }
  static Answer get(std::string_view path, const Auth& auth = {}) {
    return server_->call("GET", path, {}, {}, auth);
  }
  // The "field" of every error of a 422.
  static std::set<std::string> fields(const Answer& a) {
    std::set<std::string> out;
    if (!a.json.is_object() || !a.json.as_object().contains("errors")) return out;
    for (const auto& e : a.json.at("errors").as_array()) {
      out.insert(std::string(e.at("field").as_string()));
    }
    return out;
  }

  static inline SuiteServer* suite_ = nullptr;
  static inline E2eServer* server_ = nullptr;
};

TEST_F(WishesAndFindings, ACoordinatorRecordsWishesListedByDate) {
  Answer later = post("/v1/networks/north/wishes",
                      {{"kind", "meeting_format"},
                       {"text", "Etätapaamisia talvella"},
                       {"recorded_on", "2024-11-05"},
                       {"format", "remote"}},
                      Auth::bearer(north()));
  ASSERT_EQ(later.status, 200u) << later.body;
  EXPECT_EQ(later.str("id"), "north");
  EXPECT_FALSE(later.str("wish_id").empty());
  EXPECT_GE(later.num("version"), 2);
  EXPECT_GE(later.num("position"), 1);
  Answer earlier = post("/v1/networks/north/wishes",
                        {{"kind", "joint_meeting"},
                         {"text", " A joint meeting with south "},
                         {"recorded_on", "2024-11"}},
                        Auth::bearer(north()));
  ASSERT_EQ(earlier.status, 200u) << earlier.body;

  Answer list = get("/v1/networks/north/wishes", Auth::bearer(analyst()));
  ASSERT_EQ(list.status, 200u) << list.body;
  const auto& items = list.json.at("items").as_array();
  ASSERT_EQ(items.size(), 2u) << list.body;
  // "2024-11" sorts as the month's first day, before 2024-11-05.
  EXPECT_EQ(items[0].at("wish_id"), json::value(earlier.str("wish_id")));
  EXPECT_EQ(items[0].at("kind"), json::value("joint_meeting"));
  EXPECT_EQ(items[0].at("text"), json::value("A joint meeting with south"));
  EXPECT_EQ(items[0].at("recorded_on"), json::value("2024-11"));
  EXPECT_TRUE(items[0].at("format").is_null());
  EXPECT_EQ(items[1].at("format"), json::value("remote"));
  EXPECT_EQ(items[1].at("network"), json::value("north"));
  EXPECT_TRUE(list.json.at("next_cursor").is_null());

  // Paged like every list.
  Answer first = get("/v1/networks/north/wishes?limit=1");
  ASSERT_EQ(first.status, 200u);
  ASSERT_TRUE(first.json.at("next_cursor").is_string()) << first.body;
  Answer second = get("/v1/networks/north/wishes?limit=1&cursor=" +
                      std::string(first.json.at("next_cursor").as_string()));
  ASSERT_EQ(second.status, 200u) << second.body;
  EXPECT_EQ(second.json.at("items").at(0).at("wish_id"), json::value(later.str("wish_id")));
}

TEST_F(WishesAndFindings, WishesAreRefusedToOtherNetworksAndReadersAndForUnknownNetworks) {
  const json::value wish = {
      {"kind", "training"}, {"text", "Identification"}, {"recorded_on", "2024-09"}};
  EXPECT_EQ(post("/v1/networks/north/wishes", wish, Auth::bearer(south())).status, 403u);
  EXPECT_EQ(post("/v1/networks/north/wishes", wish, Auth::bearer(analyst())).status, 403u);
  EXPECT_EQ(post("/v1/networks/nowhere/wishes", wish).status, 404u);
  EXPECT_EQ(get("/v1/networks/nowhere/wishes").status, 404u);
}

TEST_F(WishesAndFindings, OneAnswerNamesEveryInvalidFieldOfAWish) {
  Answer bad = post("/v1/networks/south/wishes",
                    {{"kind", "party"}, {"text", " "}, {"recorded_on", "2024-02-30"}},
                    Auth::bearer(south()));
  ASSERT_EQ(bad.status, 422u) << bad.body;
  EXPECT_EQ(bad.header("Content-Type"), "application/problem+json");
  EXPECT_EQ(fields(bad), (std::set<std::string>{"/kind", "/text", "/recorded_on"})) << bad.body;
  // The format rule: required for meeting_format (and of the taxonomy), refused otherwise.
  Answer missing = post("/v1/networks/south/wishes",
                        {{"kind", "meeting_format"}, {"text", "x"}, {"recorded_on", "2024-02"}});
  EXPECT_EQ(missing.status, 422u);
  EXPECT_EQ(fields(missing), (std::set<std::string>{"/format"})) << missing.body;
  Answer unknown = post(
      "/v1/networks/south/wishes",
      {{"kind", "meeting_format"}, {"text", "x"}, {"recorded_on", "2024-02"}, {"format", "fax"}});
  EXPECT_EQ(fields(unknown), (std::set<std::string>{"/format"})) << unknown.body;
  Answer refused =
      post("/v1/networks/south/wishes",
           {{"kind", "other"}, {"text", "x"}, {"recorded_on", "2024-02"}, {"format", "remote"}});
  EXPECT_EQ(fields(refused), (std::set<std::string>{"/format"})) << refused.body;
  Answer extra = post("/v1/networks/south/wishes",
                      {{"kind", "other"}, {"text", "x"}, {"recorded_on", "2024-02"}, {"who", 1}});
  EXPECT_EQ(fields(extra), (std::set<std::string>{"/who"})) << extra.body;
  // Nothing was written.
  Answer list = get("/v1/networks/south/wishes");
  EXPECT_EQ(list.json.at("items").as_array().size(), 0u) << list.body;
}

TEST_F(WishesAndFindings, AnAdminRecordsNationalFindingsOfNoNetwork) {
  Answer a = post("/v1/observations", {{"theme", "labour_exploitation"},
                                       {"observed_on", "2024-08"},
                                       {"target_groups", json::array{"Thailändare", "Pickers"}},
                                       {"summary", "Berry pickers in several regions"}});
  ASSERT_EQ(a.status, 200u) << a.body;
  EXPECT_EQ(a.str("id"), "national");
  EXPECT_TRUE(a.json.at("network").is_null());
  const std::string id = a.str("observation_id");
  ASSERT_FALSE(id.empty());

  Answer list = get("/v1/observations?scope=national", Auth::bearer(analyst()));
  ASSERT_EQ(list.status, 200u) << list.body;
  const auto& items = list.json.at("items").as_array();
  ASSERT_EQ(items.size(), 1u) << list.body;
  EXPECT_TRUE(items[0].at("network").is_null());
  EXPECT_EQ(items[0].at("observation_id"), json::value(id));
  EXPECT_EQ(items[0].at("target_groups"), (json::value{"thai", "Pickers"}));
  EXPECT_TRUE(items[0].at("meeting_id").is_null());
  // Filtered like a network's list; no network lists it.
  EXPECT_EQ(get("/v1/observations?scope=national&theme=forced_marriage")
                .json.at("items")
                .as_array()
                .size(),
            0u);
  for (const char* n : {"north", "south"}) {
    Answer own = get("/v1/networks/" + std::string(n) + "/observations");
    EXPECT_EQ(own.json.at("items").as_array().size(), 0u) << own.body;
  }
  // national is the only scope, and the default.
  EXPECT_EQ(get("/v1/observations").body, list.body);
  EXPECT_EQ(get("/v1/observations?scope=all").status, 422u);

  // Retracted by an admin: still listed, marked; again changes nothing.
  Answer r = post("/v1/observations/" + id + "/retract", {{"reason", "recorded twice"}});
  ASSERT_EQ(r.status, 200u) << r.body;
  Answer again = post("/v1/observations/" + id + "/retract", {{"reason", "again"}});
  EXPECT_EQ(again.status, 200u) << again.body;
  EXPECT_EQ(again.num("version"), r.num("version"));
  Answer after = get("/v1/observations?scope=national");
  EXPECT_EQ(after.json.at("items").at(0).at("retracted"), json::value(true));
  EXPECT_EQ(post("/v1/observations/no-such-id/retract", {{"reason", "x"}}).status, 404u);
  // The stream "national" is in the log with its own category.
  Answer events = get("/v1/events?category=national");
  ASSERT_EQ(events.status, 200u) << events.body;
  EXPECT_EQ(events.json.at("items").as_array().size(), 2u) << events.body;
}

TEST_F(WishesAndFindings, NationalFindingsAreAnAdminsOnly) {
  const json::value finding = {{"theme", "forced_labour"}, {"observed_on", "2024-06-01"}};
  EXPECT_EQ(post("/v1/observations", finding, Auth::bearer(north())).status, 403u);
  EXPECT_EQ(post("/v1/observations", finding, Auth::bearer(analyst())).status, 403u);
  EXPECT_EQ(post("/v1/observations/x/retract", {{"reason", "x"}}, Auth::bearer(north())).status,
            403u);
  // Anyone reads them.
  EXPECT_EQ(get("/v1/observations?scope=national", Auth::bearer(north())).status, 200u);
}

TEST_F(WishesAndFindings, OneAnswerNamesEveryInvalidFieldOfAFinding) {
  Answer bad = post("/v1/observations", {{"theme", "weather"},
                                         {"observed_on", "2023-02-29"},
                                         {"target_groups", json::array{""}},
                                         {"meeting_id", "m-1"}});
  ASSERT_EQ(bad.status, 422u) << bad.body;
  EXPECT_EQ(fields(bad),
            (std::set<std::string>{"/theme", "/observed_on", "/target_groups/0", "/meeting_id"}))
      << bad.body;
}

TEST(WishesAndFindingsRestart, AreKeptFromTheSnapshotAndFromTheLog) {
  TempDir dir;
  const std::string data = dir.sub("data");
  std::string wish_id;
  std::string finding_id;
  {
    auto server = E2eServer::start(data);
    ASSERT_TRUE(server);
    ASSERT_EQ(server->call("POST", "/v1/networks", network_body("lapland")).status, 201u);
    Answer w = server->call("POST", "/v1/networks/lapland/wishes",
                            body({{"kind", "training"},
                                  {"text", "Training on forced labour"},
                                  {"recorded_on", "2025-01"}}));
    ASSERT_EQ(w.status, 200u) << w.body;
    wish_id = w.str("wish_id");
    Answer f = server->call("POST", "/v1/observations",
                            body({{"theme", "forced_labour"}, {"observed_on", "2025-01-10"}}));
    ASSERT_EQ(f.status, 200u) << f.body;
    finding_id = f.str("observation_id");
    ASSERT_EQ(server->stop().code, 0);
  }
  const auto check = [&](E2eServer& server) {
    Answer w = server.call("GET", "/v1/networks/lapland/wishes");
    ASSERT_EQ(w.status, 200u) << w.body;
    ASSERT_EQ(w.json.at("items").as_array().size(), 1u) << w.body;
    EXPECT_EQ(w.json.at("items").at(0).at("wish_id"), json::value(wish_id));
    Answer f = server.call("GET", "/v1/observations?scope=national");
    ASSERT_EQ(f.status, 200u) << f.body;
    ASSERT_EQ(f.json.at("items").as_array().size(), 1u) << f.body;
    EXPECT_EQ(f.json.at("items").at(0).at("observation_id"), json::value(finding_id));
  };
  {
    auto server = E2eServer::start(data);  // from the snapshot written on the clean stop
    ASSERT_TRUE(server);
    check(*server);
    ASSERT_EQ(server->stop().code, 0);
  }
  std::filesystem::remove_all(data + "/snapshots");
  auto server = E2eServer::start(data);  // the whole log replayed
  ASSERT_TRUE(server);
  check(*server);
}

}  // namespace
}  // namespace ikv::e2e
