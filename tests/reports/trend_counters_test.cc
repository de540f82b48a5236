// The TrendCounters unit against its model: for random logs (members joining,
// leaving and changing sector, observations with target groups spelled in
// many ways, some retracted, meetings scheduled, moved, cancelled and held,
// some joint, held records amended; training) and random queries, the report read from the counters
// equals the report made by scanning every record of the main view (trends_reference.h), and so
// does coverage on random days. A unit saved at any point and loaded again, then fed the rest,
// equals the unit fed everything.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "projection_test_support.h"
#include "projections/read_models.h"
#include "projections/trend_counters.h"
#include "trends_reference.h"

namespace ikv::projections {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)
using domain::network_stream;

const std::vector<std::string> kNetworks = {"oulu", "turku", "tampere"};
const std::vector<std::string> kThemes = {"forced_labour", "forced_marriage", "seasonal_work",
                                          "lack_of_training"};
const std::vector<std::string> kSectors = {"police", "kela", "ngo", "reception_centre"};
const std::vector<std::string> kFormats = {"in_person", "remote", "hybrid"};
const std::vector<std::string> kGroups = {"Seasonal workers",
                                          "seasonal workers",
                                          " SEASONAL WORKERS ",
                                          "Ukrainians",
                                          "ukrainians",
                                          "Berry pickers",
                                          "",
                                          "=cmd",
                                          "Ukrainians"};

class RandomLog {
 public:
  // `in_order`: every event recorded a second after the one before (as a
  // store records them), so that known_at cuts the log at a position.
  explicit RandomLog(unsigned seed, bool in_order = false) : rng_(seed), in_order_(in_order) {}

