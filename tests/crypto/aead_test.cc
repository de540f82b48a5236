// AES-256-GCM sealing: a known answer, round trips, and every way a sealed
// message can be wrong (tampered, wrong key or AAD, truncated, garbage).
#include "crypto/aead.h"

#include <string>

#include <gtest/gtest.h>

#include "crypto/encoding.h"
#include "crypto/random.h"

namespace ikv::crypto {
namespace {

std::string unhex(std::string_view text) { return hex_decode(text).value(); }

AeadKey test_key() { return aead_key_from_bytes(random_bytes(kAeadKeySize)).value(); }

TEST(Aead, OpensTheGcmSpecTestCase16) {
  // McGrew and Viega, "The Galois/Counter Mode of Operation", test case 16.
  const AeadKey key =
      aead_key_from_bytes(
          unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"))
          .value();
  const std::string sealed =
      std::string(1, static_cast<char>(kAeadVersion)) + unhex("cafebabefacedbaddecaf888") +
      unhex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
            "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662") +
      unhex("76fc6ece0f4e1768cddf8853bb2d551b");
  const Result<std::string> plain =
      open(key, sealed, unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2"));
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(hex_encode(*plain),
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
            "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
}

TEST(Aead, RoundTrips) {
  const AeadKey key = test_key();
  const std::string sealed = seal(key, "coordinator@example.fi", "member-1");
  EXPECT_EQ(sealed.size(), kAeadOverhead + 22);
  EXPECT_EQ(static_cast<std::uint8_t>(sealed[0]), kAeadVersion);
  const Result<std::string> plain = open(key, sealed, "member-1");
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(*plain, "coordinator@example.fi");
}

TEST(Aead, RoundTripsEmptyAndBinaryPlaintext) {
  const AeadKey key = test_key();
  EXPECT_EQ(open(key, seal(key, "", ""), "").value(), "");
  const std::string binary("\x00\xff\x00\x10", 4);
  EXPECT_EQ(open(key, seal(key, binary, "aad"), "aad").value(), binary);
}

TEST(Aead, UsesAFreshNonceEachTime) {
  const AeadKey key = test_key();
  const std::string a = seal(key, "same text", "aad");
  const std::string b = seal(key, "same text", "aad");
  EXPECT_NE(a.substr(1, kAeadNonceSize), b.substr(1, kAeadNonceSize));
  EXPECT_NE(a, b);
}

TEST(Aead, CiphertextDoesNotContainThePlaintext) {
  const AeadKey key = test_key();
  const std::string sealed = seal(key, "Coordinator, Reception Centre A", "m");
  EXPECT_EQ(sealed.find("Coordinator"), std::string::npos);
  EXPECT_EQ(sealed.find("Reception"), std::string::npos);
}

TEST(Aead, RejectsAFlippedByteAnywhere) {
  const AeadKey key = test_key();
  const std::string sealed = seal(key, "personal data", "subject");
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    const Result<std::string> r = open(key, tampered, "subject");
    ASSERT_FALSE(r.ok()) << "byte " << i;
    EXPECT_EQ(r.error().code, ErrorCode::kCorruption);
  }
}

TEST(Aead, RejectsTheWrongAad) {
  const AeadKey key = test_key();
  const std::string sealed = seal(key, "personal data", "subject-a");
  EXPECT_FALSE(open(key, sealed, "subject-b").ok());
  EXPECT_FALSE(open(key, sealed, "").ok());
  EXPECT_TRUE(open(key, sealed, "subject-a").ok());
}

TEST(Aead, RejectsTheWrongKey) {
  const std::string sealed = seal(test_key(), "personal data", "s");
  const Result<std::string> r = open(test_key(), sealed, "s");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kCorruption);
}

TEST(Aead, RejectsEveryTruncation) {
  const AeadKey key = test_key();
  const std::string sealed = seal(key, "personal data", "s");
  for (std::size_t n = 0; n < sealed.size(); ++n) {
    const Result<std::string> r = open(key, sealed.substr(0, n), "s");
    ASSERT_FALSE(r.ok()) << "length " << n;
    EXPECT_EQ(r.error().code, ErrorCode::kCorruption);
  }
}

TEST(Aead, RejectsExtraBytes) {
  const AeadKey key = test_key();
  EXPECT_FALSE(open(key, seal(key, "data", "s") + "x", "s").ok());
}

TEST(Aead, RejectsGarbageWithoutCrashing) {
  const AeadKey key = test_key();
  for (std::size_t n = 0; n < 100; ++n) {
    EXPECT_FALSE(open(key, random_bytes(n), "s").ok()) << n;
  }
  std::string versioned = random_bytes(64);
  versioned[0] = static_cast<char>(kAeadVersion);
  EXPECT_FALSE(open(key, versioned, "s").ok());
}

TEST(Aead, RejectsAnUnknownVersion) {
  const AeadKey key = test_key();
  std::string sealed = seal(key, "data", "s");
  sealed[0] = 2;
  const Result<std::string> r = open(key, sealed, "s");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("version"), std::string::npos);
}

TEST(AeadKey, ComesOnlyFromThirtyTwoBytes) {
  EXPECT_FALSE(aead_key_from_bytes(std::string(31, 'k')));
  EXPECT_FALSE(aead_key_from_bytes(std::string(33, 'k')));
  EXPECT_TRUE(aead_key_from_bytes(std::string(32, 'k')));
  EXPECT_NE(generate_aead_key(), generate_aead_key());
}

}  // namespace
}  // namespace ikv::crypto
