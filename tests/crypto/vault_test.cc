// PersonalDataVault over the in-memory event store: round trips, erasure,
// per-subject keys, wrapping under a master key, store failures, and the store
// reads that staging a new subject does not make.
#include "crypto/key_vault.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/encoding.h"
#include "eventstore/memory_event_store.h"

namespace ikv::crypto {
namespace {

using eventstore::EventStore;
using eventstore::kSideKeys;

// The stored data key of a subject (layout in crypto/key_vault.cc).
std::optional<std::string> stored_key(const EventStore& store, std::string_view subject) {
  return store.side_get(kSideKeys, "k/" + std::string(subject)).value();
}

// Forwards every call to an in-memory store.
// (Tracks the EventStore interface: a new pure method needs a forwarder here.)
class ForwardingStore : public EventStore {
 public:
  void append(eventstore::AppendRequest req, eventstore::AppendCallback done) override {
    inner_->append(std::move(req), std::move(done));
  }
  Result<std::vector<eventstore::RecordedEvent>> read_stream(std::string_view s, std::uint64_t v,
                                                             std::size_t n) const override {
    return inner_->read_stream(s, v, n);
  }
  Result<std::vector<eventstore::RecordedEvent>> read_stream_backward(
      std::string_view s, std::uint64_t v, std::size_t n) const override {
    return inner_->read_stream_backward(s, v, n);
  }
  Result<std::vector<eventstore::RecordedEvent>> read_all(
      const eventstore::ReadAllOptions& o) const override {
    return inner_->read_all(o);
  }
  Result<std::uint64_t> scan_all(
      std::uint64_t after,
      const std::function<bool(const eventstore::RecordedEvent&)>& visit) const override {
    return inner_->scan_all(after, visit);
  }
  Result<std::optional<eventstore::RecordedEvent>> read_event(
      std::string_view event_id) const override {
    return inner_->read_event(event_id);
  }
  std::uint64_t stream_version(std::string_view s) const override {
    return inner_->stream_version(s);
  }
  std::uint64_t head_position() const override { return inner_->head_position(); }
  Result<eventstore::VerifyResult> verify(std::uint64_t from, std::uint64_t to) const override {
    return inner_->verify(from, to);
  }
  std::uint64_t wait_for(std::uint64_t p, int ms) const override { return inner_->wait_for(p, ms); }
  Result<std::optional<std::string>> side_get(std::string_view t,
                                              std::string_view k) const override {
    return inner_->side_get(t, k);
  }
  Status side_put(std::string_view t, std::string_view k, std::string_view v) override {
    return inner_->side_put(t, k, v);
  }
  Status side_erase(std::string_view t, std::string_view k) override {
    return inner_->side_erase(t, k);
  }
  Status side_scan(
      std::string_view t, std::string_view p,
      const std::function<bool(std::string_view, std::string_view)>& visit) const override {
    return inner_->side_scan(t, p, visit);
  }
  eventstore::StoreStats stats() const override { return inner_->stats(); }
  void set_commit_listener(eventstore::CommitListener l) override {
    inner_->set_commit_listener(std::move(l));
  }
  void close() override { inner_->close(); }

 private:
  std::unique_ptr<EventStore> inner_ = eventstore::make_memory_event_store();
};

// Side-table writes fail while `fail_writes`, side-table erasures while
// `fail_erases`.
class FlakySideStore : public ForwardingStore {
 public:
  bool fail_writes = false;
  bool fail_erases = false;

  Status side_put(std::string_view t, std::string_view k, std::string_view v) override {
    if (fail_writes) return Error{ErrorCode::kIOError, "disk full", {}};
    return ForwardingStore::side_put(t, k, v);
  }
  Status side_erase(std::string_view t, std::string_view k) override {
    if (fail_writes || fail_erases) return Error{ErrorCode::kIOError, "disk full", {}};
    return ForwardingStore::side_erase(t, k);
  }
};

// Counts the side-table reads.
class CountingSideStore : public ForwardingStore {
 public:
  mutable std::atomic<int> gets{0};
  mutable std::atomic<int> scans{0};

