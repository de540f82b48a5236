// PackedList with the training codecs: records read back as pushed, in
// order and by index; save() writes exactly what writing each record did
// (the view snapshot's grammar is unchanged), load() takes back both and
// refuses a cut list; equality is by content.
#include "projections/packed_list.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "projections/network_view.h"

namespace ikv::projections {
namespace {

std::vector<TrainingDeliveryRecord> deliveries(std::uint32_t seed, int n) {
  std::mt19937 rng(seed);
  std::vector<TrainingDeliveryRecord> out;
  for (int i = 0; i < n; ++i) {
    TrainingDeliveryRecord t;
    t.training_id = "t-" + std::to_string(rng() % 100000);
    t.topic = rng() % 2 ? "victim_identification" : "";
    t.delivered_on =
        rng() % 3 ? domain::Date{2020 + static_cast<int>(rng() % 6),
                                 1 + static_cast<int>(rng() % 12), 1 + static_cast<int>(rng() % 28)}
                  : domain::Date{2024, 5, 1, domain::DatePrecision::kMonth};
    t.participants = static_cast<int>(rng() % 90) - 3;
    t.recorded_at_us = static_cast<std::int64_t>(rng()) * 1000;
    if (rng() % 2) t.request_id = std::string(rng() % 40, 'r');
    out.push_back(t);
  }
  return out;
}

TEST(PackedList, ReadsBackWhatWasPushedByIndexAndInOrder) {
  for (std::uint32_t seed = 1; seed <= 5; ++seed) {
    const auto records = deliveries(seed, 300);
    PackedList<TrainingDeliveryCodec> list;
    for (const auto& r : records) list.push_back(r);
    ASSERT_EQ(list.size(), records.size());
    for (std::size_t i = 0; i < records.size(); ++i) ASSERT_EQ(list[i], records[i]) << i;
    std::size_t i = 0;
    for (const TrainingDeliveryRecord& r : list) ASSERT_EQ(r, records[i++]);
    EXPECT_EQ(list.back(), records.back());
    // counted() reads what the indexes need in place.
    for (std::size_t k = 0; k < records.size(); ++k) {
      const auto c = TrainingDeliveryCodec::counted(list.bytes_of(k));
      ASSERT_EQ(c.participants, records[k].participants);
      ASSERT_EQ(c.request_id.has_value(), records[k].request_id.has_value());
      if (c.request_id) {
        ASSERT_EQ(*c.request_id, *records[k].request_id);
      }
    }
  }
}

TEST(PackedList, SavesTheSnapshotGrammarByteForByteAndLoadsIt) {
  const auto records = deliveries(9, 200);
  PackedList<TrainingDeliveryCodec> list;
  for (const auto& r : records) list.push_back(r);
  SnapshotWriter packed;
  list.save(packed);
  SnapshotWriter one_by_one;  // as the view snapshot wrote the list before
  one_by_one.varint(records.size());
  for (const auto& r : records) TrainingDeliveryCodec::write(one_by_one, r);
  ASSERT_EQ(packed.bytes(), one_by_one.bytes());

  SnapshotReader in(packed.bytes());
  PackedList<TrainingDeliveryCodec> loaded;
  ASSERT_TRUE(loaded.load(in));
  EXPECT_TRUE(in.at_end());
  EXPECT_TRUE(loaded == list);
  loaded.push_back(records[0]);
  EXPECT_FALSE(loaded == list);

  // Every cut of the bytes is refused, never read past.
  const std::string bytes = packed.bytes();
  for (std::size_t cut = 0; cut < bytes.size(); cut += 7) {
    SnapshotReader part(std::string_view(bytes).substr(0, cut));
    PackedList<TrainingDeliveryCodec> l;
    EXPECT_FALSE(l.load(part)) << cut;
  }
}

TEST(PackedList, TrainingRequestsRoundTrip) {
  PackedList<TrainingRequestCodec> list;
  const TrainingRequestRecord a{"req-1", "trafficking_phenomenon", domain::Date{2024, 3, 1},
                                std::string("for new members"), 1'700'000'000'000'000};
  const TrainingRequestRecord b{
      "req-2", "", domain::Date{2025, 2, 1, domain::DatePrecision::kMonth}, std::nullopt, -5};
  list.push_back(a);
  list.push_back(b);
  EXPECT_EQ(list[0], a);
  EXPECT_EQ(list[1], b);
  SnapshotWriter w;
  list.save(w);
  SnapshotReader r(w.bytes());
  PackedList<TrainingRequestCodec> loaded;
  ASSERT_TRUE(loaded.load(r));
  EXPECT_EQ(loaded[1], b);
}

}  // namespace
}  // namespace ikv::projections
