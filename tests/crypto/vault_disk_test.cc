// Crypto-shredding on disk: after erase(), no copy of a person's data key is
// left anywhere in the RocksDB store's directory, so their sealed data can
// never be opened again, from the live store or from its files.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "crypto/key_vault.h"
#include "eventstore/rocks_event_store.h"

namespace ikv::crypto {
namespace {

namespace fs = std::filesystem;

class VaultOnDiskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "ikv-vault-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<eventstore::EventStore> open_store() {
    auto store = eventstore::open_rocks_event_store({.path = (dir_ / "events").string(),
                                                     .durability = eventstore::Durability::kSync,
                                                     .clock = {},
                                                     .read_only = false,
                                                     .secondary_path = {},
                                                     .block_cache_bytes = 1u << 20});
    EXPECT_TRUE(store.ok()) << store.error().message;
    return std::move(*store);
  }

  // Files under dir_ whose bytes contain `needle`.
  std::vector<std::string> files_containing(const std::string& needle) const {
    std::vector<std::string> hits;
    for (const auto& entry : fs::recursive_directory_iterator(dir_)) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
      if (bytes.find(needle) != std::string::npos) hits.push_back(entry.path().string());
    }
    return hits;
  }

  fs::path dir_;
};

TEST_F(VaultOnDiskTest, ErasedKeyLeavesNoCopyInTheStoreFiles) {
  std::string sealed;
  std::string stored;
  {
    auto store = open_store();
    PersonalDataVault vault(*store);  // no master key: the key is stored as it is
    sealed = vault.seal("member-1", "coordinator@example.fi").value();
    ASSERT_TRUE(vault.seal("member-2", "adviser@example.fi").ok());
    stored = store->side_get(eventstore::kSideKeys, "k/member-1").value().value();
    store->close();
  }
  ASSERT_FALSE(files_containing(stored).empty()) << "the key should be on disk before erasure";
  {
    auto store = open_store();
    PersonalDataVault vault(*store);
    ASSERT_TRUE(vault.erase("member-1").ok());
    EXPECT_FALSE(vault.open("member-1", sealed).value().has_value());
    store->close();
  }
  EXPECT_EQ(files_containing(stored), std::vector<std::string>{});
  auto store = open_store();
  PersonalDataVault vault(*store);
  EXPECT_FALSE(vault.open("member-1", sealed).value().has_value());
  EXPECT_TRUE(vault.has_key("member-2").value());
}

TEST_F(VaultOnDiskTest, ErasedKeyLeavesNoCopyWhileTheStoreRuns) {
  auto store = open_store();
  PersonalDataVault vault(*store);
  const std::string sealed = vault.seal("member-1", "coordinator@example.fi").value();
  const std::string stored = store->side_get(eventstore::kSideKeys, "k/member-1").value().value();
  ASSERT_FALSE(files_containing(stored).empty()) << "the key should be on disk before erasure";
  ASSERT_TRUE(vault.erase("member-1").ok());
  EXPECT_EQ(files_containing(stored), std::vector<std::string>{});
  EXPECT_FALSE(vault.open("member-1", sealed).value().has_value());
}

}  // namespace
}  // namespace ikv::crypto
