// The master key file: created once with mode 0600, read back unchanged,
// refused when open to others or malformed.
#include "crypto/master_key.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "crypto/encoding.h"

namespace ikv::crypto {
namespace {

namespace fs = std::filesystem;

class MasterKeyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "ikv-master-key-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path path() const { return dir_ / kMasterKeyFileName; }
  void write(const std::string& text) const { std::ofstream(path()) << text; }

  fs::path dir_;
};

TEST_F(MasterKeyTest, CreatesAnOwnerOnlyFileOnFirstStart) {
  const Result<AeadKey> key = load_or_create_master_key(path());
  ASSERT_TRUE(key.ok()) << key.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(path());
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, hex_encode(*key) + "\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(MasterKeyTest, ReadsTheSameKeyLater) {
  const AeadKey first = load_or_create_master_key(path()).value();
  EXPECT_EQ(load_or_create_master_key(path()).value(), first);
}

TEST_F(MasterKeyTest, ReadsAKeyWrittenByHand) {
  const std::string hex(64, 'a');
  write(hex);
  fs::permissions(path(), fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(hex_encode(load_or_create_master_key(path()).value()), hex);
}

TEST_F(MasterKeyTest, RefusesAFileOpenToOthers) {
  ASSERT_TRUE(load_or_create_master_key(path()).ok());
  fs::permissions(path(), fs::perms::group_read | fs::perms::others_read, fs::perm_options::add);
  const Result<AeadKey> key = load_or_create_master_key(path());
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(MasterKeyTest, RefusesMalformedContent) {
  write("not a key\n");
  fs::permissions(path(), fs::perms::owner_read | fs::perms::owner_write);
  const Result<AeadKey> key = load_or_create_master_key(path());
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code, ErrorCode::kCorruption);
}

TEST_F(MasterKeyTest, RefusesAShortKey) {
  write(std::string(62, 'a') + "\n");
  fs::permissions(path(), fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(load_or_create_master_key(path()).error().code, ErrorCode::kCorruption);
}

TEST_F(MasterKeyTest, RefusesADirectory) {
  fs::create_directory(path());
  fs::permissions(path(), fs::perms::owner_all);
  EXPECT_FALSE(load_or_create_master_key(path()).ok());
}

TEST_F(MasterKeyTest, ReportsAMissingDirectory) {
  const Result<AeadKey> key = load_or_create_master_key(dir_ / "missing" / "master.key");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code, ErrorCode::kIOError);
}

}  // namespace
}  // namespace ikv::crypto