  Result<std::optional<std::string>> side_get(std::string_view t,
                                              std::string_view k) const override {
    ++gets;
    return ForwardingStore::side_get(t, k);
  }
  Status side_scan(
      std::string_view t, std::string_view p,
      const std::function<bool(std::string_view, std::string_view)>& visit) const override {
    ++scans;
    return ForwardingStore::side_scan(t, p, visit);
  }
};

class VaultTest : public ::testing::Test {
 protected:
  std::unique_ptr<EventStore> store_ = eventstore::make_memory_event_store();
};

TEST_F(VaultTest, SealsAndOpens) {
  PersonalDataVault vault(*store_);
  const Result<std::string> sealed = vault.seal("member-1", "coordinator@example.fi");
  ASSERT_TRUE(sealed.ok()) << sealed.error().message;
  EXPECT_TRUE(base64url_decode(*sealed).has_value());
  const auto plain = vault.open("member-1", *sealed);
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(plain->value(), "coordinator@example.fi");
}

TEST_F(VaultTest, StoresTheKeyBeforeAnswering) {
  std::string sealed;
  {
    PersonalDataVault vault(*store_);
    sealed = vault.seal("member-1", "Coordinator, Reception Centre A").value();
    EXPECT_TRUE(stored_key(*store_, "member-1").has_value());
  }
  PersonalDataVault reopened(*store_);  // empty cache: reads the side table
  EXPECT_EQ(reopened.open("member-1", sealed).value(), "Coordinator, Reception Centre A");
}

TEST_F(VaultTest, ReusesTheSubjectsKey) {
  PersonalDataVault vault(*store_);
  ASSERT_TRUE(vault.seal("member-1", "a").ok());
  const auto first = stored_key(*store_, "member-1");
  ASSERT_TRUE(vault.seal("member-1", "b").ok());
  EXPECT_EQ(stored_key(*store_, "member-1"), first);
}

TEST_F(VaultTest, OpensToNulloptAfterErase) {
  PersonalDataVault vault(*store_);
  const std::string sealed = vault.seal("member-1", "coordinator@example.fi").value();
  ASSERT_TRUE(vault.erase("member-1").ok());
  EXPECT_FALSE(stored_key(*store_, "member-1").has_value());
  EXPECT_FALSE(vault.has_key("member-1").value());
  EXPECT_TRUE(vault.is_erased("member-1").value());
  const auto plain = vault.open("member-1", sealed);
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_FALSE(plain->has_value());
  PersonalDataVault reopened(*store_);
  EXPECT_FALSE(reopened.open("member-1", sealed).value().has_value());
}

TEST_F(VaultTest, EraseLeavesOtherSubjectsReadable) {
  PersonalDataVault vault(*store_);
  const std::string a = vault.seal("member-a", "a@example.fi").value();
  const std::string b = vault.seal("member-b", "b@example.fi").value();
  ASSERT_TRUE(vault.erase("member-a").ok());
  EXPECT_FALSE(vault.open("member-a", a).value().has_value());
  EXPECT_EQ(vault.open("member-b", b).value(), "b@example.fi");
}

TEST_F(VaultTest, ErasingAnUnknownSubjectSucceeds) {
  PersonalDataVault vault(*store_);
  EXPECT_TRUE(vault.erase("nobody").ok());
  EXPECT_TRUE(vault.is_erased("nobody").value());
  EXPECT_FALSE(vault.seal("nobody", "x").ok());
}

TEST_F(VaultTest, OpensToNulloptForASubjectWithoutKey) {
  PersonalDataVault vault(*store_);
  const std::string sealed = vault.seal("member-1", "x").value();
  EXPECT_FALSE(vault.open("member-2", sealed).value().has_value());
}

TEST_F(VaultTest, GivesEachSubjectItsOwnKey) {
  PersonalDataVault vault(*store_);
  const std::string a = vault.seal("member-a", "same@example.fi").value();
  ASSERT_TRUE(vault.seal("member-b", "same@example.fi").ok());
  EXPECT_NE(stored_key(*store_, "member-a"), stored_key(*store_, "member-b"));
  const auto moved = vault.open("member-b", a);
  ASSERT_FALSE(moved.ok());
  EXPECT_EQ(moved.error().code, ErrorCode::kCorruption);
}

TEST_F(VaultTest, CiphertextDoesNotContainThePlaintext) {
  PersonalDataVault vault(*store_);
  const std::string plain = "Coordinator, Reception Centre A <coordinator@example.fi>";
  const std::string sealed = vault.seal("member-1", plain).value();
  EXPECT_EQ(sealed.find("Coordinator"), std::string::npos);
  EXPECT_EQ(sealed.find("example.fi"), std::string::npos);
  const std::string bytes = base64url_decode(sealed).value();
  EXPECT_EQ(bytes.find("Coordinator"), std::string::npos);
  EXPECT_EQ(bytes.find("example.fi"), std::string::npos);
  EXPECT_NE(vault.seal("member-1", plain).value(), sealed);  // fresh nonce each time
}

TEST_F(VaultTest, RejectsTamperedOrMalformedText) {
  PersonalDataVault vault(*store_);
  std::string sealed = vault.seal("member-1", "x@example.fi").value();
  sealed[sealed.size() / 2] = sealed[sealed.size() / 2] == 'A' ? 'B' : 'A';
  const auto tampered = vault.open("member-1", sealed);
  ASSERT_FALSE(tampered.ok());
  EXPECT_EQ(tampered.error().code, ErrorCode::kCorruption);
  EXPECT_EQ(vault.open("member-1", "not base64url!").error().code, ErrorCode::kCorruption);
  EXPECT_EQ(vault.open("member-1", "").error().code, ErrorCode::kCorruption);
}

TEST_F(VaultTest, RejectsAnEmptySubject) {
  PersonalDataVault vault(*store_);
  EXPECT_EQ(vault.seal("", "x").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(vault.open("", "x").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(vault.erase("").error().code, ErrorCode::kInvalidArgument);
}

TEST_F(VaultTest, RefusesToSealForAnErasedSubject) {
  PersonalDataVault vault(*store_);
  ASSERT_TRUE(vault.seal("member-1", "old@example.fi").ok());
  ASSERT_TRUE(vault.erase("member-1").ok());
  const Result<std::string> again = vault.seal("member-1", "new@example.fi");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(stored_key(*store_, "member-1").has_value());
  PersonalDataVault reopened(*store_);
  EXPECT_FALSE(reopened.seal("member-1", "new@example.fi").ok());
  EXPECT_TRUE(reopened.is_erased("member-1").value());
}

TEST_F(VaultTest, ErasesIdempotently) {
  PersonalDataVault vault(*store_);
  const std::string sealed = vault.seal("member-1", "x").value();
  ASSERT_TRUE(vault.erase("member-1").ok());
  ASSERT_TRUE(vault.erase("member-1").ok());
  EXPECT_FALSE(vault.open("member-1", sealed).value().has_value());
}

TEST_F(VaultTest, WorksThroughTheCodecInterfaces) {
  PersonalDataVault vault(*store_);
  codec::PersonalDataSealer& sealer = vault;
  const codec::PersonalDataOpener& opener = vault;
  const std::string sealed = sealer.seal("member-1", R"({"name":"Adviser"})").value();
  EXPECT_EQ(opener.open("member-1", sealed).value(), R"({"name":"Adviser"})");
}

TEST_F(VaultTest, ReloadsKeysDroppedFromAFullCache) {
  PersonalDataVault vault(*store_, {.master_key = std::nullopt, .cache_capacity = 1});
  const std::string a = vault.seal("member-a", "a").value();
  const std::string b = vault.seal("member-b", "b").value();
  EXPECT_EQ(vault.open("member-a", a).value(), "a");
  EXPECT_EQ(vault.open("member-b", b).value(), "b");
}

TEST_F(VaultTest, ConcurrentFirstSealsShareOneKey) {
  PersonalDataVault vault(*store_);
  std::vector<std::string> sealed(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    threads.emplace_back([&, i] { sealed[i] = vault.seal("member-1", "x").value(); });
  }
  for (auto& t : threads) t.join();
  PersonalDataVault reopened(*store_);
  for (const auto& s : sealed) EXPECT_EQ(reopened.open("member-1", s).value(), "x");
}

TEST_F(VaultTest, WrapsKeysUnderTheMasterKey) {
  const AeadKey master = generate_aead_key();
  PersonalDataVault vault(*store_, {.master_key = master});
  const std::string sealed = vault.seal("member-1", "x@example.fi").value();
  const std::string stored = stored_key(*store_, "member-1").value();
  EXPECT_EQ(stored.size(), kAeadOverhead + kAeadKeySize);
  PersonalDataVault same_master(*store_, {.master_key = master});
  EXPECT_EQ(same_master.open("member-1", sealed).value(), "x@example.fi");

  PersonalDataVault no_master(*store_);
  EXPECT_EQ(no_master.open("member-1", sealed).error().code, ErrorCode::kCorruption);
  PersonalDataVault other_master(*store_, {.master_key = generate_aead_key()});
  EXPECT_EQ(other_master.open("member-1", sealed).error().code, ErrorCode::kCorruption);
}

TEST_F(VaultTest, RefusesAWrappedKeyCopiedToAnotherSubject) {
  const AeadKey master = generate_aead_key();
  PersonalDataVault vault(*store_, {.master_key = master});
  ASSERT_TRUE(vault.seal("member-a", "a").ok());
  ASSERT_TRUE(
      store_->side_put(kSideKeys, "k/member-b", stored_key(*store_, "member-a").value()).ok());
  EXPECT_EQ(vault.has_key("member-b").error().code, ErrorCode::kCorruption);
}

TEST_F(VaultTest, RefusesAPlainKeyWhenAMasterKeyIsSet) {
  PersonalDataVault plain_vault(*store_);
  const std::string sealed = plain_vault.seal("member-1", "x").value();
  PersonalDataVault wrapped(*store_, {.master_key = generate_aead_key()});
  EXPECT_EQ(wrapped.open("member-1", sealed).error().code, ErrorCode::kCorruption);
}

TEST(VaultStoreFailure, SealsNothingWhenTheKeyCannotBeStored) {
  FlakySideStore store;
  PersonalDataVault vault(store);
  store.fail_writes = true;
  const Result<std::string> sealed = vault.seal("member-1", "x");
  ASSERT_FALSE(sealed.ok());
  EXPECT_EQ(sealed.error().code, ErrorCode::kIOError);
  EXPECT_FALSE(vault.has_key("member-1").value());
  store.fail_writes = false;
  const std::string ok = vault.seal("member-1", "x").value();
  EXPECT_EQ(vault.open("member-1", ok).value(), "x");
}

TEST(VaultStoreFailure, ReportsAFailedErase) {
  FlakySideStore store;
  PersonalDataVault vault(store);
  const std::string sealed = vault.seal("member-1", "x").value();
  store.fail_writes = true;
  EXPECT_EQ(vault.erase("member-1").error().code, ErrorCode::kIOError);
  store.fail_writes = false;
  EXPECT_EQ(vault.open("member-1", sealed).value(), "x");  // nothing changed: retry the erase
}

TEST(VaultStoreFailure, APartialEraseAlreadyReadsAsErased) {
  FlakySideStore store;
  PersonalDataVault vault(store);
  const std::string sealed = vault.seal("member-1", "x").value();
  store.fail_erases = true;  // the mark is written, the key is not yet deleted
  EXPECT_FALSE(vault.erase("member-1").ok());
  PersonalDataVault reopened(store);
  EXPECT_FALSE(reopened.open("member-1", sealed).value().has_value());
  EXPECT_FALSE(reopened.seal("member-1", "y").ok());
  store.fail_erases = false;
  ASSERT_TRUE(reopened.erase("member-1").ok());
  EXPECT_FALSE(store.side_get(kSideKeys, "k/member-1").value().has_value());
}

TEST(VaultStoreFailure, AnEraseWhoseMarkFailsLeavesTheKeyKnown) {
  FlakySideStore store;
  PersonalDataVault vault(store);
  const std::string sealed = vault.seal("member-1", "x").value();
  store.fail_writes = true;  // the erasure mark cannot be written
  EXPECT_EQ(vault.erase("member-1").error().code, ErrorCode::kIOError);
  store.fail_writes = false;
  const auto put = vault.stage("member-1");  // not taken for a new subject
  ASSERT_TRUE(put.ok()) << put.error().message;
  EXPECT_FALSE(put->has_value());
  EXPECT_EQ(vault.open("member-1", sealed).value(), "x");
  store.fail_erases = true;  // the mark is written, the key is not yet deleted
  EXPECT_FALSE(vault.erase("member-1").ok());
  EXPECT_EQ(vault.stage("member-1").error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(vault.open("member-1", sealed).value().has_value());
}

TEST_F(VaultTest, OpensEveryStoredKeyInAFreshVaultWithASmallCache) {
  std::vector<std::string> sealed;
  {
    PersonalDataVault writer(*store_);
    for (int i = 0; i < 20; ++i) {
      sealed.push_back(writer.seal("member-" + std::to_string(i), std::to_string(i)).value());
    }
  }
  PersonalDataVault reader(*store_, {.master_key = std::nullopt, .cache_capacity = 2});
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 20; ++i) {
      EXPECT_EQ(reader.open("member-" + std::to_string(i), sealed[i]).value(), std::to_string(i));
    }
  }
}

TEST_F(VaultTest, FindsAKeyStoredByAnotherVaultAfterItsFirstLookup) {
  PersonalDataVault first(*store_);
  ASSERT_TRUE(first.seal("member-1", "a").ok());  // first lookup: reads the key table
  PersonalDataVault second(*store_);
  const std::string sealed = second.seal("member-2", "b").value();
  EXPECT_EQ(first.open("member-2", sealed).value(), "b");
}

TEST_F(VaultTest, ErasingAKeyNotUsedYetMakesItUnreadable) {
  std::string sealed;
  {
    PersonalDataVault writer(*store_);
    sealed = writer.seal("member-1", "x").value();
  }
  PersonalDataVault vault(*store_);
  EXPECT_FALSE(vault.has_key("member-9").value());  // the key table is read here
  ASSERT_TRUE(vault.erase("member-1").ok());
  EXPECT_FALSE(vault.open("member-1", sealed).value().has_value());
  EXPECT_FALSE(vault.has_key("member-1").value());
  EXPECT_FALSE(vault.seal("member-1", "y").ok());
}

TEST_F(VaultTest, AWrappedKeyTableReadsBackThroughTheIndex) {
  const AeadKey master = generate_aead_key();
  std::string sealed;
  {
    PersonalDataVault writer(*store_, {.master_key = master});
    sealed = writer.seal("member-1", "x@example.fi").value();
  }
  PersonalDataVault wrong(*store_, {.master_key = generate_aead_key()});
  const auto refused = wrong.open("member-1", sealed);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kCorruption);
  PersonalDataVault right(*store_, {.master_key = master});
  EXPECT_EQ(right.open("member-1", sealed).value(), "x@example.fi");
}

}  // namespace
}  // namespace ikv::crypto

