// The trend report's periods, ranking and renderings (JSON, CSV).
#include <gtest/gtest.h>

#include "projection_test_support.h"
#include "projections/trends.h"

namespace ikv::projections {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)
using domain::network_stream;

TrendQuery whole_year(Granularity g) {
  TrendQuery q;
  q.from = day("2024-01-01");
  q.to = day("2024-12-31");
  q.today = day("2024-12-31");
  q.granularity = g;
  return q;
}

std::vector<std::string> periods_of(const TrendReport& r) {
  std::vector<std::string> out;
  for (const TrendPeriod& p : r.periods) {
    out.push_back(p.period + "/" + (p.national ? "(national)" : p.network));
  }
  return out;
}

TEST(TrendPeriods, NamesMonthsQuartersAndYears) {
  EXPECT_EQ(period_of(day("2024-05-14"), Granularity::kMonth), "2024-05");
  EXPECT_EQ(period_of(day("2024-01-01"), Granularity::kQuarter), "2024-Q1");
  EXPECT_EQ(period_of(day("2024-03-31"), Granularity::kQuarter), "2024-Q1");
  EXPECT_EQ(period_of(day("2024-04-01"), Granularity::kQuarter), "2024-Q2");
  EXPECT_EQ(period_of(day("2024-12-31"), Granularity::kQuarter), "2024-Q4");
  EXPECT_EQ(period_of(day("2024-12-31"), Granularity::kYear), "2024");
  EXPECT_EQ(parse_granularity("quarter"), Granularity::kQuarter);
  EXPECT_EQ(parse_granularity("week"), std::nullopt);
}

TestLog spring_2024() {
  TestLog log;
  for (const char* id : {"north-savo", "oulu", "tampere"}) {
    log.add(network_stream(id), established(id));
  }
  log.add(network_stream("oulu"), observed("o1", "forced_marriage", "2024-03-30"));
  log.add(network_stream("oulu"), observed("o2", "forced_marriage", "2024-04-02"));
  log.add(network_stream("oulu"), observed("o3", "forced_labour", "2024-05-14"));
  log.add(network_stream("north-savo"), observed("o4", "forced_labour", "2024-05-20"));
  log.add(network_stream("north-savo"), observed("o5", "seasonal_work", "2024-05-21"));
  log.add(network_stream("tampere"), observed("o6", "forced_labour", "2024-10-09"));
  log.add(network_stream("tampere"), observed("o7", "seasonal_work", "2024-11-09"));
  return log;
}

TEST(TrendPeriods, BucketsByQuarter) {
  auto r = compute_trends(spring_2024().replay_models(), whole_year(Granularity::kQuarter),
                          spring_2024());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(periods_of(*r),
            (std::vector<std::string>{"2024-Q1/oulu", "2024-Q1/(national)", "2024-Q2/north-savo",
                                      "2024-Q2/oulu", "2024-Q2/(national)", "2024-Q4/tampere",
                                      "2024-Q4/(national)"}));
  EXPECT_EQ(r->periods[3].observations, (Counts{{"forced_labour", 1}, {"forced_marriage", 1}}));
  EXPECT_EQ(r->periods[5].observations, (Counts{{"forced_labour", 1}, {"seasonal_work", 1}}));
  // The national row of Q2 sums north-savo and oulu.
  EXPECT_EQ(r->periods[4].observations,
            (Counts{{"forced_labour", 2}, {"forced_marriage", 1}, {"seasonal_work", 1}}));
}

TEST(TrendPeriods, BucketsByYear) {
  auto r =
      compute_trends(spring_2024().replay_models(), whole_year(Granularity::kYear), spring_2024());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(periods_of(*r), (std::vector<std::string>{"2024/north-savo", "2024/oulu",
                                                      "2024/tampere", "2024/(national)"}));
  EXPECT_EQ(r->periods[1].observations, (Counts{{"forced_labour", 1}, {"forced_marriage", 2}}));
}

TEST(TrendRanking, RanksThemesByDistinctNetworksThenByCode) {
  auto r =
      compute_trends(spring_2024().replay_models(), whole_year(Granularity::kMonth), spring_2024());
  ASSERT_TRUE(r.ok());
  // forced_labour: 3 networks; seasonal_work: 2; forced_marriage: 1 (twice, one network).
  ASSERT_EQ(r->themes_ranked.size(), 3u);
  EXPECT_EQ(r->themes_ranked[0], (RankedTheme{"forced_labour", 3}));
  EXPECT_EQ(r->themes_ranked[1], (RankedTheme{"seasonal_work", 2}));
  EXPECT_EQ(r->themes_ranked[2], (RankedTheme{"forced_marriage", 1}));
}

