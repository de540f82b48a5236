// What the trend report counts, and in which period: effective dates, joint
// meetings, members, training, target groups, filters.
#include <gtest/gtest.h>

#include "projection_test_support.h"
#include "projections/coverage.h"
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
  auto r = compute_trends(log.replay_models(), query("2024-01-01", "2024-12-31"), log);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->periods.size(), 4u);  // May and June of oulu, each with its national row
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
  EXPECT_EQ(may->members_at_end, 1u);   // m1
  EXPECT_EQ(june->members_at_end, 1u);  // m2; m1 left on the 20th
  EXPECT_EQ(r->periods[1].members_at_end, 1u);
  EXPECT_TRUE(r->periods[1].national);
}

TEST(TrendRules, LeavesOutFactsOutsideTheRange) {
  TestLog log;
  log.add(network_stream("oulu"), established("oulu"));
  log.add(network_stream("oulu"), observed("o1", "forced_labour", "2024-03-31"));
  log.add(network_stream("oulu"), observed("o2", "forced_labour", "2024-04-01"));
  log.add(network_stream("oulu"), observed("o3", "forced_labour", "2024-04-30"));
  log.add(network_stream("oulu"), observed("o4", "forced_labour", "2024-05-01"));
  auto r = compute_trends(log.replay_models(), query("2024-04-01", "2024-04-30"), log);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->periods.size(), 2u);  // oulu and the national row
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
  auto r = compute_trends(log.replay_models(), query("2024-01-01", "2024-12-31"), log);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->periods.size(), 3u);
  for (const char* id : {"oulu", "tampere"}) {
    const TrendPeriod* p = find(*r, "2024-10", id);
    ASSERT_NE(p, nullptr) << id;
    EXPECT_EQ(p->meetings_held, (Counts{{"remote", 1}}));
    EXPECT_EQ(p->meeting_themes, (Counts{{"forced_labour", 1}, {"lack_of_training", 1}}));
    EXPECT_EQ(p->attendance, 12u);
  }
  EXPECT_EQ(find(*r, "2024-10", "turku"), nullptr);
  // The national row sums the networks: the joint meeting once for each.
  ASSERT_TRUE(r->periods[2].national);
  EXPECT_EQ(r->periods[2].meetings_held, (Counts{{"remote", 2}}));
  EXPECT_EQ(r->periods[2].attendance, 24u);
}

TEST(TrendRules, CountsTargetGroupsCaseInsensitivelyUnderTheEarliestSpelling) {
  TestLog log;
  log.add(network_stream("south-karelia"), established("south-karelia"));
  log.at(instant("2024-04-18T09:00:00Z"))
      .add(network_stream("south-karelia"),
           observed("o1", "forced_labour", "2024-04-16", {"Thai", "Ukrainian", " thai "}));
  log.add(network_stream("south-karelia"),
          observed("o2", "labour_exploitation", "2024-04-17", {"UKRAINIAN", "  "}));
  auto r = compute_trends(log.replay_models(), query("2024-01-01", "2024-12-31"), log);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->periods.size(), 2u);
  EXPECT_EQ(r->periods[1].target_groups, r->periods[0].target_groups);  // national
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
  auto r = compute_trends(log.replay_models(), query("2024-01-01", "2024-12-31"), log);
  ASSERT_TRUE(r.ok());
  // Then: forced_labour counts two networks, not three; themes stay as they were.
  EXPECT_EQ(r->families_ranked,
            (std::vector<RankedFamily>{{"forced_labour", 2}, {"forced_marriage", 1}}));
  EXPECT_EQ(r->themes_ranked.size(), 4u);
  // And the theme filter narrows the families to that theme's.
  TrendQuery q = query("2024-01-01", "2024-12-31");
  q.theme = "labour_exploitation";
  auto narrowed = compute_trends(log.replay_models(), q, log);
  ASSERT_TRUE(narrowed.ok());
  EXPECT_EQ(narrowed->families_ranked, (std::vector<RankedFamily>{{"forced_labour", 1}}));
  const json::object out = trends_json(*narrowed);
  EXPECT_EQ(out.at("families_ranked"),
            json::value(json::array{
                json::object{{"family", "forced_labour"}, {"networks", 1}, {"national", false}}}));
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
  auto r = compute_trends(log.replay_models(), q, log);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->periods.size(), 2u);  // oulu and the national row
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
  auto r = compute_trends(log.replay_models(), q, log);
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
  auto r = compute_trends(log.replay_models(), q, log);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->periods.size(), 4u);
  EXPECT_EQ(r->periods[0].period, "2019");
  EXPECT_EQ(r->periods[2].period, "2024");
}

