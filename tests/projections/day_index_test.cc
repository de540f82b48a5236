// DayIndex against std::map: keys inserted in log order with days mostly
// recent (the usual case, filling chunks at the end) or anywhere (splitting
// chunks in the middle); every walk, every lower and upper bound by key and
// by a sort key's text, and equality of indexes chunked differently must
// agree.
#include "projections/day_index.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

namespace ikv::projections {
namespace {

using Model = std::map<DayPosition, std::uint32_t, DayPositionLess>;

void expect_same(const DayIndex& index, const Model& model) {
  ASSERT_EQ(index.size(), model.size());
  auto m = model.begin();
  for (auto it = index.begin(); it != index.end(); ++it, ++m) {
    ASSERT_EQ((*it).first, m->first);
    ASSERT_EQ((*it).second, m->second);
  }
}

template <class K>
void expect_bounds(const DayIndex& index, const Model& model, const K& key) {
  const auto at = [&](DayIndex::const_iterator it) -> std::optional<DayPosition> {
    if (it == index.end()) return std::nullopt;
    return (*it).first;
  };
  const auto model_at = [&](Model::const_iterator it) -> std::optional<DayPosition> {
    if (it == model.end()) return std::nullopt;
    return it->first;
  };
  EXPECT_EQ(at(index.lower_bound(key)), model_at(model.lower_bound(key)));
  EXPECT_EQ(at(index.upper_bound(key)), model_at(model.upper_bound(key)));
}

TEST(DayIndex, AgreesWithAnOrderedMapOverRandomRuns) {
  for (std::uint32_t seed = 1; seed <= 12; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 rng(seed);
    const auto pick = [&](std::uint32_t n) { return static_cast<std::int32_t>(rng() % n); };
    DayIndex index;
    Model model;
    const bool mostly_recent = seed % 2 == 0;
    std::int32_t today = 19'000;
    for (std::uint32_t position = 1; position <= 3000; ++position) {
      today += pick(3) == 0 ? 1 : 0;
      const std::int32_t day = mostly_recent && pick(10) != 0 ? today : 18'000 + pick(1500);
      index.insert({day, position}, position * 2);
      model.emplace(DayPosition{day, position}, position * 2);
      if (position % 250 == 0) expect_same(index, model);
    }
    expect_same(index, model);
    for (int probe = 0; probe < 400; ++probe) {
      const DayPosition key{17'990 + pick(1600), static_cast<std::uint64_t>(pick(3100))};
      expect_bounds(index, model, key);
      expect_bounds(index, model, key.text());
      expect_bounds(index, model, key.text().substr(0, 10));  // a date bound
    }
    // The same entries inserted in key order make other chunks, and compare equal.
    DayIndex sorted;
    for (const auto& [key, row] : model) sorted.insert(key, row);
    EXPECT_TRUE(sorted == index);
    DayIndex fewer;
    for (auto it = model.begin(); it != std::prev(model.end()); ++it)
      fewer.insert(it->first, it->second);
    EXPECT_FALSE(fewer == index);
  }
}

TEST(DayIndex, AnEmptyIndexHasNoBounds) {
  const DayIndex index;
  EXPECT_TRUE(index.begin() == index.end());
  EXPECT_TRUE(index.lower_bound(DayPosition{1, 1}) == index.end());
  EXPECT_TRUE(index.upper_bound(std::string_view("2024-01-01")) == index.end());
}

}  // namespace
}  // namespace ikv::projections
