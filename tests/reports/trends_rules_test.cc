// What the trend report counts, and in which period: effective dates, joint
// meetings, members, training, target groups, filters.
#include <gtest/gtest.h>

#include "projection_test_support.h"
#include "projections/trends.h"

namespace ikv::projections {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)
using domain::network_stream;
namespace json = boost::json;

TrendQuery query(const char* from, const char* to, Granularity g = Granularity::kMonth) {
  TrendQuery q;
  q.from = day(from);
  q.to = day(to);
  q.today = day("2024-12-31");
  q.granularity = g;
  return q;
}

const TrendPeriod* find(const TrendReport& r, std::string_view period, std::string_view network) {
  for (const TrendPeriod& p : r.periods) {
    if (p.period == period && p.network == network) return &p;
  }
  return nullptr;
}

domain::MeetingHeld held_with(const char* on, std::vector<std::string> themes) {
  return {day(on), {}, 12, std::move(themes), std::nullopt};
}

TEST(TrendRules, CountsEachFactInThePeriodOfItsEffectiveDate) {
  TestLog log;
  log.add(network_stream("oulu"), established("oulu"));
  // Recorded in 2025, observed in May 2024: it belongs to May 2024.
  log.at(instant("2025-02-01T10:00:00Z"))
      .add(network_stream("oulu"), observed("o1", "forced_marriage", "2024-05-14"));
  log.add(network_stream("oulu"), joined("m1", "police", "2024-05-02"));
  log.add(network_stream("oulu"), joined("m2", "kela", "2024-06-10"));
  log.add(network_stream("oulu"), left("m1", "2024-06-20"));
  log.add(network_stream("oulu"), domain::TrainingRequested{"r1", "victim_identification",
                                                            day("2024-05-20"), std::nullopt});
  log.add(network_stream("oulu"),
          domain::TrainingDelivered{"t1", "victim_identification", day("2024-06-03"), 25});
  auto r = compute_trends(log.replay_models(), query("2024-01-01", "2024-12-31"));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->periods.size(), 2u);
  const TrendPeriod* may = find(*r, "2024-05", "oulu");
  const TrendPeriod* june = find(*r, "2024-06", "oulu");
  ASSERT_NE(may, nullptr);
  ASSERT_NE(june, nullptr);
  EXPECT_EQ(may->observations, (Counts{{"forced_marriage", 1}}));
  EXPECT_EQ(may->members_joined, 1u);
  EXPECT_EQ(may->training_requested, 1u);
  EXPECT_EQ(may->members_left, 0u);
  EXPECT_EQ(june->members_joined, 1u);
  EXPECT_EQ(june->members_left, 1u);
  EXPECT_EQ(june->training_delivered, 1u);
  EXPECT_TRUE(june->observations.empty());
}

TEST(TrendRules, LeavesOutFactsOutsideTheRange) {
  TestLog log;
  log.add(network_stream("oulu"), established("oulu"));
  log.add(network_stream("oulu"), observed("o1", "forced_labour", "2024-03-31"));
  log.add(network_stream("oulu"), observed("o2", "forced_labour", "2024-04-01"));
  log.add(network_stream("oulu"), observed("o3", "forced_labour", "2024-04-30"));
  log.add(network_stream("oulu"), observed("o4", "forced_labour", "2024-05-01"));
  auto r = compute_trends(log.replay_models(), query("2024-04-01", "2024-04-30"));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->periods.size(), 1u);
  EXPECT_EQ(r->periods[0].period, "2024-04");
  EXPECT_EQ(r->periods[0].observations.at("forced_labour"), 2u);
}

