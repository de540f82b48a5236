// IdMap against std::map: random adds (try_emplace, insert_or_assign),
// changes through find(), erasures and re-adds of erased ids, over ids of
// every length; every lookup, the size, the sorted entries and equality with
// a map built in another order must agree.
#include "common/id_map.h"
#include "projections/interned_lists.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace ikv::projections {
namespace {

TEST(IdMap, AgreesWithAnOrderedMapOverRandomRuns) {
  for (std::uint32_t seed = 1; seed <= 20; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 rng(seed);
    const auto pick = [&](std::uint32_t n) { return rng() % n; };
    std::vector<std::string> ids;
    for (int i = 0; i < 300; ++i) ids.push_back(std::string(pick(40), 'x') + std::to_string(i));
    ids.emplace_back("");  // an empty id is an id
    IdMap<int> map;
    std::map<std::string, int, std::less<>> model;
    for (int op = 0; op < 4000; ++op) {
      const std::string& id = ids[pick(static_cast<std::uint32_t>(ids.size()))];
      const int value = static_cast<int>(pick(1000));
      switch (pick(5)) {
        case 0: {
          const auto [v, added] = map.try_emplace(id, value);
          const auto [it, model_added] = model.try_emplace(id, value);
          ASSERT_EQ(added, model_added);
          ASSERT_EQ(*v, it->second);
          // An entry's number, without a look-up, is its id's.
          ASSERT_EQ(map.number_of_entry(*v), map.number_of(id));
          ASSERT_EQ(map.id_at(map.number_of_entry(*v)), id);
          ASSERT_EQ(map.id_of(*v), id);
          break;
        }
        case 1:
          map.insert_or_assign(id, value);
          model.insert_or_assign(id, value);
          break;
        case 2:
          ASSERT_EQ(map.erase(id), model.erase(id) == 1);
          break;
        case 3:
          if (int* v = map.find(id)) *v += 1;
          if (auto it = model.find(id); it != model.end()) it->second += 1;
          break;
        default: {
          const int* v = map.find(id);
          const auto it = model.find(id);
          ASSERT_EQ(v != nullptr, it != model.end());
          if (v != nullptr) {
            ASSERT_EQ(*v, it->second);
          }
          ASSERT_EQ(map.contains(id), it != model.end());
        }
      }
      ASSERT_EQ(map.size(), model.size());
    }
    const auto sorted = map.sorted();
    ASSERT_EQ(sorted.size(), model.size());
    auto it = model.begin();
    for (const auto& [id, v] : sorted) {
      EXPECT_EQ(id, it->first);
      EXPECT_EQ(*v, it->second);
      ++it;
    }
    // The same entries added in another order (and with other ids added and
    // erased on the way) compare equal; one value changed does not.
    IdMap<int> other;
    other.try_emplace("never-present", 1);
    other.erase("never-present");
    for (auto r = model.rbegin(); r != model.rend(); ++r) other.try_emplace(r->first, r->second);
    EXPECT_TRUE(other == map);
    if (!model.empty()) {
      *other.find(model.begin()->first) += 1;
      EXPECT_FALSE(other == map);
      other.erase(model.begin()->first);
      EXPECT_FALSE(other == map);
    }
    IdMap<int> copy = map;
    EXPECT_TRUE(copy == map);
  }
}

TEST(IdMap, AnErasedIdComesBackWithItsNewValueOnly) {
  IdMap<std::vector<int>> map;
  map.reserve(100);
  map.try_emplace("a", {1, 2});
  EXPECT_TRUE(map.erase("a"));
  EXPECT_FALSE(map.erase("a"));
  EXPECT_EQ(map.find("a"), nullptr);
  EXPECT_TRUE(map.empty());
  const auto [v, added] = map.try_emplace("a", {3});
  EXPECT_TRUE(added);
  EXPECT_EQ(*v, std::vector<int>{3});
  int visited = 0;
  map.for_each([&](std::string_view id, const std::vector<int>& value) {
    EXPECT_EQ(id, "a");
    EXPECT_EQ(value, std::vector<int>{3});
    ++visited;
  });
  EXPECT_EQ(visited, 1);
}

// Interned lists: one number per distinct list, stable; a copy names the
// same lists by the same numbers and owns them (the original may go).
TEST(InternedLists, NumbersEachDistinctListOnceAndCopiesOwnTheirLists) {
  auto lists = std::make_unique<InternedLists>();
  const std::uint32_t a = lists->intern({"oulu"});
  const std::uint32_t b = lists->intern({"oulu", "vaasa"});
  EXPECT_EQ(lists->intern({"oulu"}), a);
  EXPECT_NE(a, b);
  EXPECT_EQ(lists->intern({"vaasa", "oulu"}), 2u);  // order counts
  EXPECT_EQ(lists->find({"oulu", "vaasa"}), b);
  EXPECT_EQ(lists->find({"turku"}), std::nullopt);
  const InternedLists copy(*lists);
  InternedLists assigned;
  assigned = *lists;
  lists.reset();
  for (const InternedLists* l : {&copy, static_cast<const InternedLists*>(&assigned)}) {
    EXPECT_EQ(l->size(), 3u);
    EXPECT_EQ(l->at(a), (std::vector<std::string>{"oulu"}));
    EXPECT_EQ(l->at(b), (std::vector<std::string>{"oulu", "vaasa"}));
  }
}

}  // namespace
}  // namespace ikv::projections
