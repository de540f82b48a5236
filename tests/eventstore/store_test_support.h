// Shared fixtures for the event store tests: a temporary directory removed at
// the end, builders for events and requests, a parameterised fixture that runs
// a test against both EventStore implementations, and comparison helpers.
//
// Thread-safety: TempDir and the builders are plain values; StoreTest is used
// by one test at a time, the store it holds is thread-safe.
//
//   TEST_P(StoreTest, Something) {
//     auto r = store().append_sync(request("network-oulu", ExpectedVersion::any(), 2));
//     ASSERT_TRUE(r.ok()) << r.error().message;
//     reopen();  // real reopen on RocksDB, nothing on the in-memory store
//   }
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/event_store.h"
#include "eventstore/memory_event_store.h"
#include "eventstore/rocks_event_store.h"

namespace ikv {
// Readable error kinds in assertion messages.
inline void PrintTo(ErrorCode code, std::ostream* os) { *os << to_string(code); }
}  // namespace ikv

namespace ikv::eventstore::testing {

// A fresh directory under the system temp dir, removed (recursively) on destruction.
class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "ikv-es-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// A UUID-shaped (36 chars) id that is unique per (tag, n).
std::string make_event_id(std::string_view tag, std::uint64_t n);
// A fresh, process-unique UUID-shaped id.
std::string fresh_event_id();

// An event with a fresh id, the given type and a small JSON payload.
EventData make_event(std::string_view type = "Tested", std::string payload = "");

// A request of `count` fresh events to `stream`.
AppendRequest request(std::string stream, ExpectedVersion expected, int count = 1,
                      std::string_view type = "Tested");

// Opens a RocksDB store at `path` or fails the calling test.
std::unique_ptr<EventStore> open_rocks_or_die(const std::string& path,
                                              Durability durability = Durability::kSync,
                                              std::function<std::int64_t()> clock = {});

// Every event in the global log, in order.
std::vector<RecordedEvent> read_everything(const EventStore& store);

// Equality of everything the writer chose or the store numbered; not
// recorded_at and not the hashes (which depend on recorded_at).
bool same_content(const RecordedEvent& a, const RecordedEvent& b);
std::string describe(const RecordedEvent& e);

// Checks of the global log: positions 1..n without gaps, per-stream versions
// 1..k without gaps, recorded_at non-decreasing, prev_hash links to the
// previous hash. Adds a test failure per problem.
void expect_well_formed_log(const std::vector<RecordedEvent>& log);

enum class StoreKind { kRocks, kMemory };

// Runs a test body against both stores.
class StoreTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override;
  void TearDown() override;

  EventStore& store() { return *store_; }
  bool durable() const { return GetParam() == StoreKind::kRocks; }
  // Closes and reopens the RocksDB store from disk; no-op in memory.
  void reopen();
  // Replaces the store with one built with `clock` (empty store).
  void recreate_with_clock(std::function<std::int64_t()> clock);

  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<EventStore> store_;
};

std::string store_kind_name(const ::testing::TestParamInfo<StoreKind>& info);
inline void PrintTo(StoreKind kind, std::ostream* os) {
  *os << (kind == StoreKind::kRocks ? "RocksDB store" : "in-memory store");
}

}  // namespace ikv::eventstore::testing