namespace ikv::crypto {
namespace {

TEST(VaultStaging, StagesANewKeyForTheBatchUntilConfirmed) {
  auto store = eventstore::make_memory_event_store();
  PersonalDataVault vault(*store);
  auto put = vault.stage("m-1");
  ASSERT_TRUE(put) << put.error().message;
  ASSERT_TRUE(put->has_value());
  EXPECT_EQ((*put)->table, eventstore::kSideKeys);
  // Nothing is stored yet: the key travels with the event's batch.
  auto stored = store->side_get(eventstore::kSideKeys, (*put)->key);
  ASSERT_TRUE(stored);
  EXPECT_FALSE(stored->has_value());
  // A retried append carries the same key.
  auto again = vault.stage("m-1");
  ASSERT_TRUE(again && again->has_value());
  EXPECT_EQ((*again)->value, (*put)->value);
  // seal() and open() use the staged key.
  auto sealed = vault.seal("m-1", "anna@example.fi");
  ASSERT_TRUE(sealed);
  auto opened = vault.open("m-1", *sealed);
  ASSERT_TRUE(opened && opened->has_value());
  EXPECT_EQ(**opened, "anna@example.fi");
}

TEST(VaultStaging, AConfirmedKeyIsNotStagedAgain) {
  auto store = eventstore::make_memory_event_store();
  PersonalDataVault vault(*store);
  auto put = vault.stage("m-1");
  ASSERT_TRUE(put && put->has_value());
  ASSERT_TRUE(store->side_put((*put)->table, (*put)->key, (*put)->value));
  vault.confirm("m-1");
  auto again = vault.stage("m-1");
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->has_value());
}

TEST(VaultStaging, AKeyStoredByTheBatchOpensInAFreshVault) {
  auto store = eventstore::make_memory_event_store();
  std::string sealed;
  {
    PersonalDataVault vault(*store);
    auto put = vault.stage("m-1");
    ASSERT_TRUE(put && put->has_value());
    sealed = *vault.seal("m-1", "anna@example.fi");
    ASSERT_TRUE(store->side_put((*put)->table, (*put)->key, (*put)->value));
  }
  PersonalDataVault fresh(*store);
  auto opened = fresh.open("m-1", sealed);
  ASSERT_TRUE(opened && opened->has_value());
  EXPECT_EQ(**opened, "anna@example.fi");
}

TEST(VaultStaging, ErasingDropsAStagedKey) {
  auto store = eventstore::make_memory_event_store();
  PersonalDataVault vault(*store);
  ASSERT_TRUE(vault.stage("m-1"));
  auto sealed = vault.seal("m-1", "anna@example.fi");
  ASSERT_TRUE(vault.erase("m-1"));
  auto opened = vault.open("m-1", *sealed);
  ASSERT_TRUE(opened);
  EXPECT_FALSE(opened->has_value());
  EXPECT_FALSE(vault.stage("m-1"));
}

}  // namespace
}  // namespace ikv::crypto