TEST(TrendRules, AJointMeetingCountsForEveryNetworkInIt) {
  TestLog log;
  for (const char* id : {"oulu", "tampere", "turku"}) log.add(network_stream(id), established(id));
  log.add(domain::meeting_stream("x1"),
          scheduled("x1", "oulu", "2024-10-01", {"tampere"}, "remote"));
  log.add(domain::meeting_stream("x1"),
          held_with("2024-10-02", {"forced_labour", "lack_of_training"}));
  log.add(domain::meeting_stream("x2"), scheduled("x2", "turku", "2024-10-05"));  // never held
  auto r = compute_trends(log.replay_models(), query("2024-01-01", "2024-12-31"));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->periods.size(), 2u);
  for (const char* id : {"oulu", "tampere"}) {
    const TrendPeriod* p = find(*r, "2024-10", id);
    ASSERT_NE(p, nullptr) << id;
    EXPECT_EQ(p->meetings_held, (Counts{{"remote", 1}}));
    EXPECT_EQ(p->meeting_themes, (Counts{{"forced_labour", 1}, {"lack_of_training", 1}}));
  }
  EXPECT_EQ(find(*r, "2024-10", "turku"), nullptr);
}

TEST(TrendRules, CountsTargetGroupsCaseInsensitivelyUnderTheEarliestSpelling) {
  TestLog log;
  log.add(network_stream("south-karelia"), established("south-karelia"));
  log.at(instant("2024-04-18T09:00:00Z"))
      .add(network_stream("south-karelia"),
           observed("o1", "forced_labour", "2024-04-16", {"Thai", "Ukrainian", " thai "}));
  log.add(network_stream("south-karelia"),
          observed("o2", "labour_exploitation", "2024-04-17", {"UKRAINIAN", "  "}));
  auto r = compute_trends(log.replay_models(), query("2024-01-01", "2024-12-31"));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->periods.size(), 1u);
  EXPECT_EQ(r->periods[0].target_groups, (Counts{{"Thai", 1}, {"Ukrainian", 2}}));
}

TEST(TrendRules, RanksFamiliesCountingANetworkOncePerFamily) {
  // Given: labour_exploitation belongs to forced_labour (built in) and an
  // added debt_bondage too; oulu raised two themes of that family, turku one,
  // tampere a theme in no family (its own family).
  TestLog log;
  log.add(domain::taxonomy_stream(),
          domain::TaxonomyEntryAdded{domain::TaxonomyKind::kTheme,
                                     "debt_bondage",
                                     {"Velkaorjuus", "Skuldslaveri", "Debt bondage"},
                                     std::string("forced_labour")});
  for (const char* n : {"oulu", "turku", "tampere"}) log.add(network_stream(n), established(n));
  log.add(network_stream("oulu"), observed("o1", "forced_labour", "2024-05-14"));
  log.add(network_stream("oulu"), observed("o2", "labour_exploitation", "2024-05-15"));
  log.add(network_stream("turku"), observed("o3", "debt_bondage", "2024-05-16"));
  log.add(network_stream("tampere"), observed("o4", "forced_marriage", "2024-05-17"));
  // When: the trends of 2024.
  auto r = compute_trends(log.replay_models(), query("2024-01-01", "2024-12-31"));
  ASSERT_TRUE(r.ok());
  // Then: forced_labour counts two networks, not three; themes stay as they were.
  EXPECT_EQ(r->families_ranked,
            (std::vector<RankedFamily>{{"forced_labour", 2}, {"forced_marriage", 1}}));
  EXPECT_EQ(r->themes_ranked.size(), 4u);
  // And the theme filter narrows the families to that theme's.
  TrendQuery q = query("2024-01-01", "2024-12-31");
  q.theme = "labour_exploitation";
  auto narrowed = compute_trends(log.replay_models(), q);
  ASSERT_TRUE(narrowed.ok());
  EXPECT_EQ(narrowed->families_ranked, (std::vector<RankedFamily>{{"forced_labour", 1}}));
  const json::object out = trends_json(*narrowed);
  EXPECT_EQ(out.at("families_ranked"),
            json::value(json::array{json::object{{"family", "forced_labour"}, {"networks", 1}}}));
}