TEST(TrendRules, MembersAtEndCountsTheMembersOnThePeriodsLastDay) {
  // Given: m1 joins in January and leaves on 31 March (not a member that
  // day), m2 joins in February and leaves "2024-06" (a month: its first day),
  // m3 joins in turku, which has no row in Q2.
  TestLog log;
  log.add(network_stream("oulu"), established("oulu"));
  log.add(network_stream("turku"), established("turku"));
  log.add(network_stream("oulu"), joined("m1", "police", "2024-01-10"));
  log.add(network_stream("oulu"), joined("m2", "kela", "2024-02-10"));
  log.add(network_stream("turku"), joined("m3", "ngo", "2024-01-15"));
  log.add(network_stream("oulu"), left("m1", "2024-03-31"));
  log.add(network_stream("oulu"), domain::MemberLeft{"m2", domain::month_date(2024, 6), {}});
  log.add(network_stream("oulu"), observed("o1", "forced_labour", "2024-05-14"));
  // When: the quarters of 2024 up to 20 August.
  auto r = compute_trends(log.replay_models(),
                          query("2024-01-01", "2024-08-20", Granularity::kQuarter), log);
  ASSERT_TRUE(r.ok());
  // Then: Q1 ends with m2 in oulu and m3 in turku; Q2 (31 June is past the
  // June leave) with none in oulu; the national row counts turku too though
  // turku has no Q2 row; Q3 has oulu's leave, counted on 20 August.
  const TrendPeriod* q1 = find(*r, "2024-Q1", "oulu");
  const TrendPeriod* q2 = find(*r, "2024-Q2", "oulu");
  ASSERT_NE(q1, nullptr);
  ASSERT_NE(q2, nullptr);
  EXPECT_EQ(q1->members_at_end, 1u);
  EXPECT_EQ(find(*r, "2024-Q1", "turku")->members_at_end, 1u);
  EXPECT_EQ(q2->members_at_end, 0u);
  EXPECT_EQ(q2->members_left, 1u);
  EXPECT_EQ(find(*r, "2024-Q2", "turku"), nullptr);
  const TrendPeriod* national = find(*r, "2024-Q2", "");
  ASSERT_NE(national, nullptr);
  EXPECT_TRUE(national->national);
  EXPECT_EQ(national->members_at_end, 1u);
  EXPECT_EQ(find(*r, "2024-Q1", "")->members_at_end, 2u);
}

TEST(TrendRules, AttendanceSumsTheAttendeeCountsOfTheMeetingsHeld) {
  // Given: three meetings held in May: one with a count of 14, one with two
  // attendees listed and no count, one with neither.
  TestLog log;
  log.add(network_stream("oulu"), established("oulu"));
  for (const char* id : {"x1", "x2", "x3"}) {
    log.add(domain::meeting_stream(id), scheduled(id, "oulu", "2024-05-10"));
  }
  log.add(domain::meeting_stream("x1"), held("2024-05-10", {}, 14));
  log.add(network_stream("oulu"), joined("m1", "police", "2024-01-10"));
  log.add(network_stream("oulu"), joined("m2", "kela", "2024-01-10"));
  log.add(domain::meeting_stream("x2"), held("2024-05-11", {"m1", "m2"}, std::nullopt));
  log.add(domain::meeting_stream("x3"), held("2024-05-12", {}, std::nullopt));
  // When: the months of 2024.
  auto r = compute_trends(log.replay_models(), query("2024-01-01", "2024-12-31"), log);
  ASSERT_TRUE(r.ok());
  // Then: 14 + 2 + nothing, and three meetings held.
  const TrendPeriod* may = find(*r, "2024-05", "oulu");
  ASSERT_NE(may, nullptr);
  EXPECT_EQ(may->attendance, 16u);
  EXPECT_EQ(may->meetings_held, (Counts{{"in_person", 3}}));
  EXPECT_EQ(find(*r, "2024-05", "")->attendance, 16u);
}

