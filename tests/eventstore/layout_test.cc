// The RocksDB store's key layout (rocks_event_store.cc): two keys per event
// and one groups value per commit group; the in-memory index rebuilt at open
// equals the one kept live; a release-1 directory (tests/fixtures/release1)
// opens, migrates and answers as it did; fingerprint collisions are resolved
// by the records.
#include <rocksdb/db.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "eventstore/event_index.h"
#include "eventstore/record_codec.h"
#include "tests/eventstore/store_test_support.h"

namespace ikv::eventstore::testing {
namespace {

namespace fs = std::filesystem;

// Direct access to a closed store's directory.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    auto s = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names_);
    EXPECT_TRUE(s.ok()) << s.ToString();
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (const auto& n : names_) cfs.emplace_back(n, rocksdb::ColumnFamilyOptions());
    rocksdb::DB* db = nullptr;
    s = rocksdb::DB::Open(rocksdb::DBOptions(), path, cfs, &handles_, &db);
    EXPECT_TRUE(s.ok()) << s.ToString();
    db_.reset(db);
  }
  ~RawDb() {
    for (auto* h : handles_) (void)db_->DestroyColumnFamilyHandle(h);
  }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  std::set<std::string> families() const { return {names_.begin(), names_.end()}; }

  std::vector<std::pair<std::string, std::string>> entries(const std::string& family) const {
    std::vector<std::pair<std::string, std::string>> out;
    auto* h = handle(family);
    if (h == nullptr) return out;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), h));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      out.emplace_back(it->key().ToString(), it->value().ToString());
    }
    return out;
  }

  void put(const std::string& family, const std::string& key, const std::string& value) {
    auto* h = handle(family);
    ASSERT_NE(h, nullptr) << family;
    ASSERT_TRUE(db_->Put(rocksdb::WriteOptions(), h, key, value).ok());
  }
  void drop(const std::string& family) {
    auto* h = handle(family);
    ASSERT_NE(h, nullptr) << family;
    ASSERT_TRUE(db_->DropColumnFamily(h).ok());
  }

 private:
  rocksdb::ColumnFamilyHandle* handle(const std::string& family) const {
    for (std::size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == family) return handles_[i];
    }
    return nullptr;
  }
  std::vector<std::string> names_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::unique_ptr<rocksdb::DB> db_;
};

// The index as its groups values describe it.
bool index_from_groups(const std::string& path, EventIndex& index) {
  RawDb raw(path);
  for (const auto& [key, value] : raw.entries("groups")) {
    if (key.size() != 8 || !index.apply_group(get_be64(key), value)) return false;
  }
  return true;
}

std::string hex(const Hash& h) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (auto b : h) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

std::vector<std::uint64_t> positions(const std::vector<RecordedEvent>& events) {
  std::vector<std::uint64_t> out;
  for (const auto& e : events) out.push_back(e.position);
  return out;
}

