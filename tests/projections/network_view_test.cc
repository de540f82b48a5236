// Networks: names, stewardship history, observations, training, and the
// taxonomy and token models kept beside them.
#include <gtest/gtest.h>

#include "projection_test_support.h"

namespace ikv::projections {
namespace {

using testing::day;
using testing::instant;
using testing::item_field;
using testing::items;
using testing::TestLog;

const std::string kTurku = domain::network_stream("turku");

using Ids = std::vector<std::string>;

TestLog stewardship_log() {
  TestLog log;
  log.at(instant("2022-03-01T09:00:00Z"))
      .add(kTurku, testing::established("turku", "2022-03-01", "Victim Support Finland"));
  log.at(instant("2023-12-15T14:00:00Z"))
      .add(kTurku, domain::StewardshipTransferred{"Assistance System for Victims of Human "
                                                  "Trafficking",
                                                  day("2024-01-01")});
  return log;
}

TEST(NetworkView, ShowsStewardshipHistoryByEffectiveDate) {
  const RegistryView view = stewardship_log().replay();
  auto n = view.network("turku", {});
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->at("steward"), "Assistance System for Victims of Human Trafficking");
  EXPECT_FALSE(n->contains("stewardship"));
  const boost::json::array expected{
      boost::json::object{{"steward", "Victim Support Finland"}, {"effective_on", "2022-03-01"}},
      boost::json::object{{"steward", "Assistance System for Victims of Human Trafficking"},
                          {"effective_on", "2024-01-01"}}};
  EXPECT_EQ(n->at("stewardship_history"), expected);
  EXPECT_EQ(n->at("version"), 2);
  EXPECT_EQ(view.version_of(kTurku), 2U);
}

TEST(NetworkView, StewardInEffectFollowsTodayWhenGiven) {
  const RegistryView view = stewardship_log().replay();
  auto december = view.network("turku", {.today = day("2023-12-31")});
  auto january = view.network("turku", {.today = day("2024-01-01")});
  ASSERT_TRUE(december.ok());
  ASSERT_TRUE(january.ok());
  EXPECT_EQ(december->at("steward"), "Victim Support Finland");
  EXPECT_EQ(january->at("steward"), "Assistance System for Victims of Human Trafficking");
}

TEST(NetworkView, ShowsNamesRegionSeatAndRenames) {
  TestLog log = stewardship_log();
  log.add(kTurku, domain::NetworkRenamed{{"Turku", "Åbo", "Turku"}});
  const RegistryView view = log.replay();
  auto n = view.network("turku", {});
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->at("id"), "turku");
  EXPECT_EQ(n->at("name").as_object().at("sv"), "Åbo");
  EXPECT_EQ(n->at("region"), "Region of turku");
  EXPECT_EQ(n->at("seat"), "Seat of turku");
  EXPECT_EQ(n->at("established_on"), "2022-03-01");
  EXPECT_EQ(n->at("version"), 3);
  EXPECT_FALSE(view.network("oulu", {}).ok());
  EXPECT_EQ(view.network("oulu", {}).error().code, ErrorCode::kNotFound);
}

TEST(NetworkView, ListsTrainingRequestsAndDeliveriesWithCounts) {
  TestLog log = stewardship_log();
  log.add(kTurku, domain::TrainingRequested{"r1", "victim_identification", day("2024-05-10"),
                                            "for the police"});
  log.add(kTurku, domain::TrainingRequested{"r2", "trafficking_phenomenon", day("2024-05-11"),
                                            std::nullopt});
  log.add(kTurku, domain::TrainingDelivered{"t1", "victim_identification", day("2024-09-03"), 25});
  const RegistryView view = log.replay();
  auto n = view.network("turku", {});
  ASSERT_TRUE(n.ok());
  const auto& training = n->at("training").as_object();
  EXPECT_EQ(training.at("requested"), 2);
  EXPECT_EQ(training.at("delivered"), 1);
  EXPECT_EQ(training.at("participants"), 25);
  EXPECT_EQ(training.at("requests").as_array()[0].as_object().at("notes"), "for the police");
  EXPECT_EQ(training.at("requests").as_array()[1].as_object().at("topic"),
            "trafficking_phenomenon");
  EXPECT_EQ(training.at("deliveries").as_array()[0].as_object().at("delivered_on"), "2024-09-03");
}