  TestLog make(int events) {
    TestLog log;
    for (const std::string& n : kNetworks) log.add(network_stream(n), established(n));
    for (int i = 0; i < events; ++i) one(log);
    return log;
  }

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  template <class T>
  const T& any(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(pick(static_cast<int>(v.size())))];
  }
  domain::Date date() { return domain::add_days(domain::Date{2023, 1, 1}, pick(3 * 365)); }

  void one(TestLog& log) {
    // A few distinct recording instants, so spellings tie and compete.
    const std::int64_t at = 1'000'000LL * pick(40);
    if (!in_order_) log.at(instant("2024-01-01T00:00:00Z") + at);
    const std::string& net = any(kNetworks);
    const int roll = pick(100);
    if (roll < 15 || members_.empty()) {
      const std::string id = "m" + std::to_string(next_++);
      domain::MemberJoined e = joined(id, any(kSectors), "2024-01-01");
      e.joined_on = date();
      log.add(network_stream(net), e);
      members_.push_back({id, net, e.joined_on});
    } else if (roll < 22) {
      const Member& m = any(members_);
      const domain::Date on = domain::add_days(m.joined_on, pick(400));
      log.add(network_stream(m.network), domain::MemberLeft{m.id, on, std::nullopt});
    } else if (roll < 27) {
      const Member& m = any(members_);
      domain::MemberDetailsChanged e;
      e.member_id = m.id;
      e.sector = any(kSectors);
      log.add(network_stream(m.network), e);
    } else if (roll < 60) {
      std::vector<std::string> groups;
      for (int g = pick(4); g > 0; --g) groups.push_back(any(kGroups));
      domain::ObservationRecorded e =
          observed("o" + std::to_string(next_++), any(kThemes), "2024-01-01", groups);
      e.observed_on = date();
      log.add(network_stream(net), e);
      observations_.push_back({e.observation_id, net});
    } else if (roll < 66 && !observations_.empty()) {
      // A retraction (some of an observation already retracted: nothing changes).
      const auto& [id, network] = any(observations_);
      log.add(network_stream(network), domain::ObservationRetracted{id, "recorded twice"});
    } else if (roll < 72) {
      const std::string id = "mt" + std::to_string(next_++);
      std::vector<std::string> joint;
      if (pick(3) == 0) joint.push_back(kNetworks[(&net - &kNetworks[0] + 1) % kNetworks.size()]);
      domain::MeetingScheduled e = scheduled(id, net, "2024-01-01", joint, any(kFormats));
      e.scheduled_for = date();
      log.add(domain::meeting_stream(id), e);
      meetings_.push_back(id);
    } else if (roll < 76 && !held_.empty()) {
      std::vector<std::string> themes;
      for (int t = pick(4); t > 0; --t) themes.push_back(any(kThemes));
      log.add(domain::meeting_stream(any(held_)),
              domain::MeetingRecordAmended{date(), {}, count(), themes, std::nullopt, "corrected"});
    } else if (roll < 90 && !meetings_.empty()) {
      // Only a planned meeting is moved, cancelled or held (as the decider
      // allows); a held or cancelled one leaves the list.
      const auto at = static_cast<std::size_t>(pick(static_cast<int>(meetings_.size())));
      const std::string id = meetings_[at];
      const int what = pick(10);
      if (what >= 2) meetings_.erase(meetings_.begin() + static_cast<std::ptrdiff_t>(at));
      if (what < 2) {
        log.add(domain::meeting_stream(id),
                domain::MeetingRescheduled{date(), any(kFormats), std::nullopt});
      } else if (what < 3) {
        log.add(domain::meeting_stream(id), domain::MeetingCancelled{std::nullopt});
      } else {
        std::vector<std::string> themes;
        for (int t = pick(4); t > 0; --t) themes.push_back(any(kThemes));
        log.add(domain::meeting_stream(id),
                domain::MeetingHeld{date(), {}, count(), themes, std::nullopt});
        held_.push_back(id);
      }
    } else if (roll < 92) {
      // A national finding, some retracted later; or a wish.
      if (pick(2) == 0) {
        domain::ObservationRecorded e =
            observed("n" + std::to_string(next_++), any(kThemes), "2024-01-01", {any(kGroups)});
        e.observed_on = date();
        log.add(domain::national_stream(), e);
        national_.push_back(e.observation_id);
      } else if (!national_.empty()) {
        log.add(domain::national_stream(), domain::ObservationRetracted{any(national_), "again"});
      }
      if (pick(2) == 0) {
        log.add(network_stream(net), domain::WishRecorded{"w" + std::to_string(next_++),
                                                          static_cast<domain::WishKind>(pick(4)),
                                                          "a wish",
                                                          date(),
                                                          {}});
      }
    } else if (roll < 95) {
      log.add(network_stream(net),
              domain::TrainingRequested{"r" + std::to_string(next_++), "victim_identification",
                                        date(), std::nullopt});
    } else {
      log.add(network_stream(net), domain::TrainingDelivered{"t" + std::to_string(next_++),
                                                             "victim_identification", date(), 10});
    }
  }

  struct Member {
    std::string id;
    std::string network;
    domain::Date joined_on;
  };
  // An attendee count, or none (a third of the time).
  std::optional<int> count() {
    if (pick(3) == 0) return std::nullopt;
    return pick(30);
  }

  std::mt19937 rng_;
  bool in_order_ = false;
  int next_ = 0;
  std::vector<Member> members_;
  std::vector<std::string> meetings_;
  std::vector<std::string> held_;
  std::vector<std::string> national_;                              // national findings' ids
  std::vector<std::pair<std::string, std::string>> observations_;  // (id, network)
};

