// The hash chain (verify on fresh and tampered logs, independent recomputation
// from the stored bytes) and recovery of heads, next position and chain head
// when the RocksDB store is reopened.
#include <gtest/gtest.h>
#include <openssl/sha.h>
#include <rocksdb/db.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "tests/eventstore/store_test_support.h"

namespace ikv::eventstore::testing {
namespace {

using HashChainTest = StoreTest;

TEST_P(HashChainTest, VerifyIsOkOnAFreshLog) {
  auto empty = store().verify();
  ASSERT_TRUE(empty.ok()) << empty.error().message;
  EXPECT_TRUE(empty->ok);
  EXPECT_EQ(empty->events_checked, 0u);
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(
        store()
            .append_sync(request("h-" + std::to_string(i % 3), ExpectedVersion::any(), 1 + i % 2))
            .ok());
  }
  auto log = read_everything(store());
  ASSERT_EQ(log.size(), 15u);
  expect_well_formed_log(log);
  EXPECT_EQ(log.front().prev_hash, Hash{}) << "the first link is 32 zero bytes";
  auto v = store().verify();
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_TRUE(v->ok) << v->problem;
  EXPECT_EQ(v->events_checked, 15u);
  EXPECT_EQ(v->head_position, 15u);
  EXPECT_EQ(v->head_hash, log.back().hash);
  EXPECT_FALSE(v->first_bad_position.has_value());
  auto part = store().verify(4, 9);
  ASSERT_TRUE(part.ok());
  EXPECT_TRUE(part->ok);
  EXPECT_EQ(part->events_checked, 6u);
}

TEST_P(HashChainTest, VerifyOfARangeBeyondTheHeadIsNotAnIoError) {
  ASSERT_TRUE(store().append_sync(request("h-1", ExpectedVersion::any(), 3)).ok());
  auto v = store().verify(6, 0);
  if (v.ok()) {
    EXPECT_EQ(v->events_checked, 0u);
  } else {
    EXPECT_EQ(v.error().code, ErrorCode::kInvalidArgument)
        << to_string(v.error().code) << " " << v.error().message;
  }
}

TEST_P(HashChainTest, HashesDifferForDifferentContent) {
  ASSERT_TRUE(store().append_sync(request("h-1", ExpectedVersion::any(), 4)).ok());
  auto log = read_everything(store());
  ASSERT_EQ(log.size(), 4u);
  for (std::size_t i = 1; i < log.size(); ++i) EXPECT_NE(log[i].hash, log[i - 1].hash);
  EXPECT_NE(log[0].hash, Hash{});
}

INSTANTIATE_TEST_SUITE_P(Stores, HashChainTest,
                         ::testing::Values(StoreKind::kRocks, StoreKind::kMemory), store_kind_name);

// Direct access to the store's RocksDB directory (store closed).
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    std::vector<std::string> names;
    auto s = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names);
    EXPECT_TRUE(s.ok()) << s.ToString();
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (const auto& n : names) cfs.emplace_back(n, rocksdb::ColumnFamilyOptions());
    rocksdb::DB* db = nullptr;
    s = rocksdb::DB::Open(rocksdb::DBOptions(), path, cfs, &handles_, &db);
    EXPECT_TRUE(s.ok()) << s.ToString();
    db_.reset(db);
    for (std::size_t i = 0; i < handles_.size(); ++i) {
      if (names[i] == "log") log_ = handles_[i];
    }
    EXPECT_NE(log_, nullptr) << "no column family named \"log\"";
  }
  ~RawDb() {
    for (auto* h : handles_) (void)db_->DestroyColumnFamilyHandle(h);
    (void)db_->Close();
  }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  static std::string key(std::uint64_t position) {
    std::string k(8, '\0');
    for (int i = 0; i < 8; ++i) k[i] = static_cast<char>(position >> (56 - 8 * i));
    return k;
  }
  std::string get(std::uint64_t position) {
    std::string v;
    auto s = db_->Get(rocksdb::ReadOptions(), log_, key(position), &v);
    EXPECT_TRUE(s.ok()) << "position " << position << ": " << s.ToString();
    return v;
  }
  void put(std::uint64_t position, const std::string& value) {
    rocksdb::WriteOptions w;
    w.sync = true;
    auto s = db_->Put(w, log_, key(position), value);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  std::uint64_t count() {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), log_));
    std::uint64_t n = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) ++n;
    return n;
  }

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  rocksdb::ColumnFamilyHandle* log_ = nullptr;
};

Hash to_hash(const std::string& bytes, std::size_t offset) {
  Hash h{};
  std::memcpy(h.data(), bytes.data() + offset, h.size());
  return h;
}

class RocksChainTest : public ::testing::Test {
 protected:
  void fill(int events) {
    auto store = open_rocks_or_die(dir_.str());
    ASSERT_NE(store, nullptr);
    for (int i = 0; i < events; ++i) {
      AppendRequest req = request("chain-" + std::to_string(i % 3), ExpectedVersion::any(), 1);
      req.events[0].payload = "{\"marker\":\"TAMPER-ME-" + std::to_string(i + 1) + "-END\"}";
      ASSERT_TRUE(store->append_sync(std::move(req)).ok());
    }
    log_ = read_everything(*store);
    store->close();
  }
  std::unique_ptr<EventStore> open() { return open_rocks_or_die(dir_.str()); }

