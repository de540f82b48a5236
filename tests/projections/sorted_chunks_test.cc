// SortedChunks against std::set: values inserted mostly at the end (chunks
// filled in order), anywhere (chunks split in the middle) and erased
// (chunks emptied and dropped), with duplicates refused; every walk, bound
// and equality of sets chunked differently must agree.
#include "projections/sorted_chunks.h"

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <random>
#include <set>
#include <vector>

namespace ikv::projections {
namespace {

using Chunks = SortedChunks<int, std::less<>>;

void expect_same(const Chunks& chunks, const std::set<int>& model) {
  ASSERT_EQ(chunks.size(), model.size());
  ASSERT_EQ(chunks.empty(), model.empty());
  ASSERT_TRUE(std::equal(chunks.begin(), chunks.end(), model.begin(), model.end()));
  if (!model.empty()) {
    EXPECT_EQ(chunks.back(), *model.rbegin());
  }
}

std::optional<int> at(const Chunks& c, Chunks::const_iterator it) {
  return it == c.end() ? std::nullopt : std::optional<int>(*it);
}
std::optional<int> at(const std::set<int>& m, std::set<int>::const_iterator it) {
  return it == m.end() ? std::nullopt : std::optional<int>(*it);
}

TEST(SortedChunks, MatchesAStdSetUnderInsertionsAndErasures) {
  for (const int spread : {10, 1000, 100000}) {
    std::mt19937 rng(static_cast<unsigned>(spread));
    Chunks chunks;
    std::set<int> model;
    int high = 0;
    for (int i = 0; i < 20000; ++i) {
      const unsigned op = rng() % 10;
      if (op < 5) {  // near the end
        high += static_cast<int>(rng() % 3);
        EXPECT_EQ(chunks.insert(high), model.insert(high).second);
      } else if (op < 8) {  // anywhere
        const int v = static_cast<int>(rng() % static_cast<unsigned>(spread + high + 1));
        EXPECT_EQ(chunks.insert(v), model.insert(v).second) << v;
      } else {  // erase, present or not
        const int v = static_cast<int>(rng() % static_cast<unsigned>(spread + high + 1));
        EXPECT_EQ(chunks.erase(v), model.erase(v) == 1) << v;
      }
      if (i % 997 == 0) expect_same(chunks, model);
    }
    expect_same(chunks, model);
    for (int i = 0; i < 500; ++i) {
      const int v = static_cast<int>(rng() % static_cast<unsigned>(spread + high + 2)) - 1;
      EXPECT_EQ(at(chunks, chunks.lower_bound(v)), at(model, model.lower_bound(v))) << v;
      EXPECT_EQ(at(chunks, chunks.upper_bound(v)), at(model, model.upper_bound(v))) << v;
    }
    // The same values assigned at once: equal, whatever the chunking.
    Chunks at_once;
    at_once.assign_sorted(std::vector<int>(model.begin(), model.end()));
    expect_same(at_once, model);
    EXPECT_EQ(at_once, chunks);
    if (!model.empty()) {
      at_once.erase(*model.begin());
      EXPECT_FALSE(at_once == chunks);
    }
  }
}

TEST(SortedChunks, ErasingEverythingLeavesAnEmptySetThatTakesNewValues) {
  Chunks chunks;
  for (int v = 0; v < 1000; ++v) ASSERT_TRUE(chunks.insert(v));
  for (int v = 999; v >= 0; v -= 2) ASSERT_TRUE(chunks.erase(v));
  for (int v = 0; v < 1000; v += 2) ASSERT_TRUE(chunks.erase(v));
  EXPECT_TRUE(chunks.empty());
  EXPECT_EQ(chunks.begin(), chunks.end());
  EXPECT_FALSE(chunks.erase(3));
  EXPECT_EQ(chunks.lower_bound(0), chunks.end());
  ASSERT_TRUE(chunks.insert(7));
  expect_same(chunks, {7});
}

}  // namespace
}  // namespace ikv::projections
