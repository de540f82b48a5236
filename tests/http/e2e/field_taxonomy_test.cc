// The field's model over HTTP (API.md, Release 2): theme families and
// families_ranked in the trends, target groups as a taxonomy (written groups
// stored as their code), training topics added by an admin, and training
// requests listed with their status once a delivery names them.
#include <gtest/gtest.h>

#include <set>

#include "tests/http/e2e/e2e_server.h"

namespace ikv::e2e {
namespace {

namespace json = boost::json;

class FieldTaxonomy : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    server_ = E2eServer::start(dir_->sub("data")).release();
    if (server_ == nullptr) return;
    for (const char* id : {"east", "west", "north"}) {
      EXPECT_EQ(server_->call("POST", "/v1/networks", network_body(id)).status, 201u);
    }
    coordinator_ = new std::string(issue_token(*server_, "tx-east", "coordinator", {"east"}));
    analyst_ = new std::string(issue_token(*server_, "tx-analyst", "analyst"));
  }
  static void TearDownTestSuite() {
    if (server_ != nullptr) server_->stop();
    delete server_;
    delete dir_;
    delete coordinator_;
    delete analyst_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(server_, nullptr); }

  static Answer post(std::string_view path, const json::value& v, const Auth& auth = {}) {
    return server_->call("POST", path, body(v), {}, auth);
  }
  static json::object labels(std::string_view fi, std::string_view sv, std::string_view en) {
    return json::object{{"fi", fi}, {"sv", sv}, {"en", en}};
  }
  // The entry of `code` in GET /v1/taxonomy's list `list`.
  static json::object entry(std::string_view list, std::string_view code) {
    Answer a = server_->call("GET", "/v1/taxonomy", {}, {}, Auth::bearer(*analyst_));
    EXPECT_EQ(a.status, 200u) << a.body;
    if (a.status != 200) return {};
    for (const auto& e : a.json.at(list).as_array()) {
      if (e.at("code") == json::value(code)) return e.as_object();
    }
    return {};
  }
  static std::string observe(std::string_view network, std::string_view theme,
                             const json::array& groups = {},
                             std::string_view observed_on = "2024-05-20") {
    Answer a = post("/v1/networks/" + std::string(network) + "/observations",
                    {{"theme", theme}, {"observed_on", observed_on}, {"target_groups", groups}});
    EXPECT_EQ(a.status, 200u) << a.body;
    return a.str("observation_id");
  }

  static inline TempDir* dir_ = nullptr;
  static inline E2eServer* server_ = nullptr;
  static inline std::string* coordinator_ = nullptr;
  static inline std::string* analyst_ = nullptr;
};

TEST_F(FieldTaxonomy, ThemesHaveFamiliesAndTrendsRankThem) {
  EXPECT_EQ(entry("themes", "labour_exploitation").at("family"), json::value("forced_labour"));
  EXPECT_TRUE(entry("themes", "forced_labour").at("family").is_null());

  Answer added = post("/v1/taxonomy/themes",
                      {{"code", "debt_bondage"},
                       {"labels", labels("Velkaorjuus", "Skuldslaveri", "Debt bondage")},
                       {"family", "forced_labour"}});
  ASSERT_EQ(added.status, 201u) << added.body;
  EXPECT_EQ(added.header("Location"), "/v1/taxonomy/themes/debt_bondage");
  EXPECT_EQ(entry("themes", "debt_bondage").at("family"), json::value("forced_labour"));

  // A family must be a theme, and one in no family itself.
  Answer unknown = post(
      "/v1/taxonomy/themes",
      {{"code", "wage_theft"}, {"labels", labels("a", "b", "c")}, {"family", "no_such_theme"}});
  EXPECT_EQ(unknown.status, 422u) << unknown.body;
  Answer nested = post("/v1/taxonomy/themes", {{"code", "wage_theft"},
                                               {"labels", labels("a", "b", "c")},
                                               {"family", "labour_exploitation"}});
  EXPECT_EQ(nested.status, 422u) << nested.body;
  EXPECT_NE(nested.body.find("/family"), std::string::npos) << nested.body;
  // The same theme with another family is a conflict; a sector has no family.
  Answer other = post("/v1/taxonomy/themes",
                      {{"code", "debt_bondage"},
                       {"labels", labels("Velkaorjuus", "Skuldslaveri", "Debt bondage")},
                       {"family", "forced_marriage"}});
  EXPECT_EQ(other.status, 409u) << other.body;
  EXPECT_EQ(post("/v1/taxonomy/sectors", {{"code", "customs"},
                                          {"labels", labels("Tulli", "Tullen", "Customs")},
                                          {"family", "forced_labour"}})
                .status,
            422u);

  // east raises two themes of the forced-labour family, west one, north another family.
  observe("east", "forced_labour", {}, "2024-03-05");
  observe("east", "labour_exploitation", {}, "2024-03-06");
  observe("west", "debt_bondage", {}, "2024-03-07");
  observe("north", "forced_marriage", {}, "2024-03-08");
  Answer t = server_->call("GET", "/v1/reports/trends?from=2024-03-01&to=2024-03-31", {}, {},
                           Auth::bearer(*analyst_));
  ASSERT_EQ(t.status, 200u) << t.body;
  const json::array& families = t.json.at("families_ranked").as_array();
  ASSERT_EQ(families.size(), 2u) << t.body;
  EXPECT_EQ(families[0],
            (json::value{{"family", "forced_labour"}, {"networks", 2}, {"national", false}}));
  EXPECT_EQ(families[1],
            (json::value{{"family", "forced_marriage"}, {"networks", 1}, {"national", false}}));
  EXPECT_EQ(t.json.at("themes_ranked").as_array().size(), 4u) << t.body;

  // The theme filter narrows the families too.
  Answer f =
      server_->call("GET", "/v1/reports/trends?from=2024-03-01&to=2024-03-31&theme=debt_bondage",
                    {}, {}, Auth::bearer(*analyst_));
  ASSERT_EQ(f.status, 200u) << f.body;
  EXPECT_EQ(f.json.at("families_ranked"),
            json::value(json::array{
                json::object{{"family", "forced_labour"}, {"networks", 1}, {"national", false}}}));
}

