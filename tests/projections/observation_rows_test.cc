// ObservationRows against a reference: random observations (texts of every
// length, shared and unshared target-group lists, ids recorded twice, month
// and day dates) and retractions go to the flat rows and to a plain vector of
// records with a map of first rows by id; every row, every lookup and the
// equality of a copy built from the records must agree.
#include "projections/observation_rows.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace ikv::projections {
namespace {

class RowsRun {
 public:
  explicit RowsRun(std::uint32_t seed) : rng_(seed) {}

  void run(int operations) {
    for (int op = 0; op < operations && !::testing::Test::HasFailure(); ++op) {
      if (pick(5) == 0 && !model_.empty()) {
        retract();
      } else {
        record();
      }
      if (op % 97 == 0) compare();
    }
    compare();
    ObservationRows rebuilt;
    for (const ObservationRecord& o : model_) rebuilt.push(o);
    EXPECT_TRUE(rebuilt == rows_);
    ObservationRows copy = rows_;
    EXPECT_TRUE(copy == rows_);
    if (!model_.empty()) {
      // One difference anywhere breaks equality.
      ObservationRows other;
      for (std::size_t i = 0; i + 1 < model_.size(); ++i) other.push(model_[i]);
      EXPECT_FALSE(other == rows_);
    }
  }

 private:
  std::uint64_t pick(std::uint64_t n) { return rng_() % n; }

  std::string text(std::size_t max) {
    std::string s(pick(max + 1), 'a');
    for (char& c : s) c = static_cast<char>('a' + pick(26));
    return s;
  }

  std::string id() {
    // A small space of ids so that some are recorded twice.
    return "o-" + std::to_string(pick(400)) + (pick(3) == 0 ? text(40) : "");
  }

  void record() {
    static const char* const kThemes[] = {"forced_labour", "forced_marriage", "exploitation"};
    static const char* const kGroups[] = {"seasonal_workers", "children", "students",
                                          "Thai berry pickers, written as text"};
    ObservationRecord o;
    o.observation_id = id();
    o.theme = kThemes[pick(3)];
    o.observed_on =
        pick(2) == 0
            ? domain::Date{static_cast<int>(1990 + pick(40)), static_cast<int>(1 + pick(12)), 1,
                           domain::DatePrecision::kMonth}
            : domain::Date{static_cast<int>(1990 + pick(40)), static_cast<int>(1 + pick(12)),
                           static_cast<int>(1 + pick(28)), domain::DatePrecision::kDay};
    for (std::uint64_t k = pick(4); k > 0; --k) o.target_groups.emplace_back(kGroups[pick(4)]);
    if (pick(2) == 0) o.meeting_id = "meeting-" + text(8);
    if (pick(2) == 0) o.summary = text(300);
    o.recorded_at_us = static_cast<std::int64_t>(rng_() >> 1) * (pick(2) == 0 ? 1 : -1);
    o.position = ++position_;

    std::vector<std::string_view> groups(o.target_groups.begin(), o.target_groups.end());
    const std::size_t row =
        rows_.push({o.observation_id, o.theme, o.observed_on, groups,
                    o.meeting_id ? std::optional<std::string_view>(*o.meeting_id) : std::nullopt,
                    o.summary ? std::optional<std::string_view>(*o.summary) : std::nullopt,
                    o.recorded_at_us, o.position});
    ASSERT_EQ(row, model_.size());
    first_.try_emplace(o.observation_id, model_.size());
    model_.push_back(std::move(o));
  }

  void retract() {
    const std::string which = pick(4) == 0 ? id() : model_[pick(model_.size())].observation_id;
    const auto found = rows_.find(which);
    const auto expected = first_.find(which);
    ASSERT_EQ(found.has_value(), expected != first_.end()) << which;
    if (!found) return;
    ASSERT_EQ(*found, expected->second);
    ObservationRecord& o = model_[expected->second];
    std::optional<std::string> reason;
    if (pick(3) != 0) reason = text(60);
    std::optional<std::int64_t> at;
    if (pick(4) != 0) at = static_cast<std::int64_t>(pick(1'000'000'000));
    const bool changed = rows_.retract(*found, reason, at);
    EXPECT_EQ(changed, !o.retracted);
    if (!o.retracted) {
      o.retracted = true;
      o.retraction_reason = reason;
      o.retracted_at_us = at;
    }
  }

  void compare() {
    ASSERT_EQ(rows_.size(), model_.size());
    std::size_t i = 0;
    for (const ObservationRecord& o : rows_) {
      ASSERT_EQ(o, model_[i]) << "row " << i;
      EXPECT_EQ(rows_.id(i), o.observation_id);
      EXPECT_EQ(rows_.theme(i), o.theme);
      EXPECT_EQ(rows_.observed_on(i), o.observed_on);
      EXPECT_EQ(rows_.position(i), o.position);
      EXPECT_EQ(rows_.recorded_at_us(i), o.recorded_at_us);
      EXPECT_EQ(rows_.retracted(i), o.retracted);
      ++i;
    }
    for (const auto& [id, row] : first_) EXPECT_EQ(rows_.find(id), row) << id;
    EXPECT_FALSE(rows_.find("never-recorded"));
  }

  std::mt19937 rng_;
  ObservationRows rows_;
  std::vector<ObservationRecord> model_;
  std::map<std::string, std::size_t> first_;
  std::uint64_t position_ = 0;
};

TEST(ObservationRows, AgreeWithPlainRecordsOverRandomRuns) {
  for (std::uint32_t seed = 1; seed <= 20; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    RowsRun(seed).run(1500);
  }
}

TEST(ObservationRows, TheFirstRowKeepsAnIdRecordedTwice) {
  ObservationRows rows;
  ObservationRecord a{.observation_id = "o1", .theme = "forced_labour", .position = 1};
  ObservationRecord b{.observation_id = "o1", .theme = "forced_marriage", .position = 2};
  rows.push(a);
  rows.push(b);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows.find("o1"), 0u);
  EXPECT_TRUE(rows.retract(0, "duplicate", 5));
  EXPECT_FALSE(rows.retract(0, "again", 6));
  EXPECT_EQ(rows[0].retraction_reason, "duplicate");
  EXPECT_FALSE(rows[1].retracted);
}

TEST(ObservationRows, AnEmptyListAndNoTextsStayAbsent) {
  ObservationRows rows;
  rows.push(ObservationRecord{.observation_id = "", .theme = "t", .position = 7});
  const ObservationRecord o = rows[0];
  EXPECT_TRUE(o.target_groups.empty());
  EXPECT_FALSE(o.meeting_id);
  EXPECT_FALSE(o.summary);
  EXPECT_EQ(rows.find(""), 0u);
  rows.push(ObservationRecord{
      .observation_id = "x", .theme = "t", .meeting_id = "", .summary = "", .position = 8});
  EXPECT_EQ(rows[1].meeting_id, std::optional<std::string>(""));
  EXPECT_EQ(rows[1].summary, std::optional<std::string>(""));
}

}  // namespace
}  // namespace ikv::projections