namespace ikv::crypto {
namespace {

// Staging N subjects the vault has never seen, once the key table is loaded,
// reads nothing from the store; seal/open/erase work as before.
void StagesNewSubjectsWithoutAStoreRead(const VaultOptions& options) {
  CountingSideStore store;
  {
    PersonalDataVault writer(store, options);
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(writer.seal("old-" + std::to_string(i), "x").ok());
    }
  }
  PersonalDataVault vault(store, options);
  store.gets = 0;
  store.scans = 0;
  // The first lookup scans the key table (keys, then erasure marks).
  auto first = vault.stage("new-0");
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ(store.scans.load(), 2);
  EXPECT_EQ(store.gets.load(), 0);

  constexpr int kNew = 1000;
  std::vector<eventstore::SidePut> puts{**first};
  for (int i = 1; i < kNew; ++i) {
    auto put = vault.stage("new-" + std::to_string(i));
    ASSERT_TRUE(put.ok()) << put.error().message;
    ASSERT_TRUE(put->has_value());
    puts.push_back(std::move(**put));
  }
  EXPECT_EQ(store.gets.load(), 0);
  EXPECT_EQ(store.scans.load(), 2);

  // The batch carrying the keys is durable.
  for (int i = 0; i < kNew; ++i) {
    ASSERT_TRUE(store.side_put(puts[i].table, puts[i].key, puts[i].value).ok());
    vault.confirm("new-" + std::to_string(i));
  }
  // Known subjects, new or found by the scan, are not staged again.
  for (int i = 0; i < kNew; ++i) {
    auto again = vault.stage("new-" + std::to_string(i));
    ASSERT_TRUE(again.ok());
    EXPECT_FALSE(again->has_value());
  }
  for (int i = 0; i < 5; ++i) {
    auto again = vault.stage("old-" + std::to_string(i));
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_FALSE(again->has_value());
  }
  const std::string sealed = vault.seal("new-7", "anna@example.fi").value();
  EXPECT_EQ(vault.open("new-7", sealed).value(), "anna@example.fi");
  EXPECT_EQ(store.gets.load(), 0);
  EXPECT_EQ(store.scans.load(), 2);