TestLog observation_log() {
  TestLog log = stewardship_log();
  log.add(kTurku, testing::observed("o3", "forced_labour", "2024-05-20", {"Thai"}));
  log.add(kTurku, testing::observed("o1", "reluctance_to_report", "2024-05-14"));
  log.add(kTurku, testing::observed("o2", "forced_labour", "2024-04-02", {"Ukrainian"}));
  log.add(kTurku, testing::observed("o4", "undocumented_persons", "2024-05-14"));
  return log;
}

TEST(ObservationView, ListsByObservedDateThenLogPosition) {
  TestLog log = observation_log();
  log.add(kTurku, testing::observed("o0", "forced_labour", "2024-05-14"));
  auto later = log.replay().observations("turku", {});
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(item_field(*later, "observation_id"), (Ids{"o2", "o1", "o4", "o0", "o3"}));

  const RegistryView view = observation_log().replay();
  auto all = view.observations("turku", {});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(item_field(*all, "observation_id"), (Ids{"o2", "o1", "o4", "o3"}));
  const auto& o3 = items(*all)[3].as_object();
  EXPECT_EQ(o3.at("network"), "turku");
  EXPECT_FALSE(o3.contains("network_id"));
  EXPECT_EQ(o3.at("target_groups").as_array()[0], "Thai");
  EXPECT_TRUE(o3.at("meeting_id").is_null());
}

TEST(ObservationView, CarriesTheLogPositionOfItsEvent) {
  // The stewardship log holds positions 1 and 2; o3, o1, o2, o4 follow.
  const RegistryView view = observation_log().replay();
  auto all = view.observations("turku", {});
  ASSERT_TRUE(all.ok());
  std::vector<std::uint64_t> positions;
  for (const auto& item : items(*all)) {
    positions.push_back(item.as_object().at("position").to_number<std::uint64_t>());
  }
  EXPECT_EQ(positions, (std::vector<std::uint64_t>{5, 4, 6, 3}));
  EXPECT_EQ(items(*all)[3].as_object().at("recorded_at"), "2023-12-15T14:00:01.000000Z");
}

TEST(ObservationView, FiltersByThemeAndInclusiveDateRange) {
  const RegistryView view = observation_log().replay();
  auto labour = view.observations("turku", {.theme = "forced_labour"});
  ASSERT_TRUE(labour.ok());
  EXPECT_EQ(item_field(*labour, "observation_id"), (Ids{"o2", "o3"}));
  auto may = view.observations("turku", {.from = day("2024-05-14"), .to = day("2024-05-20")});
  ASSERT_TRUE(may.ok());
  EXPECT_EQ(item_field(*may, "observation_id"), (Ids{"o1", "o4", "o3"}));
  auto both = view.observations(
      "turku", {.theme = "forced_labour", .from = day("2024-05-01"), .to = std::nullopt});
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(item_field(*both, "observation_id"), (Ids{"o3"}));
}