TrendQuery random_query(std::mt19937& rng) {
  auto pick = [&rng](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  TrendQuery q;
  q.today = domain::add_days(domain::Date{2023, 6, 1}, pick(3 * 365));
  if (pick(3) != 0) q.from = domain::add_days(domain::Date{2022, 12, 1}, pick(3 * 365));
  if (pick(3) != 0) q.to = domain::add_days(q.from.value_or(domain::Date{2023, 1, 1}), pick(800));
  q.granularity = static_cast<Granularity>(pick(3));
  if (pick(3) == 0) q.network = kNetworks[static_cast<std::size_t>(pick(3))];
  if (pick(3) == 0)
    q.theme = pick(5) == 0 ? "no_such_theme" : kThemes[static_cast<std::size_t>(pick(4))];
  return q;
}

TEST(TrendCounters, AnswersEveryQueryAsAScanOfTheViewWould) {
  for (unsigned seed = 1; seed <= 12; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const TestLog log = RandomLog(seed).make(600);
    const ReadModels models = log.replay_models();
    const auto& counters = models.get<TrendCounters>();
    std::mt19937 rng(seed * 7919);
    for (int i = 0; i < 60; ++i) {
      const TrendQuery q = random_query(rng);
      const TrendReport expected = trends_from_records(models.view(), q, log).value();
      const TrendReport actual = counters.report(q);
      ASSERT_EQ(actual.periods, expected.periods) << "query " << i;
      ASSERT_EQ(actual.themes_ranked, expected.themes_ranked) << "query " << i;
    }
    for (int d = 0; d < 40; ++d) {
      const domain::Date on = domain::add_days(domain::Date{2022, 12, 1}, d * 31);
      ASSERT_EQ(compute_coverage(models, on), coverage_by_scan(models.view(), on))
          << domain::to_string(on);
    }
  }
}

TEST(TrendCounters, AReportAsKnownAtAnInstantEqualsTheCountersOfTheLogUpToIt) {
  for (unsigned seed = 1; seed <= 6; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const TestLog log = RandomLog(seed, true).make(500);
    const ReadModels models = log.replay_models();
    std::mt19937 rng(seed * 104729);
    for (const std::size_t cut :
         {std::size_t{3}, std::size_t{120}, std::size_t{333}, log.entries().size() - 1}) {
      TrendCounters upto;
      for (std::size_t i = 0; i <= cut; ++i) {
        upto.apply(log.entries()[i].meta, log.entries()[i].event);
      }
      for (int i = 0; i < 15; ++i) {
        TrendQuery q = random_query(rng);
        const TrendReport expected = upto.report(q);
        q.known_at_us = log.entries()[cut].meta.recorded_at_us;
        const TrendReport actual = trends_from_records(models.view(), q, log).value();
        ASSERT_EQ(actual.periods, expected.periods) << "cut " << cut << " query " << i;
        ASSERT_EQ(actual.themes_ranked, expected.themes_ranked) << "cut " << cut;
        ASSERT_EQ(actual.families_ranked, expected.families_ranked) << "cut " << cut;
      }
      const std::int64_t known_at = log.entries()[cut].meta.recorded_at_us;
      for (int d = 0; d < 12; ++d) {
        const domain::Date on = domain::add_days(domain::Date{2022, 12, 1}, d * 97);
        for (const std::string& network : kNetworks) {
          std::map<std::string, std::size_t> expected = upto.members_by_sector_on(network, on);
          const auto all = compute_coverage(models, on, known_at);
          const auto it = std::find_if(all.begin(), all.end(), [&](const NetworkCoverage& c) {
            return c.network == network;
          });
          ASSERT_NE(it, all.end());
          ASSERT_EQ(it->members_by_sector, expected) << network << " " << domain::to_string(on);
        }
      }
    }
  }
}

TEST(TrendCounters, CountsTheMembersOfASectorWhoseMembersHaveAllLeft) {
  TestLog log;
  log.add(network_stream("oulu"), established("oulu"));
  log.add(network_stream("oulu"), joined("m1", "ngo", "2023-03-01"));
  log.add(network_stream("oulu"), left("m1", "2023-06-01"));
  const ReadModels models = log.replay_models();
  const auto& counters = models.get<TrendCounters>();
  EXPECT_EQ(counters.members_by_sector_on("oulu", day("2023-04-01")),
            (std::map<std::string, std::size_t>{{"ngo", 1}}));
  EXPECT_TRUE(counters.members_by_sector_on("oulu", day("2023-06-01")).empty());
}

TEST(TrendCounters, ARetractionOrAnAmendmentLeavesTheCountsAsIfNeverRecorded) {
  TestLog log;
  log.add(network_stream("oulu"), established("oulu"));
  log.add(network_stream("oulu"), observed("o1", "forced_labour", "2023-03-01", {"Thai"}));
  log.add(domain::meeting_stream("mt"), scheduled("mt", "oulu", "2023-03-02"));
  log.add(domain::meeting_stream("mt"),
          domain::MeetingHeld{day("2023-03-02"), {}, 5, {"forced_labour"}, std::nullopt});
  TrendCounters before;
  for (const auto& e : log.entries()) before.apply(e.meta, e.event);
  log.add(network_stream("oulu"), observed("o2", "seasonal_work", "2023-03-01", {"thai"}));
  log.add(network_stream("oulu"), domain::ObservationRetracted{"o2", "twice"});
  log.add(domain::meeting_stream("mt"),
          domain::MeetingRecordAmended{
              day("2023-04-02"), {}, 5, {"seasonal_work"}, std::nullopt, "wrong day"});
  log.add(domain::meeting_stream("mt"),
          domain::MeetingRecordAmended{
              day("2023-03-02"), {}, 5, {"forced_labour"}, std::nullopt, "right day after all"});
  TrendCounters after;
  for (const auto& e : log.entries()) after.apply(e.meta, e.event);
  TrendQuery q;
  q.today = day("2024-01-01");
  EXPECT_EQ(after.report(q).periods, before.report(q).periods);
  EXPECT_EQ(after.report(q).themes_ranked, before.report(q).themes_ranked);
}

TEST(TrendCounters, ASavedUnitLoadedAndFedTheRestEqualsOneFedEverything) {
  const TestLog log = RandomLog(99).make(800);
  TrendCounters whole;
  for (const auto& e : log.entries()) whole.apply(e.meta, e.event);
  for (const std::size_t cut :
       {std::size_t{0}, std::size_t{3}, std::size_t{200}, log.entries().size()}) {
    SCOPED_TRACE("cut at " + std::to_string(cut));
    TrendCounters first;
    for (std::size_t i = 0; i < cut; ++i)
      first.apply(log.entries()[i].meta, log.entries()[i].event);
    SnapshotWriter out;
    PersonalPieces pieces;
    first.save(out, pieces);
    EXPECT_TRUE(pieces.pieces().empty());  // the counters hold nothing personal
    TrendCounters loaded;
    SnapshotReader in(out.bytes());
    ASSERT_TRUE(loaded.load(in, OpenedPieces()));
    EXPECT_TRUE(in.at_end());
    EXPECT_EQ(loaded, first);
    for (std::size_t i = cut; i < log.entries().size(); ++i) {
      loaded.apply(log.entries()[i].meta, log.entries()[i].event);
    }
    EXPECT_EQ(loaded, whole);
    EXPECT_EQ(loaded.dump(), whole.dump());
  }
}

TEST(TrendCounters, ATruncatedSectionDoesNotLoad) {
  const TestLog log = RandomLog(5).make(200);
  TrendCounters unit;
  for (const auto& e : log.entries()) unit.apply(e.meta, e.event);
  SnapshotWriter out;
  PersonalPieces pieces;
  unit.save(out, pieces);
  const std::string bytes = out.bytes();
  for (const std::size_t keep : {bytes.size() / 3, bytes.size() / 2, bytes.size() - 1}) {
    TrendCounters loaded;
    SnapshotReader in(std::string_view(bytes).substr(0, keep));
    EXPECT_FALSE(loaded.load(in, OpenedPieces()) && in.at_end()) << keep;
  }
}

}  // namespace
}  // namespace ikv::projections