// Every look-up the index serves answers as a full scan filtered by hand.
void expect_lookups_match_the_log(const EventStore& store) {
  const auto log = read_everything(store);
  std::set<std::string> categories, types;
  for (const auto& e : log) {
    categories.insert(std::string(stream_category(e.stream)));
    types.insert(e.type);
    auto found = store.read_event(e.event_id);
    ASSERT_TRUE(found.ok()) << found.error().message;
    ASSERT_TRUE(found->has_value()) << e.event_id;
    EXPECT_EQ((*found)->position, e.position);
  }
  for (const auto& c : categories) {
    for (const auto& t : types) {
      for (const auto& [cat, type] :
           {std::pair{c, std::string()}, std::pair{std::string(), t}, std::pair{c, t}}) {
        std::vector<std::uint64_t> want;
        for (const auto& e : log) {
          if ((cat.empty() || stream_category(e.stream) == cat) &&
              (type.empty() || e.type == type)) {
            want.push_back(e.position);
          }
        }
        auto got = store.read_all({.after = 0, .limit = 1u << 20, .category = cat, .type = type});
        ASSERT_TRUE(got.ok()) << got.error().message;
        EXPECT_EQ(positions(*got), want) << "category " << cat << ", type " << type;
      }
    }
  }
  auto none = store.read_event("00000000-0000-4000-8000-000000000000");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

// Appends of one to three events over streams of a few categories and types.
void fill(EventStore& store, int appends) {
  for (int i = 0; i < appends; ++i) {
    const std::string stream = std::string(i % 3 == 0   ? "network"
                                           : i % 3 == 1 ? "member"
                                                        : "plain") +
                               (i % 3 == 2 ? "" : "-" + std::to_string(i % 7));
    auto r = store.append_sync(request(stream, ExpectedVersion::any(), 1 + i % 3,
                                       i % 2 == 0 ? "MemberJoined" : "MeetingHeld"));
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
}

TEST(RocksLayout, AnEventWritesTwoKeysAndAGroupOneValue) {
  TempDir dir;
  {
    auto store = open_rocks_or_die(dir.str());
    fill(*store, 40);
  }
  RawDb raw(dir.str());
  EXPECT_EQ(raw.families(), (std::set<std::string>{"default", "log", "streams", "groups", "keys",
                                                   "requests", "snapshots", "meta"}));
  const auto log = raw.entries("log");
  EXPECT_EQ(raw.entries("streams").size(), log.size());
  EXPECT_EQ(raw.entries("groups").size(), 40u);  // append_sync: one append per group
  EXPECT_EQ(raw.entries("default").size(), 0u);
}

TEST(RocksLayout, IndexRebuiltFromTheLogEqualsTheOneKeptLive) {
  TempDir dir;
  {
    auto store = open_rocks_or_die(dir.str());
    fill(*store, 60);
    // Concurrent appends make groups of several appends.
    std::vector<std::thread> writers;
    for (int t = 0; t < 8; ++t) writers.emplace_back([&] { fill(*store, 20); });
    for (auto& w : writers) w.join();
  }
  EventIndex live;
  ASSERT_TRUE(index_from_groups(dir.str(), live));
  {
    RawDb raw(dir.str());
    raw.drop("groups");
  }
  {
    auto store = open_rocks_or_die(dir.str());  // rebuilds from the log
    expect_lookups_match_the_log(*store);
  }
  EventIndex rebuilt;
  ASSERT_TRUE(index_from_groups(dir.str(), rebuilt));
  EXPECT_EQ(rebuilt.size(), live.size());
  EXPECT_TRUE(rebuilt.same_entries(live));
  auto store = open_rocks_or_die(dir.str());  // from the rebuilt values
  expect_lookups_match_the_log(*store);
}

// The index loads on a thread of its own after open returns; when it fails
// (here: a groups value claims positions past the log's head, which no crash
// leaves), reads of the index answer the error, the store refuses writes,
// and reads that need no index (a stream, the head) still answer.
TEST(RocksLayout, AnIndexThatFailsToLoadFailsItsReadsAndRefusesWrites) {
  TempDir dir;
  std::uint64_t head = 0;
  {
    auto store = open_rocks_or_die(dir.str());
    fill(*store, 10);
    head = store->head_position();
  }
  ASSERT_LT(head, 200u);
  {
    RawDb raw(dir.str());
    std::string key(8, '\0');
    key[7] = static_cast<char>(200);  // position 200: past the head
    raw.put("groups", key, "no group");
  }
  auto opened = open_rocks_event_store({.path = dir.str()});
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EventStore& store = **opened;
  EXPECT_EQ(store.head_position(), head);
  auto by_id = store.read_event("00000000-0000-4000-8000-000000000000");
  ASSERT_FALSE(by_id.ok());
  EXPECT_EQ(by_id.error().code, ErrorCode::kCorruption) << by_id.error().message;
  auto by_type = store.read_all({.after = 0, .limit = 10, .category = "", .type = "MemberJoined"});
  ASSERT_FALSE(by_type.ok());
  EXPECT_EQ(by_type.error().code, ErrorCode::kCorruption);
  auto written = store.append_sync(request("network-after", ExpectedVersion::any()));
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(written.error().message.find("index did not load"), std::string::npos)
      << written.error().message;
  EXPECT_EQ(store.head_position(), head);
  auto stream = store.read_stream("network-0", 1, 10);
  ASSERT_TRUE(stream.ok()) << stream.error().message;
  EXPECT_FALSE(stream->empty());
  // Two closes (the owner's and the destructor's) join the loader once.
  store.close();
  store.close();
}

TEST(RocksLayout, IdempotentReappendAfterReopenFindsTheOriginal) {
  TempDir dir;
  AppendRequest req = request("network-oulu", ExpectedVersion::no_stream(), 3);
  AppendResult first;
  {
    auto store = open_rocks_or_die(dir.str());
    fill(*store, 10);
    auto r = store->append_sync(req);
    ASSERT_TRUE(r.ok()) << r.error().message;
    first = *r;
    fill(*store, 10);
  }
  auto store = open_rocks_or_die(dir.str());
  auto again = store->append_sync(req);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->first_position, first.first_position);
  EXPECT_EQ(again->last_version, 3u);
  AppendRequest elsewhere = req;
  elsewhere.stream = "network-tampere";
  auto moved = store->append_sync(elsewhere);
  ASSERT_FALSE(moved.ok());
  EXPECT_EQ(moved.error().code, ErrorCode::kIdempotencyConflict);
  AppendRequest changed = req;
  changed.events[1].payload = "{\"changed\":true}";
  auto differs = store->append_sync(changed);
  ASSERT_FALSE(differs.ok());
  EXPECT_EQ(differs.error().code, ErrorCode::kIdempotencyConflict);
  EXPECT_EQ(store->stream_version("network-oulu"), 3u);
}

// Every id shares one of four fingerprints: each look-up must read records.
TEST(RocksLayout, FingerprintCollisionsAreResolvedByTheRecords) {
  TempDir dir;
  RocksOptions o;
  o.path = dir.str();
  o.event_id_fingerprint = [](std::string_view id) { return std::uint64_t{id.back() & 3u}; };
  std::vector<AppendRequest> sent;
  {
    auto store = open_rocks_event_store(o);
    ASSERT_TRUE(store.ok()) << store.error().message;
    for (int i = 0; i < 30; ++i) {
      sent.push_back(
          request("network-" + std::to_string(i % 4), ExpectedVersion::any(), 1 + i % 2));
      auto r = (*store)->append_sync(sent.back());
      ASSERT_TRUE(r.ok()) << r.error().message;
      EXPECT_FALSE(r->replayed) << "a new id taken for a stored one";
    }
    expect_lookups_match_the_log(**store);
  }
  auto store = open_rocks_event_store(o);
  ASSERT_TRUE(store.ok()) << store.error().message;
  expect_lookups_match_the_log(**store);
  for (const auto& req : sent) {
    auto r = (*store)->append_sync(req);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(r->replayed);
  }
  auto fresh = (*store)->append_sync(request("network-0", ExpectedVersion::any(), 2));
  ASSERT_TRUE(fresh.ok()) << fresh.error().message;
  EXPECT_FALSE(fresh->replayed);
}

fs::path release1_copy(const TempDir& dir) {
  const fs::path from = fs::path(IKV_FIXTURES_DIR) / "release1" / "data" / "events";
  const fs::path to = dir.path() / "events";
  fs::copy(from, to, fs::copy_options::recursive);
  return to;
}

TEST(RocksLayout, Release1DirectoryOpensMigratesAndAnswersAsWritten) {
  TempDir dir;
  const std::string path = release1_copy(dir).string();
  EXPECT_TRUE(RawDb(path).families().contains("event_ids"));
  {
    auto store = open_rocks_or_die(path);
    EXPECT_EQ(store->head_position(), 115u);
    auto v = store->verify();
    ASSERT_TRUE(v.ok()) << v.error().message;
    EXPECT_TRUE(v->ok) << v->problem;
    EXPECT_EQ(v->events_checked, 115u);
    EXPECT_EQ(hex(v->head_hash),
              "2308277168c4448b2f7b07dbd1c6bb0f971a6b02a5d85c66cc44be88be1b73f7");
    const auto log = read_everything(*store);
    ASSERT_EQ(log.size(), 115u);
    std::vector<std::uint64_t> network, joined;
    for (const auto& e : log) {
      if (stream_category(e.stream) == "network") network.push_back(e.position);
      if (e.type == "MemberJoined") joined.push_back(e.position);
    }
    ASSERT_FALSE(network.empty());
    ASSERT_FALSE(joined.empty());
    auto by_cat = store->read_all({.after = 0, .limit = 1000, .category = "network"});
    ASSERT_TRUE(by_cat.ok());
    EXPECT_EQ(positions(*by_cat), network);
    auto by_type = store->read_all({.after = 0, .limit = 1000, .type = "MemberJoined"});
    ASSERT_TRUE(by_type.ok());
    EXPECT_EQ(positions(*by_type), joined);
    expect_lookups_match_the_log(*store);
    // A stream's head comes from its index: an append continues it.
    const auto& some = log[log.size() / 2];
    const std::uint64_t version = store->stream_version(some.stream);
    EXPECT_GE(version, some.version);
    auto r = store->append_sync(request(some.stream, ExpectedVersion::exact(version)));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->first_position, 116u);
    EXPECT_EQ(r->first_version, version + 1);
  }
  const auto families = RawDb(path).families();
  EXPECT_FALSE(families.contains("event_ids"));
  EXPECT_FALSE(families.contains("by_cat"));
  EXPECT_FALSE(families.contains("by_type"));
  EXPECT_FALSE(families.contains("heads"));
  auto store = open_rocks_or_die(path);
  EXPECT_EQ(store->head_position(), 116u);
  auto v = store->verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->problem;
  expect_lookups_match_the_log(*store);
  auto r = store->append_sync(request("network-oulu", ExpectedVersion::any(), 2));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->last_position, 118u);
}

TEST(RocksLayout, ReadOnlyInstanceReadsARelease1DirectoryWithoutMigrating) {
  TempDir dir, secondary;
  const std::string path = release1_copy(dir).string();
  {
    // The primary replays the fixture's WAL once so the copy is settled.
    RawDb settle(path);
  }
  RocksOptions o;
  o.path = path;
  o.read_only = true;
  o.secondary_path = secondary.str();
  {
    auto store = open_rocks_event_store(o);
    ASSERT_TRUE(store.ok()) << store.error().message;
    EXPECT_EQ((*store)->head_position(), 115u);
    expect_lookups_match_the_log(**store);
  }
  EXPECT_TRUE(RawDb(path).families().contains("event_ids"));
}

}  // namespace
}  // namespace ikv::eventstore::testing