  // The keys are the stored ones: a fresh vault opens what this one sealed.
  PersonalDataVault fresh(store, options);
  EXPECT_EQ(fresh.open("new-7", sealed).value(), "anna@example.fi");
  // Erasure is unchanged: refused for good, in this vault and the next.
  ASSERT_TRUE(vault.erase("new-7").ok());
  EXPECT_FALSE(vault.open("new-7", sealed).value().has_value());
  EXPECT_EQ(vault.stage("new-7").error().code, ErrorCode::kInvalidArgument);
  PersonalDataVault after(store, options);
  EXPECT_EQ(after.stage("new-7").error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(after.open("new-7", sealed).value().has_value());
}

TEST(VaultStoreReads, StagesNewSubjectsWithoutReadingTheStore) {
  StagesNewSubjectsWithoutAStoreRead({});
}

TEST(VaultStoreReads, StagesNewSubjectsWithoutReadingTheStoreUnderAMasterKey) {
  StagesNewSubjectsWithoutAStoreRead({.master_key = generate_aead_key()});
}

TEST(VaultStoreReads, DoesNotStageAgainAKeyDroppedFromAFullCache) {
  CountingSideStore store;
  PersonalDataVault vault(store, {.master_key = std::nullopt, .cache_capacity = 2});
  std::vector<std::string> sealed;
  for (int i = 0; i < 10; ++i) {
    sealed.push_back(vault.seal("member-" + std::to_string(i), std::to_string(i)).value());
  }
  for (int i = 0; i < 10; ++i) {
    const std::string subject = "member-" + std::to_string(i);
    const auto stored = store.side_get(kSideKeys, "k/" + subject).value();
    auto put = vault.stage(subject);
    ASSERT_TRUE(put.ok()) << put.error().message;
    EXPECT_FALSE(put->has_value()) << subject;
    EXPECT_EQ(store.side_get(kSideKeys, "k/" + subject).value(), stored);
    EXPECT_EQ(vault.open(subject, sealed[i]).value(), std::to_string(i));
  }
  // New subjects still cost no read.
  const int gets = store.gets.load();
  for (int i = 0; i < 10; ++i) {
    auto put = vault.stage("new-" + std::to_string(i));
    ASSERT_TRUE(put.ok() && put->has_value());
  }
  EXPECT_EQ(store.gets.load(), gets);
}

TEST(VaultStoreReads, AFullCacheDropsTheLeastRecentlyUsedKey) {
  CountingSideStore store;
  std::vector<std::string> sealed;
  {
    PersonalDataVault writer(store);
    for (int i = 0; i < 8; ++i) {
      sealed.push_back(writer.seal("member-" + std::to_string(i), std::to_string(i)).value());
    }
  }
  PersonalDataVault vault(store, {.master_key = std::nullopt, .cache_capacity = 3});
  const int gets = store.gets.load();  // the writer's
  const auto open = [&](int i) {
    EXPECT_EQ(vault.open("member-" + std::to_string(i), sealed[i]).value(), std::to_string(i));
  };
  // Three keys from the table's scan fill the cache.
  open(0);
  open(1);
  open(2);
  EXPECT_EQ(vault.keys_unwrapped(), 3u);
  // A page showing the same rows again and again between others: member-0
  // is used before each new key, so it is never the one dropped.
  for (int i = 3; i < 8; ++i) {
    open(0);
    open(i);
  }
  EXPECT_EQ(vault.keys_unwrapped(), 8u) << "member-0 stayed in the cache";
  open(0);
  EXPECT_EQ(vault.keys_unwrapped(), 8u) << "the key used most recently stays";
  open(7);
  open(6);
  EXPECT_EQ(vault.keys_unwrapped(), 8u);
  // member-3, dropped long ago, is unwrapped again from the vault's index.
  open(3);
  EXPECT_EQ(vault.keys_unwrapped(), 9u);
  // No key, cached or dropped, was read from the store: the scan knew them all.
  EXPECT_EQ(store.gets.load(), gets);
}

TEST(VaultStoreReads, AKeyStoredByThisVaultAndDroppedFromTheCacheCostsNoStoreRead) {
  for (const std::optional<AeadKey> master :
       {std::optional<AeadKey>(), std::optional(generate_aead_key())}) {
    CountingSideStore store;
    PersonalDataVault vault(store, {.master_key = master, .cache_capacity = 2});
    // One sealed directly, one staged and confirmed (the server's write path).
    const std::string sealed = vault.seal("member-a", "a").value();
    auto put = vault.stage("member-b");
    ASSERT_TRUE(put.ok() && put->has_value());
    ASSERT_TRUE(store.side_put(put->value().table, put->value().key, put->value().value).ok());
    vault.confirm("member-b");
    const std::string sealed_b = vault.seal("member-b", "b").value();
    // Fill the cache with others so that both keys are dropped.
    for (int i = 0; i < 4; ++i) {
      ASSERT_TRUE(vault.seal("other-" + std::to_string(i), "x").ok());
    }
    const int gets = store.gets.load();
    EXPECT_EQ(vault.open("member-a", sealed).value(), "a");
    EXPECT_EQ(vault.open("member-b", sealed_b).value(), "b");
    EXPECT_EQ(store.gets.load(), gets);
    // Erasure still wins over the index.
    ASSERT_TRUE(vault.erase("member-a").ok());
    EXPECT_FALSE(vault.open("member-a", sealed).value().has_value());
    EXPECT_EQ(vault.seal("member-a", "a").error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(VaultStoreReads, OpenStillFindsAKeyAnotherVaultStoredSinceTheScan) {
  CountingSideStore store;
  PersonalDataVault reader(store);
  EXPECT_FALSE(reader.has_key("member-1").value());  // the key table is read here
  PersonalDataVault writer(store);
  const std::string sealed = writer.seal("member-1", "x").value();
  EXPECT_EQ(reader.open("member-1", sealed).value(), "x");
}

}  // namespace
}  // namespace ikv::crypto
