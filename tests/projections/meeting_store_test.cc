// MeetingStore against std::map: random puts that grow and shrink records
// (enough of them to compact the arena many times), adds and version raises;
// every lookup, the size, the sorted entries and equality with a store built
// from the model in another order must agree, and the garbage left in the
// arena stays bounded.
#include "projections/meeting_store.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace ikv::projections {
namespace {

struct Kept {
  std::string bytes;
  std::uint64_t version = 0;
};

TEST(MeetingStore, AgreesWithAnOrderedMapOverRandomRunsThatCompactTheArena) {
  for (std::uint32_t seed = 1; seed <= 8; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 rng(seed);
    const auto pick = [&](std::uint32_t n) { return rng() % n; };
    std::vector<std::string> ids;
    for (int i = 0; i < 60; ++i) ids.push_back("m-" + std::to_string(i));
    MeetingStore store;
    std::map<std::string, Kept, std::less<>> model;
    std::uint64_t live = 0;  // bytes of the model's records
    std::uint64_t compactions = 0;
    for (int op = 0; op < 3000; ++op) {
      const std::string& id = ids[pick(static_cast<std::uint32_t>(ids.size()))];
      // Records from empty to 20 KB, so that a few hundred puts leave more
      // than MeetingStore::kCompactFloor behind.
      const std::string bytes(pick(4) == 0 ? pick(20'000) : pick(300),
                              static_cast<char>('a' + pick(26)));
      switch (pick(3)) {
        case 0: {
          const std::uint64_t before = store.garbage();
          store.put(id, bytes);
          if (store.garbage() < before) ++compactions;
          live -= model[id].bytes.size();
          model[id].bytes = bytes;
          live += bytes.size();
          break;
        }
        case 1: {
          const std::uint64_t version = pick(50);
          const bool added = store.add(id, bytes, version);
          ASSERT_EQ(added, !model.contains(id));
          if (added) {
            model[id] = {bytes, version};
            live += bytes.size();
          }
          break;
        }
        default: {
          const std::uint64_t version = pick(50);
          const bool kept = store.raise_version(id, version);
          ASSERT_EQ(kept, model.contains(id));
          if (kept) model[id].version = std::max(model[id].version, version);
          break;
        }
      }
      // The arena holds the live bytes and the garbage; garbage over the
      // floor is never over a quarter of it.
      const std::uint64_t garbage = store.garbage();
      ASSERT_TRUE(garbage < MeetingStore::kCompactFloor || garbage * 4 < live + garbage)
          << garbage << " of " << live + garbage;
      const auto found = store.find(id);
      const auto it = model.find(id);
      ASSERT_EQ(found.has_value(), it != model.end());
      if (found) {
        ASSERT_EQ(found->bytes, it->second.bytes);
        ASSERT_EQ(found->version, it->second.version);
      }
    }
    ASSERT_EQ(store.size(), model.size());
    EXPECT_GT(compactions, 0u);
    const auto sorted = store.sorted();
    ASSERT_EQ(sorted.size(), model.size());
    auto m = model.begin();
    for (const auto& [id, e] : sorted) {
      ASSERT_EQ(id, m->first);
      ASSERT_EQ(e.bytes, m->second.bytes);
      ASSERT_EQ(e.version, m->second.version);
      ++m;
    }
    // Equal to the same meetings added in reverse order; unequal once one differs.
    MeetingStore other;
    for (auto it = model.rbegin(); it != model.rend(); ++it) {
      ASSERT_TRUE(other.add(it->first, it->second.bytes, it->second.version));
    }
    EXPECT_TRUE(store == other);
    if (!model.empty()) {
      other.raise_version(model.begin()->first, model.begin()->second.version + 1);
      EXPECT_FALSE(store == other);
    }
  }
}

TEST(MeetingStore, ARecordThatFitsIsWrittenInPlaceAndAGrownOneMovesLeavingGarbage) {
  MeetingStore store;
  ASSERT_TRUE(store.add("m-1", "0123456789", 1));
  store.put("m-1", "abc");
  EXPECT_EQ(store.find("m-1")->bytes, "abc");
  EXPECT_EQ(store.garbage(), 7u);
  store.put("m-1", std::string(100, 'z'));
  EXPECT_EQ(store.find("m-1")->bytes, std::string(100, 'z'));
  EXPECT_EQ(store.garbage(), 10u);            // the old ten bytes
  EXPECT_EQ(store.find("m-1")->version, 1u);  // a put keeps the version
  EXPECT_FALSE(store.raise_version("m-2", 3));
  EXPECT_FALSE(store.find("m-2"));
  store.put("m-2", "x");  // a put adds at version 0
  EXPECT_EQ(store.find("m-2")->version, 0u);
  EXPECT_TRUE(store.raise_version("m-2", 3));
  EXPECT_TRUE(store.raise_version("m-2", 2));  // lower: kept, unchanged
  EXPECT_EQ(store.find("m-2")->version, 3u);
}

}  // namespace
}  // namespace ikv::projections