TEST_F(FieldTaxonomy, WrittenTargetGroupsAreStoredAsTheirCode) {
  const json::object ukrainian = entry("target_groups", "ukrainian");
  EXPECT_EQ(ukrainian.at("labels"), json::value(labels("ukrainalaiset", "ukrainare", "Ukrainian")));
  EXPECT_TRUE(ukrainian.at("aliases").is_array());
  EXPECT_FALSE(entry("target_groups", "thai").empty());

  observe("north", "seasonal_work", {" ukrainalaiset", "UKRAINARE", "Nepalese"});
  observe("north", "seasonal_work", {"Ukrainian "});
  Answer list = server_->call("GET", "/v1/networks/north/observations?theme=seasonal_work");
  ASSERT_EQ(list.status, 200u) << list.body;
  const json::array& items = list.json.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("target_groups"), json::value(json::array{"ukrainian", "Nepalese"}));
  EXPECT_EQ(items[1].at("target_groups"), json::value(json::array{"ukrainian"}));
  Answer t = server_->call("GET", "/v1/reports/trends?network=north&theme=seasonal_work", {}, {},
                           Auth::bearer(*analyst_));
  ASSERT_EQ(t.status, 200u) << t.body;
  EXPECT_EQ(t.json.at("periods").at(0).at("target_groups"),
            (json::value{{"ukrainian", 2}, {"Nepalese", 1}}));
}

TEST_F(FieldTaxonomy, AnAdminAddsTargetGroups) {
  Answer added = post("/v1/taxonomy/target-groups",
                      {{"code", "vietnamese"},
                       {"labels", labels("vietnamilaiset", "vietnameser", "Vietnamese")},
                       {"aliases", {"vietnamilainen", " Viets "}}});
  ASSERT_EQ(added.status, 201u) << added.body;
  EXPECT_EQ(added.header("Location"), "/v1/taxonomy/target-groups/vietnamese");
  EXPECT_EQ(entry("target_groups", "vietnamese").at("aliases"),
            json::value(json::array{"vietnamilainen", "Viets"}));
  // The same again changes nothing.
  EXPECT_EQ(post("/v1/taxonomy/target-groups",
                 {{"code", "vietnamese"},
                  {"labels", labels("vietnamilaiset", "vietnameser", "Vietnamese")},
                  {"aliases", {"vietnamilainen", "Viets"}}})
                .status,
            201u);
  // A term of another group: 409 naming that group.
  Answer taken =
      post("/v1/taxonomy/target-groups",
           {{"code", "south_east_asians"},
            {"labels", labels("kaakkoisaasialaiset", "sydostasiater", "South-East Asians")},
            {"aliases", {"VIETS"}}});
  EXPECT_EQ(taken.status, 409u) << taken.body;
  EXPECT_NE(taken.body.find("target_group_term_taken"), std::string::npos) << taken.body;
  EXPECT_NE(taken.body.find("'vietnamese'"), std::string::npos) << taken.body;
  Answer blank =
      post("/v1/taxonomy/target-groups",
           {{"code", "nepalese"}, {"labels", labels("a", "b", "c")}, {"aliases", {" "}}});
  EXPECT_EQ(blank.status, 422u) << blank.body;
  // A theme has no aliases; a coordinator may not add target groups.
  EXPECT_EQ(post("/v1/taxonomy/themes",
                 {{"code", "wage_theft"}, {"labels", labels("a", "b", "c")}, {"aliases", {"x"}}})
                .status,
            422u);
  EXPECT_EQ(
      post("/v1/taxonomy/target-groups", {{"code", "nepalese"}, {"labels", labels("a", "b", "c")}},
           Auth::bearer(*coordinator_))
          .status,
      403u);
  // Used at once.
  observe("west", "other", {"Vietnamilainen"});
  Answer list = server_->call("GET", "/v1/networks/west/observations?theme=other");
  ASSERT_EQ(list.status, 200u) << list.body;
  EXPECT_EQ(list.json.at("items").at(0).at("target_groups"),
            json::value(json::array{"vietnamese"}));
}

