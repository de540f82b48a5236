// The EventIndex alone: group values round-trip, a rebuild in other chunks
// gives the same entries, damaged values are refused, and fingerprints that
// collide name every position that carries them.
#include "eventstore/event_index.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ikv::eventstore {
namespace {

struct Event {
  std::string id, category, type;
};

std::vector<Event> sample(int n) {
  std::vector<Event> out;
  for (int i = 0; i < n; ++i) {
    out.push_back({"id-" + std::to_string(i),
                   i % 3 == 0 ? "network" : "member-" + std::to_string(i % 5),
                   i % 2 == 0 ? "MemberJoined" : "MeetingHeld"});
  }
  return out;
}

// Indexes `events` in groups of `chunk`, as the writer does.
void add(EventIndex& index, const std::vector<Event>& events, std::size_t chunk) {
  for (std::size_t at = 0; at < events.size(); at += chunk) {
    std::vector<IndexedEvent> group;
    for (std::size_t i = at; i < std::min(events.size(), at + chunk); ++i) {
      group.push_back(
          {.event_id = events[i].id, .category = events[i].category, .type = events[i].type});
    }
    const std::uint64_t first = index.size() + 1;
    ASSERT_TRUE(index.apply_group(first, index.encode_group(group)));
  }
}

TEST(EventIndex, FindsEveryEventByIdCategoryAndType) {
  const auto events = sample(3000);
  EventIndex index;
  add(index, events, 7);
  ASSERT_EQ(index.size(), 3000u);
  for (std::size_t i = 0; i < events.size(); ++i) {
    auto c = index.candidates(events[i].id);
    ASSERT_EQ(c, std::vector<std::uint64_t>{i + 1}) << events[i].id;
  }
  EXPECT_TRUE(index.candidates("id-absent").empty());
  std::vector<std::uint64_t> want;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i].category == "network" && events[i].type == "MemberJoined") want.push_back(i + 1);
  }
  EXPECT_EQ(index.select(0, 3000, "network", "MemberJoined", 100000), want);
  auto page = index.select(want[3], 3000, "network", "MemberJoined", 2);
  EXPECT_EQ(page, (std::vector<std::uint64_t>{want[4], want[5]}));
  EXPECT_TRUE(index.select(0, 3000, "nowhere", "", 10).empty());
  EXPECT_EQ(index.select(0, 10, "", "", 100).size(), 10u);  // bounded by up_to
}

TEST(EventIndex, RebuiltInOtherChunksHasTheSameEntries) {
  const auto events = sample(5000);
  EventIndex live, rebuilt, other;
  add(live, events, 1);
  add(rebuilt, events, 4096);
  add(other, std::vector<Event>(events.begin(), events.end() - 1), 4096);
  EXPECT_TRUE(live.same_entries(rebuilt));
  EXPECT_FALSE(live.same_entries(other));
  EXPECT_LT(live.memory_bytes(), 40u * 5000u + 4096u * 8u);
}

TEST(EventIndex, RefusesAGroupNamingMoreTypesThanItsCodesHold) {
  // Codes are 16 bits (event_index.h): 65,535 types fit, one more does not.
  std::vector<std::string> names;
  for (int i = 0; i <= 65'535; ++i) names.push_back("T" + std::to_string(i));
  std::vector<IndexedEvent> group;
  for (const std::string& n : names) group.push_back({.event_id = n, .category = "c", .type = n});
  EventIndex index;
  EXPECT_FALSE(index.apply_group(1, index.encode_group(group)));
  EXPECT_EQ(index.size(), 0u);
  group.pop_back();
  EXPECT_TRUE(index.apply_group(1, index.encode_group(group)));
  EXPECT_EQ(index.size(), 65'535u);
  EXPECT_EQ(index.select(0, 65'535, "c", "T65534", 10), std::vector<std::uint64_t>{65'535});
}

TEST(EventIndex, RefusesDamagedOrMisplacedValues) {
  EventIndex index;
  std::vector<IndexedEvent> group{{.event_id = "a", .category = "c", .type = "T"}};
  const std::string value = index.encode_group(group);
  EXPECT_FALSE(index.apply_group(2, value));  // does not continue the index
  EXPECT_FALSE(index.apply_group(1, value.substr(0, value.size() - 1)));
  EXPECT_FALSE(index.apply_group(1, value + "x"));
  std::string unknown_code = value;
  unknown_code.back() = 5;  // type code 5 was never defined
  EXPECT_FALSE(index.apply_group(1, unknown_code));
  EXPECT_EQ(index.size(), 0u);
  EXPECT_TRUE(index.apply_group(1, value));
  EXPECT_EQ(index.size(), 1u);
}

TEST(EventIndex, CollidingFingerprintsNameEveryCandidate) {
  EventIndex index([](std::string_view id) { return std::uint64_t{id.size()}; });
  add(index, {{"aa", "c", "T"}, {"bb", "c", "T"}, {"ccc", "c", "T"}, {"dd", "c", "T"}}, 2);
  EXPECT_EQ(index.candidates("zz"), (std::vector<std::uint64_t>{1, 2, 4}));
  EXPECT_EQ(index.candidates("xyz"), (std::vector<std::uint64_t>{3}));
  EXPECT_TRUE(index.candidates("x").empty());
}

TEST(EventIndex, FingerprintIsTheFirstBytesOfSha256) {
  // SHA-256("abc") = ba7816bf 8f01cfea ...
  EXPECT_EQ(event_id_fingerprint("abc"), 0xba7816bf8f01cfeaULL);
}

}  // namespace
}  // namespace ikv::eventstore
