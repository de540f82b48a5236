// Reads shared by both stores: streams forwards and backwards, the global log
// with filters and limits, scan_all, recorded_at and metadata.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "tests/eventstore/store_test_support.h"

namespace ikv::eventstore::testing {
namespace {

class ReadTest : public StoreTest {
 protected:
  // Global log (stream, type), positions 1..12:
  //  1 network-oulu NetworkFounded   7 network-oulu MemberJoined
  //  2 network-oulu MemberJoined     8 network      NetworkFounded
  //  3 meeting-1    MeetingPlanned   9 networks-x   MemberJoined
  //  4 network-tku  NetworkFounded  10 network-oulu MemberJoined
  //  5 network-oulu MemberJoined    11 meeting-1    MeetingHeld
  //  6 meeting-1    MemberJoined    12 network-tku  MemberLeft
  void fill() {
    const std::pair<const char*, const char*> plan[] = {
        {"network-oulu", "NetworkFounded"}, {"network-oulu", "MemberJoined"},
        {"meeting-1", "MeetingPlanned"},    {"network-tku", "NetworkFounded"},
        {"network-oulu", "MemberJoined"},   {"meeting-1", "MemberJoined"},
        {"network-oulu", "MemberJoined"},   {"network", "NetworkFounded"},
        {"networks-x", "MemberJoined"},     {"network-oulu", "MemberJoined"},
        {"meeting-1", "MeetingHeld"},       {"network-tku", "MemberLeft"},
    };
    for (auto [stream, type] : plan) {
      auto r = store().append_sync(request(stream, ExpectedVersion::any(), 1, type));
      ASSERT_TRUE(r.ok()) << r.error().message;
    }
  }