TEST_F(FieldTaxonomy, AnAdminAddsTrainingTopics) {
  Answer added = post("/v1/taxonomy/training-topics",
                      {{"code", "labour_exploitation"},
                       {"labels", labels("Työperäinen hyväksikäyttö", "Arbetsrelaterat utnyttjande",
                                         "Labour exploitation")}});
  ASSERT_EQ(added.status, 201u) << added.body;
  EXPECT_EQ(added.str("id"), "labour_exploitation");
  EXPECT_EQ(added.header("Location"), "/v1/taxonomy/training-topics/labour_exploitation");
  EXPECT_FALSE(entry("training_topics", "labour_exploitation").empty());
  EXPECT_EQ(post("/v1/taxonomy/training-topics",
                 {{"code", "labour_exploitation"}, {"labels", labels("x", "y", "z")}})
                .status,
            409u);
  EXPECT_EQ(post("/v1/taxonomy/training-topics",
                 {{"code", "Bad Code"}, {"labels", labels("x", "y", "z")}})
                .status,
            422u);
  EXPECT_EQ(
      post("/v1/taxonomy/training-topics",
           {{"code", "other_topic"}, {"labels", labels("x", "y", "z")}}, Auth::bearer(*analyst_))
          .status,
      403u);
  // Used at once.
  EXPECT_EQ(post("/v1/networks/east/training-requests",
                 {{"topic", "labour_exploitation"}, {"requested_on", "2024-05-21"}})
                .status,
            200u);
}

TEST_F(FieldTaxonomy, TrainingRequestsAreListedWithTheirStatus) {
  Answer r1 = post("/v1/networks/west/training-requests",
                   {{"topic", "victim_identification"}, {"requested_on", "2024-05-21"}}, Auth{});
  ASSERT_EQ(r1.status, 200u) << r1.body;
  const std::string first = r1.str("request_id");
  Answer r2 = post("/v1/networks/west/training-requests",
                   {{"topic", "trafficking_phenomenon"}, {"requested_on", "2024-05-22"}});
  ASSERT_EQ(r2.status, 200u) << r2.body;

  Answer delivered = post("/v1/networks/west/trainings", {{"topic", "victim_identification"},
                                                          {"delivered_on", "2024-11-20"},
                                                          {"participants", 21},
                                                          {"request_id", first}});
  ASSERT_EQ(delivered.status, 200u) << delivered.body;
  EXPECT_EQ(delivered.str("request_id"), first);
  const std::string training = delivered.str("training_id");

  // Delivered once only; a request of another network or none at all is 422.
  Answer again = post("/v1/networks/west/trainings", {{"topic", "victim_identification"},
                                                      {"delivered_on", "2024-12-01"},
                                                      {"participants", 5},
                                                      {"request_id", first}});
  EXPECT_EQ(again.status, 409u) << again.body;
  Answer elsewhere = post("/v1/networks/east/trainings", {{"topic", "victim_identification"},
                                                          {"delivered_on", "2024-12-01"},
                                                          {"participants", 5},
                                                          {"request_id", first}});
  EXPECT_EQ(elsewhere.status, 422u) << elsewhere.body;

  Answer page = server_->call("GET", "/v1/networks/west/training-requests?limit=1", {}, {},
                              Auth::bearer(*analyst_));
  ASSERT_EQ(page.status, 200u) << page.body;
  const json::value& one = page.json.at("items").at(0);
  EXPECT_EQ(one.at("request_id"), json::value(first));
  EXPECT_EQ(one.at("status"), json::value("delivered"));
  EXPECT_EQ(one.at("delivery"),
            (json::value{{"training_id", training}, {"delivered_on", "2024-11-20"}}));
  ASSERT_TRUE(page.json.at("next_cursor").is_string()) << page.body;
  EXPECT_TRUE(page.has_header("Link"));
  Answer next = server_->call("GET",
                              "/v1/networks/west/training-requests?limit=1&cursor=" +
                                  std::string(page.json.at("next_cursor").as_string()),
                              {}, {}, Auth::bearer(*coordinator_));
  ASSERT_EQ(next.status, 200u) << next.body;
  EXPECT_EQ(next.json.at("items").at(0).at("request_id"), json::value(r2.str("request_id")));
  EXPECT_EQ(next.json.at("items").at(0).at("status"), json::value("open"));
  EXPECT_TRUE(next.json.at("items").at(0).at("delivery").is_null());
  EXPECT_TRUE(next.json.at("next_cursor").is_null());

  // The network's detail shows which request a delivery answered.
  Answer detail = server_->call("GET", "/v1/networks/west");
  ASSERT_EQ(detail.status, 200u) << detail.body;
  EXPECT_EQ(detail.json.at("training").at("deliveries").at(0).at("request_id"), json::value(first));

  EXPECT_EQ(server_->call("GET", "/v1/networks/nowhere/training-requests").status, 404u);
  EXPECT_EQ(server_->call("GET", "/v1/networks/west/training-requests?cursor=zzz").status, 422u);
  EXPECT_EQ(server_->call("GET", "/v1/networks/west/training-requests?limit=0").status, 422u);
}

}  // namespace
}  // namespace ikv::e2e