TEST(TrendRanking, BreaksTiesByCodeAndCountsOnlyTheRange) {
  TrendQuery q = whole_year(Granularity::kMonth);
  q.from = day("2024-04-01");
  q.to = day("2024-06-30");
  auto r = compute_trends(spring_2024().replay_models(), q, spring_2024());
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->themes_ranked.size(), 3u);
  EXPECT_EQ(r->themes_ranked[0], (RankedTheme{"forced_labour", 2}));
  EXPECT_EQ(r->themes_ranked[1], (RankedTheme{"forced_marriage", 1}));
  EXPECT_EQ(r->themes_ranked[2], (RankedTheme{"seasonal_work", 1}));
}

TEST(TrendRendering, JsonHasEveryFieldOfThePeriodShape) {
  TestLog log;
  log.add(network_stream("oulu"), established("oulu"));
  log.add(network_stream("oulu"), observed("o1", "forced_labour", "2024-05-14", {"Thai"}));
  auto r = compute_trends(log.replay_models(), whole_year(Granularity::kMonth), log);
  ASSERT_TRUE(r.ok());
  const boost::json::object j = trends_json(*r);
  const auto& p = j.at("periods").as_array().at(0).as_object();
  EXPECT_EQ(p.at("period"), "2024-05");
  EXPECT_EQ(p.at("network"), "oulu");
  EXPECT_EQ(p.at("observations").as_object().at("forced_labour"), 1);
  EXPECT_EQ(p.at("target_groups").as_object().at("Thai"), 1);
  EXPECT_TRUE(p.at("meetings_held").as_object().empty());
  EXPECT_TRUE(p.at("meeting_themes").as_object().empty());
  for (const char* k : {"members_joined", "members_left", "training_requested",
                        "training_delivered", "members_at_end", "attendance"}) {
    EXPECT_EQ(p.at(k), 0) << k;
  }
  const auto& national = j.at("periods").as_array().at(1).as_object();
  EXPECT_EQ(national.at("period"), "2024-05");
  EXPECT_TRUE(national.at("network").is_null());
  EXPECT_EQ(national.at("observations").as_object().at("forced_labour"), 1);
  const auto& ranked = j.at("themes_ranked").as_array().at(0).as_object();
  EXPECT_EQ(ranked.at("theme"), "forced_labour");
  EXPECT_EQ(ranked.at("networks"), 1);
}

TEST(TrendRendering, CsvIsLongFormWithoutZeroRows) {
  TestLog log;
  log.add(network_stream("oulu"), established("oulu"));
  log.add(network_stream("oulu"), observed("o1", "forced_marriage", "2024-05-14", {"Somali"}));
  log.add(network_stream("oulu"), joined("m1", "police", "2024-05-02"));
  log.add(domain::meeting_stream("x1"), scheduled("x1", "oulu", "2024-05-20"));
  log.add(domain::meeting_stream("x1"), held("2024-05-21"));
  auto r = compute_trends(log.replay_models(), whole_year(Granularity::kMonth), log);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(trends_csv(*r),
            "period,network,measure,code,count\r\n"
            "2024-05,oulu,observations,forced_marriage,1\r\n"
            "2024-05,oulu,target_groups,Somali,1\r\n"
            "2024-05,oulu,meetings_held,in_person,1\r\n"
            "2024-05,oulu,meeting_themes,forced_labour,1\r\n"
            "2024-05,oulu,members_joined,,1\r\n"
            "2024-05,oulu,members_at_end,,1\r\n"
            "2024-05,oulu,attendance,,10\r\n"
            "2024-05,,observations,forced_marriage,1\r\n"
            "2024-05,,target_groups,Somali,1\r\n"
            "2024-05,,meetings_held,in_person,1\r\n"
            "2024-05,,meeting_themes,forced_labour,1\r\n"
            "2024-05,,members_joined,,1\r\n"
            "2024-05,,members_at_end,,1\r\n"
            "2024-05,,attendance,,10\r\n");
}

TEST(TrendRendering, CsvQuotesFreeTextAndDisarmsFormulas) {
  TestLog log;
  log.add(network_stream("oulu"), established("oulu"));
  log.add(network_stream("oulu"),
          observed("o1", "forced_labour", "2024-05-14", {"Roma, \"travellers\"", "=HYPERLINK(1)"}));
  auto r = compute_trends(log.replay_models(), whole_year(Granularity::kMonth), log);
  ASSERT_TRUE(r.ok());
  const std::string csv = trends_csv(*r);
  EXPECT_NE(csv.find("2024-05,oulu,target_groups,\"Roma, \"\"travellers\"\"\",1\r\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("2024-05,oulu,target_groups,'=HYPERLINK(1),1\r\n"), std::string::npos) << csv;
}

TEST(TrendRendering, EmptyLogGivesAnEmptyReport) {
  auto r = compute_trends(ReadModels(), whole_year(Granularity::kMonth), TestLog());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->periods.empty());
  EXPECT_TRUE(r->themes_ranked.empty());
  EXPECT_EQ(trends_csv(*r), "period,network,measure,code,count\r\n");
}

}  // namespace
}  // namespace ikv::projections