TEST(TrendRules, KnownAtCountsOnlyWhatWasRecordedByThen) {
  // Given: a join, an observation and a meeting held with 10 recorded in
  // 2024; in 2025 a leave dated 2024-06-01, a late observation of May 2024,
  // an amendment of the meeting's count, and the retraction of the first
  // observation.
  TestLog log;
  log.at(instant("2024-01-01T00:00:00Z"));
  log.add(network_stream("oulu"), established("oulu"));
  log.add(network_stream("oulu"), joined("m1", "police", "2024-02-01"));
  log.add(network_stream("oulu"), observed("o1", "forced_labour", "2024-05-14"));
  log.add(domain::meeting_stream("x1"), scheduled("x1", "oulu", "2024-05-20"));
  log.add(domain::meeting_stream("x1"), held("2024-05-20"));
  log.at(instant("2025-01-10T00:00:00Z"));
  log.add(network_stream("oulu"), left("m1", "2024-06-01"));
  log.add(network_stream("oulu"), observed("o2", "forced_marriage", "2024-05-15"));
  log.add(domain::meeting_stream("x1"),
          domain::MeetingRecordAmended{
              day("2024-05-20"), {}, 25, {"forced_labour"}, std::nullopt, "count"});
  log.add(network_stream("oulu"), domain::ObservationRetracted{"o1", "duplicate"});
  const ReadModels models = log.replay_models();
  // When: the report as known at the end of 2024, and as known now.
  TrendQuery then = query("2024-01-01", "2024-12-31");
  then.known_at_us = instant("2024-12-31T23:59:59Z");
  auto before = compute_trends(models, then, log);
  auto now = compute_trends(models, query("2024-01-01", "2024-12-31"), log);
  ASSERT_TRUE(before.ok());
  ASSERT_TRUE(now.ok());
  // Then: then, m1 had not left, o1 stood alone and the meeting had 10.
  const TrendPeriod* may = find(*before, "2024-05", "oulu");
  ASSERT_NE(may, nullptr);
  EXPECT_EQ(may->observations, (Counts{{"forced_labour", 1}}));
  EXPECT_EQ(may->attendance, 10u);
  EXPECT_EQ(find(*before, "2024-06", "oulu"), nullptr);
  EXPECT_EQ(find(*before, "2024-05", "")->members_at_end, 1u);
  // Now: the leave, o2, 25 and no o1.
  const TrendPeriod* may_now = find(*now, "2024-05", "oulu");
  ASSERT_NE(may_now, nullptr);
  EXPECT_EQ(may_now->observations, (Counts{{"forced_marriage", 1}}));
  EXPECT_EQ(may_now->attendance, 25u);
  EXPECT_EQ(find(*now, "2024-06", "oulu")->members_left, 1u);
  EXPECT_EQ(find(*now, "2024-06", "oulu")->members_at_end, 0u);
  // And known_at at the last event gives the report without it.
  TrendQuery latest = query("2024-01-01", "2024-12-31");
  latest.known_at_us = instant("2025-01-10T00:00:03Z");
  EXPECT_EQ(compute_trends(models, latest, log)->periods, now->periods);
  // Coverage likewise: m1 counted on 2024-07-01 as known then, not now.
  EXPECT_EQ(compute_coverage(models, day("2024-07-01"), *then.known_at_us).at(0).members_by_sector,
            (std::map<std::string, std::size_t>{{"police", 1}}));
  EXPECT_TRUE(compute_coverage(models, day("2024-07-01")).at(0).members_by_sector.empty());
}