TEST(ObservationView, RejectsBadRangesAndUnknownThemes) {
  const RegistryView view = observation_log().replay();
  auto reversed = view.observations("turku", {.from = day("2024-06-01"), .to = day("2024-05-01")});
  ASSERT_FALSE(reversed.ok());
  EXPECT_EQ(reversed.error().code, ErrorCode::kInvalidArgument);
  auto unknown = view.observations("turku", {.theme = "no_such_theme"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
}

TEST(ObservationView, PagesWithCursors) {
  const RegistryView view = observation_log().replay();
  auto first = view.observations("turku", {.page = {.limit = 3, .cursor = std::nullopt}});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(item_field(*first, "observation_id"), (Ids{"o2", "o1", "o4"}));
  ASSERT_TRUE(first->at("next_cursor").is_string());
  auto second = view.observations(
      "turku", {.page = {.limit = 3, .cursor = std::string(first->at("next_cursor").as_string())}});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(item_field(*second, "observation_id"), (Ids{"o3"}));
  EXPECT_TRUE(second->at("next_cursor").is_null());
}

TEST(TaxonomyView, StartsWithTheBuiltInEntriesAndAddsNewOnes) {
  TestLog log;
  const RegistryView builtin = log.replay();
  const auto before = builtin.taxonomy_json();
  EXPECT_EQ(before.at("meeting_formats").as_array().size(), 3U);
  EXPECT_EQ(before.at("training_topics").as_array().size(), 2U);
  EXPECT_EQ(before.at("version"), 0);

  log.add(domain::taxonomy_stream(),
          domain::TaxonomyEntryAdded{domain::TaxonomyKind::kTheme,
                                     "debt_bondage",
                                     {"Velkaorjuus", "Skuldslaveri", "Debt bondage"}});
  log.add(domain::taxonomy_stream(),
          domain::TaxonomyEntryAdded{
              domain::TaxonomyKind::kSector, "customs", {"Tulli", "Tullen", "Customs"}});
  const RegistryView view = log.replay();
  const auto after = view.taxonomy_json();
  EXPECT_EQ(after.at("themes").as_array().size(), before.at("themes").as_array().size() + 1);
  EXPECT_EQ(after.at("sectors").as_array().size(), before.at("sectors").as_array().size() + 1);
  bool found = false;
  for (const auto& entry : after.at("themes").as_array()) {
    if (entry.as_object().at("code") == "debt_bondage") {
      found = true;
      EXPECT_EQ(entry.as_object().at("labels").as_object().at("sv"), "Skuldslaveri");
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(view.version_of("taxonomy"), 2U);
  EXPECT_EQ(after.at("version"), 2);
  // The new codes are accepted by the query filters.
  log.add(kTurku, testing::established("turku"));
  EXPECT_TRUE(log.replay().members("turku", {.sector = "customs"}).ok());
}

TEST(TokenView, ListsTokensWithoutSecretsAndShowsRevocation) {
  TestLog log;
  log.at(instant("2024-01-05T10:00:00Z"))
      .add(domain::token_stream("t1"),
           domain::TokenIssued{
               "t1", "oulu-app", domain::Role::kCoordinator, {"oulu"}, std::string(64, 'a')});
  log.add(domain::token_stream("t2"),
          domain::TokenIssued{"t2", "analyst-1", domain::Role::kAnalyst, {}, std::string(64, 'b')});
  log.at(instant("2024-02-01T00:00:00Z"))
      .add(domain::token_stream("t1"), domain::TokenRevoked{"t1"});
  const RegistryView view = log.replay();
  auto list = view.tokens({});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(item_field(*list, "id"), (Ids{"t1", "t2"}));
  const auto& t1 = items(*list)[0].as_object();
  EXPECT_EQ(t1.at("name"), "oulu-app");
  EXPECT_EQ(t1.at("role"), "coordinator");
  EXPECT_EQ(t1.at("networks").as_array()[0], "oulu");
  EXPECT_EQ(t1.at("issued_at"), "2024-01-05T10:00:00.000000Z");
  EXPECT_EQ(t1.at("revoked"), true);
  EXPECT_EQ(t1.at("revoked_at"), "2024-02-01T00:00:00.000000Z");
  EXPECT_EQ(items(*list)[1].as_object().at("revoked"), false);
  const std::string all = boost::json::serialize(view.dump());
  EXPECT_EQ(all.find(std::string(64, 'a')), std::string::npos);
  EXPECT_EQ(all.find("secret"), std::string::npos);
  EXPECT_EQ(view.token("t3").error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace ikv::projections