  TempDir dir_;
  std::vector<RecordedEvent> log_;
};

TEST_F(RocksChainTest, StoredBytesRecomputeToTheStoredHashes) {
  fill(8);
  RawDb raw(dir_.str());
  ASSERT_EQ(raw.count(), 8u);
  Hash prev{};
  for (std::uint64_t p = 1; p <= 8; ++p) {
    std::string rec = raw.get(p);
    ASSERT_GT(rec.size(), 64u);
    EXPECT_EQ(to_hash(rec, 0), prev) << "prev_hash of position " << p;
    Hash h{};
    SHA256(reinterpret_cast<const unsigned char*>(rec.data()), rec.size() - 32, h.data());
    EXPECT_EQ(to_hash(rec, rec.size() - 32), h) << "hash of position " << p;
    EXPECT_EQ(h, log_[p - 1].hash);
    prev = h;
  }
}

TEST_F(RocksChainTest, FlippedPayloadByteIsNamedByVerify) {
  fill(10);
  {
    RawDb raw(dir_.str());
    std::string rec = raw.get(6);
    auto at = rec.find("TAMPER-ME-6-END");
    ASSERT_NE(at, std::string::npos) << "payload not stored verbatim";
    rec[at + 3] ^= 0x01;
    raw.put(6, rec);
  }
  auto store = open();
  ASSERT_NE(store, nullptr);
  auto v = store->verify();
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_FALSE(v->ok);
  ASSERT_TRUE(v->first_bad_position.has_value());
  EXPECT_EQ(*v->first_bad_position, 6u);
  EXPECT_FALSE(v->problem.empty());
  auto before = store->verify(1, 5);
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE(before->ok) << before->problem;
}

TEST_F(RocksChainTest, FlippedStoredHashIsNamedByVerify) {
  fill(10);
  {
    RawDb raw(dir_.str());
    std::string rec = raw.get(4);
    rec[rec.size() - 1] ^= 0x80;
    raw.put(4, rec);
  }
  auto store = open();
  ASSERT_NE(store, nullptr);
  auto v = store->verify();
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_FALSE(v->ok);
  ASSERT_TRUE(v->first_bad_position.has_value());
  EXPECT_EQ(*v->first_bad_position, 4u);
}

TEST_F(RocksChainTest, TruncatedRecordIsNamedByVerify) {
  fill(6);
  {
    RawDb raw(dir_.str());
    std::string rec = raw.get(3);
    raw.put(3, rec.substr(0, rec.size() / 2));
  }
  auto store = open();
  ASSERT_NE(store, nullptr);
  auto v = store->verify();
  if (v.ok()) {
    EXPECT_FALSE(v->ok);
    ASSERT_TRUE(v->first_bad_position.has_value());
    EXPECT_EQ(*v->first_bad_position, 3u);
  } else {
    EXPECT_EQ(v.error().code, ErrorCode::kCorruption) << v.error().message;
  }
}

TEST_F(RocksChainTest, ReopenRecoversHeadsNextPositionAndChainHead) {
  fill(9);
  auto store = open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->head_position(), 9u);
  EXPECT_EQ(store->stream_version("chain-0"), 3u);
  EXPECT_EQ(store->stream_version("chain-1"), 3u);
  EXPECT_EQ(store->stream_version("chain-2"), 3u);
  auto bad = store->append_sync(request("chain-1", ExpectedVersion::exact(2)));
  ASSERT_FALSE(bad.ok());
  ASSERT_TRUE(bad.error().actual_version.has_value());
  EXPECT_EQ(*bad.error().actual_version, 3u);
  auto r = store->append_sync(request("chain-1", ExpectedVersion::exact(3), 2));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->first_position, 10u);
  EXPECT_EQ(r->first_version, 4u);
  auto log = read_everything(*store);
  ASSERT_EQ(log.size(), 11u);
  expect_well_formed_log(log);
  EXPECT_EQ(log[9].prev_hash, log_.back().hash) << "chain not continued after reopen";
  auto v = store->verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->problem;
  EXPECT_EQ(v->events_checked, 11u);
  EXPECT_EQ(v->head_hash, log.back().hash);
  store.reset();
  store = open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->head_position(), 11u);
  auto v2 = store->verify();
  ASSERT_TRUE(v2.ok());
  EXPECT_TRUE(v2->ok) << v2->problem;
}

TEST_F(RocksChainTest, ReadOnlyInstanceReadsAndRefusesAppends) {
  fill(5);
  auto primary = open();
  ASSERT_NE(primary, nullptr);
  TempDir secondary;
  RocksOptions o;
  o.path = dir_.str();
  o.read_only = true;
  o.secondary_path = secondary.str();
  auto ro = open_rocks_event_store(o);
  ASSERT_TRUE(ro.ok()) << ro.error().message;
  EXPECT_EQ((*ro)->head_position(), 5u);
  EXPECT_EQ(read_everything(**ro).size(), 5u);
  auto r = (*ro)->append_sync(request("chain-0", ExpectedVersion::any()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  (*ro)->close();
  EXPECT_EQ(primary->head_position(), 5u);
}

}  // namespace
}  // namespace ikv::eventstore::testing