TEST(TrendRules, NationalFindingsCountInTheNationalRowAndTheRankingOnly) {
  // Given: oulu observed forced labour in May; two national findings of
  // forced marriage (May, June) and one of labour exploitation (May, in the
  // forced_labour family); a third retracted.
  TestLog log;
  log.add(network_stream("oulu"), established("oulu"));
  log.add(network_stream("oulu"), observed("o1", "forced_labour", "2024-05-14", {"Thai"}));
  log.add(domain::national_stream(), observed("n1", "forced_marriage", "2024-05-02", {"thai"}));
  log.add(domain::national_stream(), observed("n2", "forced_marriage", "2024-06-02"));
  log.add(domain::national_stream(), observed("n3", "labour_exploitation", "2024-05-03"));
  log.add(domain::national_stream(), observed("n4", "seasonal_work", "2024-05-04"));
  log.add(domain::national_stream(), domain::ObservationRetracted{"n4", "twice"});
  // When: the months of 2024.
  auto r = compute_trends(log.replay_models(), query("2024-01-01", "2024-12-31"), log);
  ASSERT_TRUE(r.ok());
  // Then: oulu's row has its own only; May's national row all three of May;
  // June has a national row alone.
  EXPECT_EQ(find(*r, "2024-05", "oulu")->observations, (Counts{{"forced_labour", 1}}));
  const TrendPeriod* may = find(*r, "2024-05", "");
  ASSERT_NE(may, nullptr);
  EXPECT_TRUE(may->national);
  EXPECT_EQ(may->observations,
            (Counts{{"forced_labour", 1}, {"forced_marriage", 1}, {"labour_exploitation", 1}}));
  EXPECT_EQ(may->target_groups, (Counts{{"Thai", 2}}));
  ASSERT_EQ(r->periods.size(), 3u);
  EXPECT_TRUE(r->periods[2].national);
  EXPECT_EQ(r->periods[2].observations, (Counts{{"forced_marriage", 1}}));
  // And the ranking counts the national findings as one, flagged.
  EXPECT_EQ(r->themes_ranked, (std::vector<RankedTheme>{{"forced_labour", 1, false},
                                                        {"forced_marriage", 0, true},
                                                        {"labour_exploitation", 0, true}}));
  EXPECT_EQ(r->families_ranked,
            (std::vector<RankedFamily>{{"forced_labour", 1, true}, {"forced_marriage", 0, true}}));
  // With a network filter they count nowhere.
  TrendQuery only = query("2024-01-01", "2024-12-31");
  only.network = "oulu";
  auto o = compute_trends(log.replay_models(), only, log);
  ASSERT_TRUE(o.ok());
  ASSERT_EQ(o->periods.size(), 1u);
  EXPECT_EQ(o->themes_ranked, (std::vector<RankedTheme>{{"forced_labour", 1, false}}));
}

TEST(TrendRules, WishesCountByKindInThePeriodOfTheirRecordedOn) {
  // Given: two wishes of oulu in May (a joint meeting, a format) and one of
  // turku in June.
  TestLog log;
  log.add(network_stream("oulu"), established("oulu"));
  log.add(network_stream("turku"), established("turku"));
  log.add(network_stream("oulu"),
          domain::WishRecorded{
              "w1", domain::WishKind::kJointMeeting, "with Lapland", day("2024-05-02"), {}});
  log.add(network_stream("oulu"),
          domain::WishRecorded{"w2", domain::WishKind::kMeetingFormat, "remote please",
                               domain::month_date(2024, 5), std::string("remote")});
  log.add(network_stream("turku"),
          domain::WishRecorded{
              "w3", domain::WishKind::kJointMeeting, "with Oulu", day("2024-06-20"), {}});
  // When: the quarters of 2024.
  auto r = compute_trends(log.replay_models(),
                          query("2024-01-01", "2024-12-31", Granularity::kQuarter), log);
  ASSERT_TRUE(r.ok());
  // Then: per network by kind, and summed in the national row.
  EXPECT_EQ(find(*r, "2024-Q2", "oulu")->wishes,
            (Counts{{"joint_meeting", 1}, {"meeting_format", 1}}));
  EXPECT_EQ(find(*r, "2024-Q2", "turku")->wishes, (Counts{{"joint_meeting", 1}}));
  EXPECT_EQ(find(*r, "2024-Q2", "")->wishes, (Counts{{"joint_meeting", 2}, {"meeting_format", 1}}));
  EXPECT_NE(trends_csv(*r).find("2024-Q2,,wishes,joint_meeting,2\r\n"), std::string::npos);
}

TEST(TrendRules, RefusesUnknownCodesAndAnInvertedRange) {
  TestLog log;
  log.add(network_stream("oulu"), established("oulu"));
  const ReadModels models = log.replay_models();
  TrendQuery q = query("2024-05-01", "2024-04-01");
  auto inverted = compute_trends(models, q, log);
  ASSERT_FALSE(inverted.ok());
  EXPECT_EQ(inverted.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(inverted.error().message.substr(0, 5), "from:");
  q = query("2024-01-01", "2024-12-31");
  q.theme = "no_such_theme";
  auto theme = compute_trends(models, q, log);
  ASSERT_FALSE(theme.ok());
  EXPECT_EQ(theme.error().message.substr(0, 6), "theme:");
  q.theme.reset();
  q.network = "atlantis";
  auto network = compute_trends(models, q, log);
  ASSERT_FALSE(network.ok());
  EXPECT_EQ(network.error().message.substr(0, 8), "network:");
}

}  // namespace
}  // namespace ikv::projections