TEST(TrendRules, ThemeFilterNarrowsOnlyTheThemeMeasures) {
  TestLog log;
  log.add(network_stream("oulu"), established("oulu"));
  log.add(network_stream("oulu"), observed("o1", "forced_marriage", "2024-05-14", {"Somali"}));
  log.add(network_stream("oulu"), observed("o2", "youth_exploitation", "2024-05-14", {"Roma"}));
  log.add(network_stream("oulu"), joined("m1", "police", "2024-05-02"));
  log.add(domain::meeting_stream("x1"), scheduled("x1", "oulu", "2024-05-20"));
  log.add(domain::meeting_stream("x1"), held_with("2024-05-21", {"forced_marriage", "other"}));
  TrendQuery q = query("2024-01-01", "2024-12-31");
  q.theme = "forced_marriage";
  auto r = compute_trends(log.replay_models(), q);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->periods.size(), 1u);
  const TrendPeriod& p = r->periods[0];
  EXPECT_EQ(p.observations, (Counts{{"forced_marriage", 1}}));
  EXPECT_EQ(p.target_groups, (Counts{{"Somali", 1}}));
  EXPECT_EQ(p.meeting_themes, (Counts{{"forced_marriage", 1}}));
  EXPECT_EQ(p.meetings_held, (Counts{{"in_person", 1}}));
  EXPECT_EQ(p.members_joined, 1u);
}

TEST(TrendRules, NetworkFilterNarrowsEverything) {
  TestLog log;
  log.add(network_stream("oulu"), established("oulu"));
  log.add(network_stream("turku"), established("turku"));
  log.add(network_stream("oulu"), observed("o1", "forced_labour", "2024-05-14"));
  log.add(network_stream("turku"), observed("o2", "reluctance_to_report", "2024-05-15"));
  log.add(domain::meeting_stream("x1"), scheduled("x1", "turku", "2024-05-20", {"oulu"}));
  log.add(domain::meeting_stream("x1"), held_with("2024-05-21", {"other"}));
  TrendQuery q = query("2024-01-01", "2024-12-31");
  q.network = "oulu";
  auto r = compute_trends(log.replay_models(), q);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->periods.size(), 1u);
  EXPECT_EQ(r->periods[0].network, "oulu");
  EXPECT_EQ(r->periods[0].observations, (Counts{{"forced_labour", 1}}));
  EXPECT_EQ(r->periods[0].meetings_held, (Counts{{"in_person", 1}}));
  ASSERT_EQ(r->themes_ranked.size(), 1u);
  EXPECT_EQ(r->themes_ranked[0].theme, "forced_labour");
}

TEST(TrendRules, WithoutFromStartsAtTheBeginningAndWithoutToEndsToday) {
  TestLog log;
  log.add(network_stream("oulu"), established("oulu"));
  log.add(network_stream("oulu"), observed("o1", "forced_labour", "2019-02-01"));
  log.add(network_stream("oulu"), observed("o2", "forced_labour", "2024-12-31"));
  log.add(network_stream("oulu"), observed("o3", "forced_labour", "2025-01-01"));
  TrendQuery q;
  q.today = day("2024-12-31");
  q.granularity = Granularity::kYear;
  auto r = compute_trends(log.replay_models(), q);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->periods.size(), 2u);
  EXPECT_EQ(r->periods[0].period, "2019");
  EXPECT_EQ(r->periods[1].period, "2024");
}

TEST(TrendRules, RefusesUnknownCodesAndAnInvertedRange) {
  TestLog log;
  log.add(network_stream("oulu"), established("oulu"));
  const ReadModels models = log.replay_models();
  TrendQuery q = query("2024-05-01", "2024-04-01");
  auto inverted = compute_trends(models, q);
  ASSERT_FALSE(inverted.ok());
  EXPECT_EQ(inverted.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(inverted.error().message.substr(0, 5), "from:");
  q = query("2024-01-01", "2024-12-31");
  q.theme = "no_such_theme";
  auto theme = compute_trends(models, q);
  ASSERT_FALSE(theme.ok());
  EXPECT_EQ(theme.error().message.substr(0, 6), "theme:");
  q.theme.reset();
  q.network = "atlantis";
  auto network = compute_trends(models, q);
  ASSERT_FALSE(network.ok());
  EXPECT_EQ(network.error().message.substr(0, 8), "network:");
}

}  // namespace
}  // namespace ikv::projections
