// The Ed25519 signing key and its file: created once with mode 0600, read back
// unchanged, refused when open to others or malformed; signatures verify with
// the key's public half only, and not once a byte of them or the message changes.
#include "crypto/signing_key.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace ikv::crypto {
namespace {

namespace fs = std::filesystem;

class SigningKeyFile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "ikv-signing-key-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path path() const { return dir_ / kSigningKeyFileName; }

  fs::path dir_;
};

TEST_F(SigningKeyFile, CreatesAnOwnerOnlyFileOnFirstStart) {
  auto key = load_or_create_signing_key(path());
  ASSERT_TRUE(key.ok()) << key.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // Nothing but the key is left in the directory (no temporary file).
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(SigningKeyFile, ReadsTheSameKeyOnTheNextStart) {
  auto first = load_or_create_signing_key(path());
  auto second = load_or_create_signing_key(path());
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->key_id(), second->key_id());
  EXPECT_EQ(first->public_pem(), second->public_pem());
  EXPECT_TRUE(second->verifying_key().verify("m", first->sign("m")));
}

TEST_F(SigningKeyFile, RefusesAFileOpenToOthers) {
  ASSERT_TRUE(load_or_create_signing_key(path()).ok());
  fs::permissions(path(), fs::perms::others_read, fs::perm_options::add);
  auto key = load_or_create_signing_key(path());
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(SigningKeyFile, RefusesAFileThatHoldsNoKey) {
  { std::ofstream(path()) << "not a key\n"; }
  fs::permissions(path(), fs::perms::owner_read | fs::perms::owner_write,
                  fs::perm_options::replace);
  auto key = load_or_create_signing_key(path());
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code, ErrorCode::kCorruption);
}

TEST(SigningKey, SignatureVerifiesWithItsPublicKeyFromPem) {
  const SigningKey key = SigningKey::generate();
  auto pub = VerifyingKey::from_pem(key.public_pem());
  ASSERT_TRUE(pub.ok()) << pub.error().message;
  EXPECT_EQ(pub->key_id(), key.key_id());
  EXPECT_EQ(pub->key_id().size(), 16u);
  const std::string sig = key.sign("ikv-checkpoint:v1:1:abc:2024-01-01T00:00:00Z");
  EXPECT_EQ(sig.size(), kSignatureSize);
  EXPECT_TRUE(pub->verify("ikv-checkpoint:v1:1:abc:2024-01-01T00:00:00Z", sig));
}

TEST(SigningKey, TamperedSignatureOrMessageDoesNotVerify) {
  const SigningKey key = SigningKey::generate();
  const std::string sig = key.sign("message");
  std::string flipped = sig;
  flipped[10] = static_cast<char>(flipped[10] ^ 0x01);
  EXPECT_FALSE(key.verifying_key().verify("message", flipped));
  EXPECT_FALSE(key.verifying_key().verify("messagE", sig));
  EXPECT_FALSE(key.verifying_key().verify("message", sig.substr(1)));
}

TEST(SigningKey, AnotherKeysSignatureDoesNotVerify) {
  const SigningKey a = SigningKey::generate();
  const SigningKey b = SigningKey::generate();
  EXPECT_NE(a.key_id(), b.key_id());
  EXPECT_FALSE(b.verifying_key().verify("message", a.sign("message")));
}

TEST(SigningKey, PrivatePemRoundTrips) {
  const SigningKey key = SigningKey::generate();
  auto again = SigningKey::from_pem(key.private_pem());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->key_id(), key.key_id());
  EXPECT_FALSE(VerifyingKey::from_pem(key.private_pem()).ok());
  EXPECT_FALSE(SigningKey::from_pem(key.public_pem()).ok());
}

}  // namespace
}  // namespace ikv::crypto
