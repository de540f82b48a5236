// A token's expiry and its rotated secrets live in the view's snapshot section
// (format 3): after a snapshot is loaded the previous secret still
// authenticates within its grace period, and the erasure list's file grammar
// (app/erasure_list.h) holds each id once, in order.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "app/erasure_list.h"
#include "app/snapshot_codec.h"
#include "codec/personal_data.h"
#include "domain/streams.h"
#include "projections/read_models.h"

namespace ikv::app {
namespace {

class SealInClear final : public codec::PersonalDataSealer, public codec::PersonalDataOpener {
 public:
  Result<std::string> seal(std::string_view, std::string_view plaintext) override {
    return std::string(plaintext);
  }
  Result<std::optional<std::string>> open(std::string_view,
                                          std::string_view sealed) const override {
    return std::optional<std::string>(std::string(sealed));
  }
};

eventstore::RecordedEvent meta(std::uint64_t position, std::string stream) {
  eventstore::RecordedEvent m;
  m.position = position;
  m.stream = std::move(stream);
  m.version = position;
  return m;
}

TEST(TokenSnapshot, ExpiryAndRotatedSecretsSurviveASnapshot) {
  constexpr std::int64_t kExpires = 1'900'000'000'000'000;
  constexpr std::int64_t kGraceEnd = 1'800'000'000'000'000;
  const std::string old_hash(64, 'a');
  const std::string new_hash(64, 'b');
  projections::ReadModels models;
  models.apply(meta(1, domain::token_stream("t")),
               domain::TokenIssued{"t", "app", domain::Role::kAnalyst, {}, old_hash, kExpires});
  models.apply(meta(2, domain::token_stream("t")), domain::TokenRotated{"t", new_hash, kGraceEnd});
  SealInClear vault;
  auto bytes = seal_snapshot(draft_snapshot(models, 2), vault);
  ASSERT_TRUE(bytes) << bytes.error().message;
  auto loaded = open_snapshot(*bytes, vault);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_TRUE(loaded->rebuilt.empty());
  const projections::RegistryView& view = loaded->models.view();
  EXPECT_TRUE(view == models.view());
  const projections::TokenRecord* t = view.find_token_by_hash(old_hash);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t, view.find_token_by_hash(new_hash));
  EXPECT_EQ(t->expires_at_us, kExpires);
  EXPECT_TRUE(t->accepts(old_hash, kGraceEnd - 1));
  EXPECT_FALSE(t->accepts(old_hash, kGraceEnd));
  EXPECT_TRUE(t->accepts(new_hash, kGraceEnd));
}

class ErasureListFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("ikv-erasures-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(ErasureListFile, ListsEachIdOnceInOrderAndDurably) {
  auto empty = read_erasure_list(dir_);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
  ASSERT_TRUE(add_erasure(dir_, "m-2"));
  ASSERT_TRUE(add_erasure(dir_, "m-1"));
  ASSERT_TRUE(add_erasure(dir_, "m-2"));
  auto ids = read_erasure_list(dir_);
  ASSERT_TRUE(ids);
  EXPECT_EQ(*ids, (std::vector<std::string>{"m-2", "m-1"}));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "erasures.tmp"));
  EXPECT_EQ(std::filesystem::status(dir_ / "erasures").permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_FALSE(add_erasure(dir_, "with space"));
  EXPECT_FALSE(add_erasure(dir_, ""));
}

TEST_F(ErasureListFile, RefusesAFileThatIsNotAList) {
  std::ofstream(dir_ / "erasures") << "ikv-erasures v1\nm-1\nm-2";  // the last line is cut short
  auto cut = read_erasure_list(dir_);
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().code, ErrorCode::kCorruption);
  std::ofstream(dir_ / "erasures") << "something else\n";
  EXPECT_FALSE(read_erasure_list(dir_));
  EXPECT_FALSE(add_erasure(dir_, "m-3"));  // a list it cannot read is never overwritten
}

}  // namespace
}  // namespace ikv::app
