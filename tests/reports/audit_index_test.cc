// The audit index: positions by actor, type, network and recorded time.
#include <gtest/gtest.h>

#include <stdexcept>

#include "projection_test_support.h"
#include "projections/audit_index.h"

namespace ikv::projections {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)
using domain::meeting_stream;
using domain::network_stream;
using Positions = std::vector<std::uint64_t>;

// 1-2 networks, 3-4 members, 5 joint meeting scheduled, 6 its record, 7 a
// meeting of turku alone, 8 an observation, 9 a token.
TestLog audit_log() {
  TestLog log;
  log.at(instant("2024-01-02T08:00:00Z")).as("demo-loader");
  log.add(network_stream("oulu"), established("oulu"));    // 1  08:00:00
  log.add(network_stream("turku"), established("turku"));  // 2  08:00:01
  log.as("oulu-coordinator");
  log.add(network_stream("oulu"), joined("m1", "police", "2024-01-02"));            // 3  08:00:02
  log.add(network_stream("turku"), joined("m2", "kela", "2024-01-02"));             // 4  08:00:03
  log.add(meeting_stream("x1"), scheduled("x1", "turku", "2024-05-01", {"oulu"}));  // 5
  log.add(meeting_stream("x1"), held("2024-05-01"));                                // 6
  log.as("admin");
  log.add(meeting_stream("x2"), scheduled("x2", "turku", "2024-06-01"));           // 7  08:00:06
  log.add(network_stream("oulu"), observed("o1", "forced_labour", "2024-05-01"));  // 8
  log.add(domain::token_stream("t1"),
          domain::TokenIssued{"t1", "analyst-1", domain::Role::kAnalyst, {}, std::string(64, 'a')});
  return log;
}

// The audit index of every entry of `log`.
AuditIndex indexed(const TestLog& log) {
  AuditIndex index;
  log.apply_to(index);
  return index;
}

Positions select(const AuditIndex& index, const AuditFilter& f, std::uint64_t after = 0,
                 std::size_t limit = 100) {
  return index.select(f, after, limit).positions;
}

TEST(AuditIndex, SelectsByActor) {
  const AuditIndex index = indexed(audit_log());
  AuditFilter f;
  f.actor = "oulu-coordinator";
  EXPECT_EQ(select(index, f), (Positions{3, 4, 5, 6}));
  f.actor = "nobody";
  EXPECT_TRUE(select(index, f).empty());
}

TEST(AuditIndex, SelectsByRecordedTimeInclusively) {
  const AuditIndex index = indexed(audit_log());
  AuditFilter f;
  f.from_us = instant("2024-01-02T08:00:02Z");
  f.to_us = instant("2024-01-02T08:00:04Z");
  EXPECT_EQ(select(index, f), (Positions{3, 4, 5}));
  f.from_us = instant("2024-01-02T08:00:02.5Z");
  f.to_us.reset();
  EXPECT_EQ(select(index, f), (Positions{4, 5, 6, 7, 8, 9}));
  f.from_us = instant("2025-01-01T00:00:00Z");
  EXPECT_TRUE(select(index, f).empty());
}

TEST(AuditIndex, ANetworkHasItsStreamAndTheMeetingsItOrganisesOrJoins) {
  const AuditIndex index = indexed(audit_log());
  EXPECT_EQ(index.about_network("oulu"), (std::vector<std::uint32_t>{1, 3, 5, 6, 8}));
  EXPECT_EQ(index.about_network("turku"), (std::vector<std::uint32_t>{2, 4, 5, 6, 7}));
  EXPECT_TRUE(index.about_network("tampere").empty());
}

TEST(AuditIndex, CombinesFilters) {
  const AuditIndex index = indexed(audit_log());
  AuditFilter f;
  f.network = "oulu";
  f.actor = "oulu-coordinator";
  f.type = "MeetingHeld";
  EXPECT_EQ(select(index, f), (Positions{6}));
  f.type = "MemberJoined";
  f.to_us = instant("2024-01-02T08:00:02Z");
  EXPECT_EQ(select(index, f), (Positions{3}));
}

TEST(AuditIndex, PagesAfterAPositionAndTellsWhetherMoreFollow) {
  const AuditIndex index = indexed(audit_log());
  AuditFilter f;
  f.network = "turku";
  auto first = index.select(f, 0, 2);
  EXPECT_EQ(first.positions, (Positions{2, 4}));
  EXPECT_TRUE(first.more);
  auto second = index.select(f, 4, 2);
  EXPECT_EQ(second.positions, (Positions{5, 6}));
  EXPECT_TRUE(second.more);
  auto last = index.select(f, 6, 2);
  EXPECT_EQ(last.positions, (Positions{7}));
  EXPECT_FALSE(last.more);
}

TEST(AuditIndex, IncrementalFoldWithRedeliveryEqualsRebuild) {
  const TestLog log = audit_log();
  AuditIndex incremental;
  log.apply_to(incremental, 0, 4);
  log.apply_to(incremental, 2, 7);  // redelivers 3 and 4
  log.apply_to(incremental, 5);
  const AuditIndex rebuilt = indexed(log);
  EXPECT_EQ(incremental, rebuilt);
  EXPECT_EQ(rebuilt.size(), 9u);
}

// Positions are held in 32 bits, as far as the store numbers a log: one
// beyond is a bug that stops the fold, never a wrapped position.
TEST(AuditIndex, RefusesAPositionBeyondThirtyTwoBits) {
  const TestLog log = audit_log();
  AuditIndex index;
  eventstore::RecordedEvent meta = log.entries().front().meta;
  meta.position = std::uint64_t{1} << 32;
  EXPECT_THROW(index.apply(meta, log.entries().front().event), std::length_error);
  EXPECT_EQ(index.size(), 0u);
}

}  // namespace
}  // namespace ikv::projections
