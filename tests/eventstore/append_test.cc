// Append semantics shared by both stores: expected versions, numbering,
// atomicity, result fields and invalid requests.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <future>
#include <string>

#include "tests/eventstore/store_test_support.h"

namespace ikv::eventstore::testing {
namespace {

using AppendTest = StoreTest;

ErrorCode code_of(const Result<AppendResult>& r) {
  return r.ok() ? ErrorCode::kInternal : r.error().code;
}

TEST_P(AppendTest, AnyAcceptsNewAndExistingStreams) {
  auto a = store().append_sync(request("network-oulu", ExpectedVersion::any()));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->first_version, 1u);
  auto b = store().append_sync(request("network-oulu", ExpectedVersion::any()));
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->first_version, 2u);
  EXPECT_EQ(store().stream_version("network-oulu"), 2u);
}

TEST_P(AppendTest, NoStreamAcceptsOnlyAnEmptyStream) {
  ASSERT_TRUE(store().append_sync(request("s-1", ExpectedVersion::no_stream())).ok());
  auto again = store().append_sync(request("s-1", ExpectedVersion::no_stream()));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kWrongExpectedVersion);
  ASSERT_TRUE(again.error().actual_version.has_value());
  EXPECT_EQ(*again.error().actual_version, 1u);
}

TEST_P(AppendTest, StreamExistsRejectsAnEmptyStream) {
  auto r = store().append_sync(request("s-1", ExpectedVersion::stream_exists()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kWrongExpectedVersion);
  ASSERT_TRUE(r.error().actual_version.has_value());
  EXPECT_EQ(*r.error().actual_version, 0u);
  ASSERT_TRUE(store().append_sync(request("s-1", ExpectedVersion::any())).ok());
  auto ok = store().append_sync(request("s-1", ExpectedVersion::stream_exists()));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->first_version, 2u);
}

TEST_P(AppendTest, ExactVersionMustMatchTheHead) {
  ASSERT_TRUE(store().append_sync(request("s-1", ExpectedVersion::exact(0), 3)).ok());
  for (std::uint64_t wrong : {0u, 1u, 2u, 4u, 100u}) {
    auto r = store().append_sync(request("s-1", ExpectedVersion::exact(wrong)));
    ASSERT_FALSE(r.ok()) << "exact(" << wrong << ") was accepted at version 3";
    EXPECT_EQ(r.error().code, ErrorCode::kWrongExpectedVersion);
    ASSERT_TRUE(r.error().actual_version.has_value());
    EXPECT_EQ(*r.error().actual_version, 3u);
  }
  auto r = store().append_sync(request("s-1", ExpectedVersion::exact(3)));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->first_version, 4u);
}

TEST_P(AppendTest, ExactZeroMeansNoStream) {
  ASSERT_TRUE(store().append_sync(request("s-1", ExpectedVersion::exact(0))).ok());
  auto r = store().append_sync(request("s-1", ExpectedVersion::exact(0)));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kWrongExpectedVersion);
}

TEST(ExpectedVersionMatches, FollowsTheKinds) {
  EXPECT_TRUE(ExpectedVersion::any().matches(0));
  EXPECT_TRUE(ExpectedVersion::any().matches(7));
  EXPECT_TRUE(ExpectedVersion::no_stream().matches(0));
  EXPECT_FALSE(ExpectedVersion::no_stream().matches(1));
  EXPECT_FALSE(ExpectedVersion::stream_exists().matches(0));
  EXPECT_TRUE(ExpectedVersion::stream_exists().matches(1));
  EXPECT_TRUE(ExpectedVersion::exact(0).matches(0));
  EXPECT_TRUE(ExpectedVersion::exact(5).matches(5));
  EXPECT_FALSE(ExpectedVersion::exact(5).matches(4));
  EXPECT_FALSE(ExpectedVersion::exact(5).matches(6));
}

TEST(StreamCategory, IsThePartBeforeTheFirstDash) {
  EXPECT_EQ(stream_category("network-oulu"), "network");
  EXPECT_EQ(stream_category("network-oulu-2"), "network");
  EXPECT_EQ(stream_category("network"), "network");
  EXPECT_EQ(stream_category("-x"), "");
  EXPECT_EQ(stream_category(""), "");
}

TEST_P(AppendTest, ResultFieldsDescribeTheAppend) {
  ASSERT_TRUE(store().append_sync(request("a-1", ExpectedVersion::any(), 2)).ok());
  auto r = store().append_sync(request("b-1", ExpectedVersion::any(), 3));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->stream, "b-1");
  EXPECT_EQ(r->first_version, 1u);
  EXPECT_EQ(r->last_version, 3u);
  EXPECT_EQ(r->first_position, 3u);
  EXPECT_EQ(r->last_position, 5u);
  EXPECT_FALSE(r->replayed);
  auto s = store().append_sync(request("a-1", ExpectedVersion::exact(2), 1));
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->first_version, 3u);
  EXPECT_EQ(s->last_version, 3u);
  EXPECT_EQ(s->first_position, 6u);
  EXPECT_EQ(s->last_position, 6u);
  EXPECT_EQ(store().head_position(), 6u);
}

