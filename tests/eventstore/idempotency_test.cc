// Idempotent appends by event id, shared by both stores.
#include <gtest/gtest.h>

#include <string>

#include "tests/eventstore/store_test_support.h"

namespace ikv::eventstore::testing {
namespace {

using IdempotencyTest = StoreTest;

TEST_P(IdempotencyTest, ReappendReturnsTheOriginalResultAndWritesNothing) {
  ASSERT_TRUE(store().append_sync(request("p-1", ExpectedVersion::any(), 1)).ok());
  AppendRequest req = request("p-2", ExpectedVersion::no_stream(), 3);
  auto first = store().append_sync(req);
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_TRUE(store().append_sync(request("p-1", ExpectedVersion::any(), 2)).ok());
  const std::uint64_t head = store().head_position();

  auto again = store().append_sync(req);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->stream, "p-2");
  EXPECT_EQ(again->first_version, first->first_version);
  EXPECT_EQ(again->last_version, first->last_version);
  EXPECT_EQ(again->first_position, first->first_position);
  EXPECT_EQ(again->last_position, first->last_position);
  EXPECT_EQ(store().head_position(), head);
  EXPECT_EQ(store().stream_version("p-2"), 3u);
  EXPECT_EQ(read_everything(store()).size(), head);
}

TEST_P(IdempotencyTest, ReplayIsRecognisedAfterReopen) {
  AppendRequest req = request("p-1", ExpectedVersion::no_stream(), 2);
  auto first = store().append_sync(req);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(store().append_sync(request("p-1", ExpectedVersion::any(), 1)).ok());
  reopen();
  auto again = store().append_sync(req);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->first_position, first->first_position);
  EXPECT_EQ(again->last_version, 2u);
  EXPECT_EQ(store().head_position(), 3u);
  EXPECT_EQ(store().stream_version("p-1"), 3u);
}

TEST_P(IdempotencyTest, ReplayWithAnExpectationThatNoLongerHoldsIsStillAReplay) {
  // The retry of a request that succeeded carries the expectation of the
  // first try, which the stream no longer meets; the events are already there.
  AppendRequest req = request("p-1", ExpectedVersion::exact(0), 1);
  ASSERT_TRUE(store().append_sync(req).ok());
  ASSERT_TRUE(store().append_sync(request("p-1", ExpectedVersion::any(), 1)).ok());
  auto again = store().append_sync(req);
  ASSERT_TRUE(again.ok()) << to_string(again.error().code) << " " << again.error().message;
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(store().head_position(), 2u);
}

TEST_P(IdempotencyTest, ReplayDoesNotWriteItsSidePuts) {
  AppendRequest req = request("p-1", ExpectedVersion::any(), 1);
  ASSERT_TRUE(store().append_sync(req).ok());
  req.side_puts.push_back({std::string(kSideRequests), "retry-key", "retry-value"});
  auto again = store().append_sync(req);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  auto got = store().side_get(kSideRequests, "retry-key");
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got->has_value());
}

TEST_P(IdempotencyTest, SameIdWithAnotherPayloadConflicts) {
  AppendRequest req = request("p-1", ExpectedVersion::any(), 2);
  ASSERT_TRUE(store().append_sync(req).ok());
  req.events[1].payload = "{\"changed\":true}";
  auto r = store().append_sync(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kIdempotencyConflict);
  EXPECT_EQ(store().head_position(), 2u);
  reopen();
  req.events[0].type = "OtherType";
  req.events[1] = make_event();
  auto t = store().append_sync(req);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, ErrorCode::kIdempotencyConflict);
  EXPECT_EQ(store().head_position(), 2u);
}

TEST_P(IdempotencyTest, SameIdToAnotherStreamConflicts) {
  AppendRequest req = request("p-1", ExpectedVersion::any(), 1);
  ASSERT_TRUE(store().append_sync(req).ok());
  req.stream = "p-2";
  auto r = store().append_sync(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kIdempotencyConflict);
  EXPECT_EQ(store().stream_version("p-2"), 0u);
  EXPECT_EQ(store().head_position(), 1u);
}

TEST_P(IdempotencyTest, OldIdMixedWithNewIdsIsNotWritten) {
  AppendRequest first = request("p-1", ExpectedVersion::any(), 1);
  ASSERT_TRUE(store().append_sync(first).ok());
  AppendRequest mixed = request("p-1", ExpectedVersion::any(), 2);
  mixed.events.push_back(first.events[0]);
  auto r = store().append_sync(mixed);
  if (r.ok()) {
    // Accepting it would store the old id twice.
    ADD_FAILURE() << "append of an already stored id mixed with new ids succeeded";
  } else {
    EXPECT_EQ(r.error().code, ErrorCode::kIdempotencyConflict);
  }
  EXPECT_EQ(store().head_position(), 1u);
}

TEST_P(IdempotencyTest, IdsAreUniqueAcrossTheLogAfterReopen) {
  AppendRequest a = request("p-1", ExpectedVersion::any(), 3);
  ASSERT_TRUE(store().append_sync(a).ok());
  reopen();
  for (int i = 0; i < 3; ++i) {
    AppendRequest one;
    one.stream = "p-9";
    one.events.push_back(a.events[i]);
    auto r = store().append_sync(one);
    ASSERT_FALSE(r.ok()) << "id " << i << " stored twice";
    EXPECT_EQ(r.error().code, ErrorCode::kIdempotencyConflict);
  }
  EXPECT_EQ(store().head_position(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Stores, IdempotencyTest,
                         ::testing::Values(StoreKind::kRocks, StoreKind::kMemory), store_kind_name);

}  // namespace
}  // namespace ikv::eventstore::testing