  std::vector<std::uint64_t> positions(const std::vector<RecordedEvent>& v) {
    std::vector<std::uint64_t> out;
    for (const auto& e : v) out.push_back(e.position);
    return out;
  }
  std::vector<std::uint64_t> versions(const std::vector<RecordedEvent>& v) {
    std::vector<std::uint64_t> out;
    for (const auto& e : v) out.push_back(e.version);
    return out;
  }
  using V = std::vector<std::uint64_t>;
};

ReadAllOptions opts(std::uint64_t after, std::size_t limit, std::string category = "",
                    std::string type = "") {
  ReadAllOptions o;
  o.after = after;
  o.limit = limit;
  o.category = std::move(category);
  o.type = std::move(type);
  return o;
}

constexpr std::uint64_t kEnd = std::numeric_limits<std::uint64_t>::max();

TEST_P(ReadTest, StreamForwardFromAVersionWithALimit) {
  fill();
  auto all = store().read_stream("network-oulu", 1, 100);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(versions(*all), (V{1, 2, 3, 4, 5}));
  EXPECT_EQ(positions(*all), (V{1, 2, 5, 7, 10}));
  for (const auto& e : *all) EXPECT_EQ(e.stream, "network-oulu");
  auto mid = store().read_stream("network-oulu", 3, 2);
  ASSERT_TRUE(mid.ok());
  EXPECT_EQ(versions(*mid), (V{3, 4}));
  auto past = store().read_stream("network-oulu", 6, 10);
  ASSERT_TRUE(past.ok());
  EXPECT_TRUE(past->empty());
  auto none = store().read_stream("network-nowhere", 1, 10);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_P(ReadTest, StreamDoesNotIncludeStreamsWithTheSameNamePrefix) {
  fill();
  auto r = store().read_stream("network", 1, 100);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(positions(*r), (V{8}));
}

TEST_P(ReadTest, StreamBackwardFromTheEndAndFromAVersion) {
  fill();
  auto end = store().read_stream_backward("network-oulu", kEnd, 3);
  ASSERT_TRUE(end.ok());
  EXPECT_EQ(versions(*end), (V{5, 4, 3}));
  EXPECT_EQ(positions(*end), (V{10, 7, 5}));
  auto from = store().read_stream_backward("network-oulu", 2, 10);
  ASSERT_TRUE(from.ok());
  EXPECT_EQ(versions(*from), (V{2, 1}));
  auto beyond = store().read_stream_backward("network-oulu", 40, 2);
  ASSERT_TRUE(beyond.ok());
  EXPECT_EQ(versions(*beyond), (V{5, 4}));
  auto none = store().read_stream_backward("meeting-2", kEnd, 5);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_P(ReadTest, ReadAllAfterAPositionWithALimit) {
  fill();
  auto r = store().read_all(opts(3, 4));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(positions(*r), (V{4, 5, 6, 7}));
  auto tail = store().read_all(opts(10, 100));
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(positions(*tail), (V{11, 12}));
  auto none = store().read_all(opts(12, 100));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_P(ReadTest, ReadAllByCategoryMatchesWholeCategoriesOnly) {
  fill();
  auto r = store().read_all(opts(0, 100, "network"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(positions(*r), (V{1, 2, 4, 5, 7, 8, 10, 12}));
  auto m = store().read_all(opts(0, 100, "meeting"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(positions(*m), (V{3, 6, 11}));
}

TEST_P(ReadTest, ReadAllByCategoryPagesWithTheLimit) {
  fill();
  std::vector<std::uint64_t> seen;
  std::uint64_t after = 0;
  for (int page = 0; page < 10; ++page) {
    auto r = store().read_all(opts(after, 3, "network"));
    ASSERT_TRUE(r.ok());
    ASSERT_LE(r->size(), 3u);
    if (r->empty()) break;
    for (const auto& e : *r) seen.push_back(e.position);
    after = r->back().position;
  }
  EXPECT_EQ(seen, (V{1, 2, 4, 5, 7, 8, 10, 12}));
}

TEST_P(ReadTest, ReadAllByTypeAndByBoth) {
  fill();
  auto t = store().read_all(opts(0, 100, "", "MemberJoined"));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(positions(*t), (V{2, 5, 6, 7, 9, 10}));
  auto both = store().read_all(opts(5, 2, "network", "MemberJoined"));
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(positions(*both), (V{7, 10}));
}

TEST_P(ReadTest, LimitZeroReturnsNothing) {
  fill();
  auto all = store().read_all(opts(0, 0));
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->empty()) << "read_all with limit 0 returned " << all->size() << " events";
  auto cat = store().read_all(opts(0, 0, "network"));
  ASSERT_TRUE(cat.ok());
  EXPECT_TRUE(cat->empty());
  auto st = store().read_stream("network-oulu", 1, 0);
  ASSERT_TRUE(st.ok());
  EXPECT_TRUE(st->empty());
  auto back = store().read_stream_backward("network-oulu", kEnd, 0);
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->empty());
}

TEST_P(ReadTest, ReadEventFindsAnEventById) {
  AppendRequest req = request("network-oulu", ExpectedVersion::any(), 3);
  ASSERT_TRUE(store().append_sync(req).ok());
  reopen();
  auto e = store().read_event(req.events[1].event_id);
  ASSERT_TRUE(e.ok());
  ASSERT_TRUE(e->has_value());
  EXPECT_EQ((*e)->position, 2u);
  EXPECT_EQ((*e)->version, 2u);
  EXPECT_EQ((*e)->payload, req.events[1].payload);
  auto none = store().read_event(fresh_event_id());
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_P(ReadTest, ScanAllVisitsInOrderAndStopsEarly) {
  fill();
  std::vector<std::uint64_t> seen;
  auto n = store().scan_all(4, [&](const RecordedEvent& e) {
    seen.push_back(e.position);
    return seen.size() < 3;
  });
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(seen, (V{5, 6, 7}));
  EXPECT_EQ(*n, 3u);
  seen.clear();
  auto all = store().scan_all(0, [&](const RecordedEvent& e) {
    seen.push_back(e.position);
    return true;
  });
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, 12u);
  EXPECT_EQ(seen.size(), 12u);
  auto none = store().scan_all(12, [&](const RecordedEvent&) { return true; });
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0u);
}

TEST_P(ReadTest, ReadsAgreeAfterReopen) {
  fill();
  auto before = read_everything(store());
  reopen();
  auto after = read_everything(store());
  ASSERT_EQ(before.size(), after.size());
  for (std::size_t i = 0; i < before.size(); ++i) {
    EXPECT_TRUE(same_content(before[i], after[i])) << describe(before[i]);
    EXPECT_EQ(before[i].recorded_at_us, after[i].recorded_at_us);
    EXPECT_EQ(before[i].hash, after[i].hash);
  }
  EXPECT_EQ(store().head_position(), 12u);
  EXPECT_EQ(store().stream_version("network-oulu"), 5u);
}

TEST_P(ReadTest, ABulkStreamReadLeavesTheBlockCacheAsItFoundIt) {
  if (!durable()) GTEST_SKIP() << "the in-memory store has no block cache";
  for (int i = 0; i < 30; ++i) {
    auto r = store().append_sync(request("network-big", ExpectedVersion::any(), 100));
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  reopen();  // the events now come from the log's tables, through the cache
  // Waits for the store's index (its loader reads around the cache).
  ASSERT_TRUE(store().read_all(opts(0, 1, "", "Tested")).ok());
  const std::uint64_t before = store().stats().block_cache_bytes;

  auto bulk = store().read_stream("network-big", 1, kBulkStreamRead);
  ASSERT_TRUE(bulk.ok()) << bulk.error().message;
  EXPECT_EQ(bulk->size(), kBulkStreamRead);
  EXPECT_EQ(bulk->back().version, kBulkStreamRead);
  EXPECT_EQ(store().stats().block_cache_bytes, before);

  auto page = store().read_stream("network-big", 1, 100);
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_EQ(page->size(), 100u);
  EXPECT_GT(store().stats().block_cache_bytes, before);
}

TEST_P(ReadTest, RecordedAtNeverDecreasesEvenWhenTheClockDoes) {
  std::atomic<std::int64_t> now{1'800'000'000'000'000};
  recreate_with_clock([&now] { return now.fetch_sub(1'000'000); });
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(store().append_sync(request("clock-1", ExpectedVersion::any(), 2)).ok());
  }
  auto log = read_everything(store());
  ASSERT_EQ(log.size(), 12u);
  expect_well_formed_log(log);
}

TEST_P(ReadTest, RecordedAtComesFromTheClock) {
  recreate_with_clock([] { return std::int64_t{1'700'000'000'123'456}; });
  ASSERT_TRUE(store().append_sync(request("clock-1", ExpectedVersion::any(), 1)).ok());
  auto log = read_everything(store());
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].recorded_at_us, 1'700'000'000'123'456);
}

TEST_P(ReadTest, MetadataAndFieldsRoundTrip) {
  EventData e;
  e.event_id = "0f8fad5b-d9cb-469f-a165-70867728950e";
  e.type = "MemberJoined";
  e.schema_version = 3;
  static constexpr char kPayload[] = "{\"name\":\"\xc3\x84iti\",\"bin\":\"\0\x01\xff\"}";
  e.payload = std::string(kPayload, sizeof kPayload - 1);
  e.metadata = {.actor = "token-coordinator-1",
                .correlation_id = "req-42",
                .causation_id = "cmd-7",
                .idempotency_key = "idem-\xe2\x82\xac"};
  AppendRequest req;
  req.stream = "network-oulu";
  req.events = {e};
  ASSERT_TRUE(store().append_sync(req).ok());
  reopen();
  auto r = store().read_stream("network-oulu", 1, 1);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  const RecordedEvent& got = (*r)[0];
  EXPECT_EQ(got.event_id, e.event_id);
  EXPECT_EQ(got.type, e.type);
  EXPECT_EQ(got.schema_version, 3u);
  EXPECT_EQ(got.payload, e.payload);
  EXPECT_EQ(got.metadata.actor, e.metadata.actor);
  EXPECT_EQ(got.metadata.correlation_id, e.metadata.correlation_id);
  EXPECT_EQ(got.metadata.causation_id, e.metadata.causation_id);
  EXPECT_EQ(got.metadata.idempotency_key, e.metadata.idempotency_key);
  EXPECT_EQ(got.stream, "network-oulu");
  EXPECT_EQ(got.position, 1u);
  EXPECT_EQ(got.version, 1u);
  EXPECT_GT(got.recorded_at_us, 1'600'000'000'000'000);
}

TEST_P(ReadTest, WaitForReturnsOnceThePositionIsCommitted) {
  ASSERT_TRUE(store().append_sync(request("w-1", ExpectedVersion::any(), 1)).ok());
  EXPECT_EQ(store().wait_for(1, 0), 1u);
  EXPECT_EQ(store().wait_for(2, 10), 1u);
  std::uint64_t seen = 0;
  std::thread waiter([&] { seen = store().wait_for(3, 60'000); });
  ASSERT_TRUE(store().append_sync(request("w-1", ExpectedVersion::any(), 2)).ok());
  waiter.join();
  EXPECT_GE(seen, 3u);
}

INSTANTIATE_TEST_SUITE_P(Stores, ReadTest, ::testing::Values(StoreKind::kRocks, StoreKind::kMemory),
                         store_kind_name);

}  // namespace
}  // namespace ikv::eventstore::testing