TEST_P(AppendTest, MultiEventAppendIsContiguousAndInOrder) {
  ASSERT_TRUE(store().append_sync(request("x-1", ExpectedVersion::any(), 1)).ok());
  AppendRequest req = request("y-1", ExpectedVersion::no_stream(), 5);
  AppendRequest copy = req;
  auto r = store().append_sync(std::move(req));
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto events = store().read_stream("y-1", 1, 100);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    const RecordedEvent& e = (*events)[i];
    EXPECT_EQ(e.event_id, copy.events[i].event_id);
    EXPECT_EQ(e.payload, copy.events[i].payload);
    EXPECT_EQ(e.version, i + 1);
    EXPECT_EQ(e.position, r->first_position + i);
  }
}

TEST_P(AppendTest, PositionsStayGapFreeAfterFailedAppendsAndReopen) {
  for (int round = 0; round < 3; ++round) {
    ASSERT_TRUE(store().append_sync(request("g-1", ExpectedVersion::any(), 2)).ok());
    EXPECT_FALSE(store().append_sync(request("g-1", ExpectedVersion::no_stream(), 3)).ok());
    EXPECT_FALSE(store().append_sync(request("g-2", ExpectedVersion::exact(9), 1)).ok());
    EXPECT_FALSE(store().append_sync(request("", ExpectedVersion::any(), 1)).ok());
    reopen();
    ASSERT_TRUE(store().append_sync(request("g-2", ExpectedVersion::any(), 1)).ok());
  }
  EXPECT_EQ(store().head_position(), 9u);
  auto log = read_everything(store());
  ASSERT_EQ(log.size(), 9u);
  expect_well_formed_log(log);
  EXPECT_EQ(store().stream_version("g-1"), 6u);
  EXPECT_EQ(store().stream_version("g-2"), 3u);
}

TEST_P(AppendTest, EmptyRequestIsInvalidAndWritesNothing) {
  ASSERT_TRUE(store().append_sync(request("s-1", ExpectedVersion::any())).ok());
  auto r = store().append_sync(request("s-1", ExpectedVersion::any(), 0));
  EXPECT_EQ(code_of(r), ErrorCode::kInvalidArgument);
  EXPECT_EQ(store().head_position(), 1u);
  EXPECT_EQ(store().stream_version("s-1"), 1u);
}

TEST_P(AppendTest, EmptyStreamNameIsInvalidAndWritesNothing) {
  auto r = store().append_sync(request("", ExpectedVersion::any(), 2));
  EXPECT_EQ(code_of(r), ErrorCode::kInvalidArgument);
  EXPECT_EQ(store().head_position(), 0u);
  EXPECT_TRUE(read_everything(store()).empty());
}

TEST_P(AppendTest, DuplicateIdsInOneRequestAreInvalidAndWriteNothing) {
  AppendRequest req = request("d-1", ExpectedVersion::any(), 3);
  req.events[2].event_id = req.events[0].event_id;
  auto r = store().append_sync(std::move(req));
  EXPECT_EQ(code_of(r), ErrorCode::kInvalidArgument);
  EXPECT_EQ(store().head_position(), 0u);
  EXPECT_EQ(store().stream_version("d-1"), 0u);
  reopen();
  EXPECT_EQ(store().head_position(), 0u);
}

TEST_P(AppendTest, InvalidRequestWritesNoSidePuts) {
  AppendRequest req = request("", ExpectedVersion::any(), 1);
  req.side_puts.push_back({std::string(kSideMeta), "invalid-req", "v"});
  EXPECT_EQ(code_of(store().append_sync(std::move(req))), ErrorCode::kInvalidArgument);
  auto got = store().side_get(kSideMeta, "invalid-req");
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got->has_value());
}

TEST_P(AppendTest, StreamNamesWithSeparatorBytesDoNotMixStreams) {
  // The stream index separates name and version with a NUL byte; a name that
  // contains one must either be refused or be kept apart from its prefix.
  ASSERT_TRUE(store().append_sync(request("a", ExpectedVersion::any(), 1)).ok());
  std::string tricky("a\0\0\0\0\0\0\0\0\x02", 10);
  auto r = store().append_sync(request(tricky, ExpectedVersion::any(), 1));
  if (!r.ok()) {
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  } else {
    reopen();
    auto a = store().read_stream("a", 1, 100);
    ASSERT_TRUE(a.ok());
    ASSERT_EQ(a->size(), 1u);
    EXPECT_EQ((*a)[0].stream, "a");
    EXPECT_EQ(store().stream_version("a"), 1u);
    EXPECT_EQ(store().stream_version(tricky), 1u);
  }
}

TEST_P(AppendTest, AsyncAppendCallsDoneExactlyOnce) {
  std::atomic<int> calls{0};
  std::promise<Result<AppendResult>> p;
  store().append(request("async-1", ExpectedVersion::any(), 2), [&](Result<AppendResult> r) {
    if (calls.fetch_add(1) == 0) p.set_value(std::move(r));
  });
  auto r = p.get_future().get();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->last_version, 2u);
  store().close();
  EXPECT_EQ(calls.load(), 1);
}

TEST_P(AppendTest, AppendAfterCloseIsUnavailable) {
  ASSERT_TRUE(store().append_sync(request("c-1", ExpectedVersion::any())).ok());
  store().close();
  auto r = store().append_sync(request("c-1", ExpectedVersion::any()));
  EXPECT_EQ(code_of(r), ErrorCode::kUnavailable);
}

INSTANTIATE_TEST_SUITE_P(Stores, AppendTest,
                         ::testing::Values(StoreKind::kRocks, StoreKind::kMemory), store_kind_name);

}  // namespace
}  // namespace ikv::eventstore::testing
