// Side tables: put/get/scan/erase, side puts written atomically with an
// append, and erasure that leaves no copy of a value in the data directory.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "tests/eventstore/store_test_support.h"

namespace ikv::eventstore::testing {
namespace {

using SideTableTest = StoreTest;

std::optional<std::string> get(EventStore& s, std::string_view table, std::string_view key) {
  auto r = s.side_get(table, key);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? *r : std::nullopt;
}

std::map<std::string, std::string> scan(EventStore& s, std::string_view table,
                                        std::string_view prefix) {
  std::map<std::string, std::string> out;
  std::string last;
  auto st = s.side_scan(table, prefix, [&](std::string_view k, std::string_view v) {
    EXPECT_TRUE(out.empty() || std::string(k) > last) << "keys out of order";
    last = std::string(k);
    out.emplace(std::string(k), std::string(v));
    return true;
  });
  EXPECT_TRUE(st.ok()) << st.error().message;
  return out;
}

TEST_P(SideTableTest, PutGetEraseInEveryTable) {
  for (std::string_view table : {kSideKeys, kSideRequests, kSideSnapshots, kSideMeta}) {
    ASSERT_TRUE(store().side_put(table, "k1", std::string(table) + "-v1").ok());
    EXPECT_EQ(get(store(), table, "k1"), std::string(table) + "-v1");
    ASSERT_TRUE(store().side_put(table, "k1", "v2").ok());
    EXPECT_EQ(get(store(), table, "k1"), "v2");
    EXPECT_EQ(get(store(), table, "missing"), std::nullopt);
  }
  reopen();
  EXPECT_EQ(get(store(), kSideKeys, "k1"), "v2");
  ASSERT_TRUE(store().side_erase(kSideKeys, "k1").ok());
  EXPECT_EQ(get(store(), kSideKeys, "k1"), std::nullopt);
  EXPECT_EQ(get(store(), kSideMeta, "k1"), "v2");
  reopen();
  EXPECT_EQ(get(store(), kSideKeys, "k1"), std::nullopt);
  EXPECT_TRUE(store().side_erase(kSideKeys, "never-there").ok());
}

TEST_P(SideTableTest, TablesAreSeparate) {
  ASSERT_TRUE(store().side_put(kSideKeys, "same", "in-keys").ok());
  ASSERT_TRUE(store().side_put(kSideMeta, "same", "in-meta").ok());
  EXPECT_EQ(get(store(), kSideKeys, "same"), "in-keys");
  EXPECT_EQ(get(store(), kSideMeta, "same"), "in-meta");
  EXPECT_EQ(get(store(), kSideRequests, "same"), std::nullopt);
}

TEST_P(SideTableTest, UnknownTableIsInvalid) {
  auto g = store().side_get("no-such-table", "k");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().code, ErrorCode::kInvalidArgument);
  auto p = store().side_put("no-such-table", "k", "v");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, ErrorCode::kInvalidArgument);
  auto e = store().side_erase("log", "k");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(SideTableTest, ScanVisitsThePrefixInKeyOrderAndStops) {
  for (const char* k : {"person/3", "person/1", "persons", "person/2", "org/1", "person"}) {
    ASSERT_TRUE(store().side_put(kSideKeys, k, std::string("v:") + k).ok());
  }
  auto got = scan(store(), kSideKeys, "person/");
  EXPECT_EQ(got, (std::map<std::string, std::string>{{"person/1", "v:person/1"},
                                                     {"person/2", "v:person/2"},
                                                     {"person/3", "v:person/3"}}));
  EXPECT_EQ(scan(store(), kSideKeys, "").size(), 6u);
  int visits = 0;
  ASSERT_TRUE(store()
                  .side_scan(kSideKeys, "person",
                             [&](std::string_view, std::string_view) { return ++visits < 2; })
                  .ok());
  EXPECT_EQ(visits, 2);
}

TEST_P(SideTableTest, SidePutsAreWrittenWithTheAppend) {
  AppendRequest req = request("s-1", ExpectedVersion::no_stream(), 2);
  req.side_puts = {{std::string(kSideRequests), "idem-1", "{\"status\":201}"},
                   {std::string(kSideSnapshots), "view-a", "snapshot@2"}};
  ASSERT_TRUE(store().append_sync(req).ok());
  EXPECT_EQ(get(store(), kSideRequests, "idem-1"), "{\"status\":201}");
  EXPECT_EQ(get(store(), kSideSnapshots, "view-a"), "snapshot@2");
  reopen();
  EXPECT_EQ(get(store(), kSideRequests, "idem-1"), "{\"status\":201}");
  EXPECT_EQ(store().head_position(), 2u);
}

TEST_P(SideTableTest, SidePutsAreAbsentWhenTheAppendFails) {
  ASSERT_TRUE(store().append_sync(request("s-1", ExpectedVersion::any(), 1)).ok());
  AppendRequest req = request("s-1", ExpectedVersion::exact(7), 1);
  req.side_puts = {{std::string(kSideRequests), "idem-2", "must-not-exist"}};
  auto r = store().append_sync(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kWrongExpectedVersion);
  EXPECT_EQ(get(store(), kSideRequests, "idem-2"), std::nullopt);
  reopen();
  EXPECT_EQ(get(store(), kSideRequests, "idem-2"), std::nullopt);
}

TEST_P(SideTableTest, SidePutToAnUnknownTableFailsTheWholeAppend) {
  AppendRequest req = request("s-1", ExpectedVersion::any(), 1);
  req.side_puts = {{std::string(kSideMeta), "ok-key", "x"}, {"no-such-table", "k", "v"}};
  auto r = store().append_sync(req);
  ASSERT_FALSE(r.ok()) << "append with a side put into an unknown table succeeded";
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(store().head_position(), 0u);
  EXPECT_EQ(get(store(), kSideMeta, "ok-key"), std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(Stores, SideTableTest,
                         ::testing::Values(StoreKind::kRocks, StoreKind::kMemory), store_kind_name);

// Files under `dir` whose bytes contain `needle`.
std::vector<std::string> files_containing(const std::filesystem::path& dir,
                                          const std::string& needle) {
  std::vector<std::string> hits;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.find(needle) != std::string::npos) hits.push_back(entry.path().string());
  }
  return hits;
}

TEST(RocksSideTable, ErasedValueLeavesNoCopyInTheDataDirectory) {
  TempDir dir;
  const std::string secret = "SECRET-KEY-MATERIAL-7f3a9c1e5b";
  {
    auto store = open_rocks_or_die(dir.str());
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->append_sync(request("network-oulu", ExpectedVersion::any(), 3)).ok());
    ASSERT_TRUE(store->side_put(kSideKeys, "person-1", secret).ok());
    ASSERT_TRUE(store->append_sync(request("network-oulu", ExpectedVersion::any(), 3)).ok());
    ASSERT_FALSE(files_containing(dir.path(), secret).empty())
        << "the value was never written to the directory; the check below proves nothing";
    ASSERT_TRUE(store->side_erase(kSideKeys, "person-1").ok());
    ASSERT_TRUE(store->append_sync(request("network-oulu", ExpectedVersion::any(), 1)).ok());
    EXPECT_EQ(files_containing(dir.path(), secret), std::vector<std::string>{})
        << "copies of an erased value remain while the store is open";
    store->close();
  }
  EXPECT_EQ(files_containing(dir.path(), secret), std::vector<std::string>{})
      << "copies of an erased value remain after close";
}

TEST(RocksSideTable, ErasedValueIsGoneAfterItWasFlushedToATableFile) {
  TempDir dir;
  const std::string secret = "SECRET-FLUSHED-KEY-0c94e1d2";
  {
    auto store = open_rocks_or_die(dir.str());
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->side_put(kSideKeys, "person-2", secret).ok());
    ASSERT_TRUE(store->side_put(kSideKeys, "person-3", "other").ok());
    store->close();
  }
  {
    auto store = open_rocks_or_die(dir.str());
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->side_erase(kSideKeys, "person-2").ok());
    EXPECT_EQ(files_containing(dir.path(), secret), std::vector<std::string>{});
    EXPECT_EQ(get(*store, kSideKeys, "person-3"), "other");
    store->close();
  }
  EXPECT_EQ(files_containing(dir.path(), secret), std::vector<std::string>{});
}

}  // namespace
}  // namespace ikv::eventstore::testing
