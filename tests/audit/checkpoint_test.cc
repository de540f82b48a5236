// Signed checkpoints: the documented message, a signature that verifies only
// for the exact position, hash and time with the signer's key, and the JSON
// form ikv-verify reads.
#include "audit/checkpoint.h"

#include <gtest/gtest.h>
#include <boost/json/serialize.hpp>

namespace ikv::audit {
namespace {

const std::string kHash = "9f2c4e1a7b3d5f608e1c2a4b6d8f0e1a3c5b7d9f1e2a4c6b8d0f1e3a5c7b9d1f";

TEST(Checkpoint, MessageIsTheDocumentedAscii) {
  EXPECT_EQ(checkpoint_message(412, kHash, "2024-05-15T10:00:00Z"),
            "ikv-checkpoint:v1:412:" + kHash + ":2024-05-15T10:00:00Z");
}

TEST(Checkpoint, SignedAtIsUtcToTheSecond) {
  EXPECT_EQ(format_signed_at(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_signed_at(1'715'767'200'999'999), "2024-05-15T10:00:00Z");
}

TEST(Checkpoint, SignedCheckpointVerifies) {
  const auto key = crypto::SigningKey::generate();
  const Checkpoint c = sign_checkpoint(key, 412, kHash, "2024-05-15T10:00:00Z");
  EXPECT_EQ(c.key_id, key.key_id());
  EXPECT_TRUE(verify_checkpoint(key.verifying_key(), c).ok());
}

TEST(Checkpoint, ChangedPositionHashOrTimeDoesNotVerify) {
  const auto key = crypto::SigningKey::generate();
  const Checkpoint c = sign_checkpoint(key, 412, kHash, "2024-05-15T10:00:00Z");
  Checkpoint moved = c;
  moved.position = 413;
  Checkpoint rehashed = c;
  rehashed.hash[0] = 'a';
  Checkpoint redated = c;
  redated.signed_at = "2024-05-15T10:00:01Z";
  for (const Checkpoint& bad : {moved, rehashed, redated}) {
    auto s = verify_checkpoint(key.verifying_key(), bad);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::kCorruption);
  }
}

TEST(Checkpoint, AnotherKeysCheckpointIsRefusedByName) {
  const auto signer = crypto::SigningKey::generate();
  const auto other = crypto::SigningKey::generate();
  const Checkpoint c = sign_checkpoint(signer, 1, kHash, "2024-05-15T10:00:00Z");
  auto s = verify_checkpoint(other.verifying_key(), c);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find(signer.key_id()), std::string::npos) << s.error().message;
  // The same signature under the other key's id still fails.
  Checkpoint renamed = c;
  renamed.key_id = other.key_id();
  EXPECT_FALSE(verify_checkpoint(other.verifying_key(), renamed).ok());
}

TEST(Checkpoint, RoundTripsThroughItsJson) {
  const auto key = crypto::SigningKey::generate();
  const Checkpoint c = sign_checkpoint(key, 7, kHash, "2024-05-15T10:00:00Z");
  auto back = checkpoint_from_json(boost::json::serialize(to_json(c)));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, c);
  EXPECT_FALSE(checkpoint_from_json(R"({"position":7})").ok());
  EXPECT_FALSE(checkpoint_from_json("[]").ok());
}

TEST(Checkpoint, PositionZeroCarriesTheZeroHash) {
  const auto key = crypto::SigningKey::generate();
  EXPECT_TRUE(
      verify_checkpoint(key.verifying_key(), sign_checkpoint(key, 0, kZeroHashHex, "t")).ok());
  EXPECT_FALSE(verify_checkpoint(key.verifying_key(), sign_checkpoint(key, 0, kHash, "t")).ok());
}

}  // namespace
}  // namespace ikv::audit
