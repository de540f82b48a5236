// AES-256-GCM sealing: known answers, round trips, and every way a sealed
// message can be wrong (tampered, wrong key or AAD, truncated, garbage); the
// per-thread contexts (several threads at once, a context reused after a
// failure), checked against a reference made the plain way.
#include "crypto/aead.h"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "crypto/encoding.h"
#include "crypto/random.h"

namespace ikv::crypto {
namespace {

std::string unhex(std::string_view text) { return hex_decode(text).value(); }

AeadKey test_key() { return aead_key_from_bytes(random_bytes(kAeadKeySize)).value(); }

// A key of the bytes 00 01 ... 1f.
AeadKey counting_key() {
  std::string bytes;
  for (int i = 0; i < 32; ++i) bytes += static_cast<char>(i);
  return aead_key_from_bytes(bytes).value();
}

// Sealed by seal() as it was before its cipher contexts were kept per thread
// (a new context and an implicit fetch per call): counting_key(), AAD
// "member-42" (and "" for the empty one).
constexpr std::string_view kOldPlaintext =
    "Coordinator, Reception Centre A <coordinator@example.fi>";
constexpr std::string_view kOldSealed =
    "018d08371b44431516b2f998055c3800238d4efe393aa9ee6e0d197287153d162f8a125256a2bafd2f"
    "aea7e09886f594ff49b6dec0f43930be2293e7796abf38da2b9d983cb46df6c9246eec578b6b4506e1"
    "3df8e1";
constexpr std::string_view kOldSealedEmpty =
    "01319dde3b5949a903a5d9eb9b0b6cd5bf769ff8284d375bf553f17456";

// The plaintext, or a text no test seals when open() fails.
std::string opened(const Result<std::string>& r) { return r.ok() ? *r : "<does not open>"; }

using CtxPtr = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;
const unsigned char* u8(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// The sealed format made the plain way, as a reference: a fresh context per
// call, EVP_aes_256_gcm(), the nonce given. Empty on an OpenSSL failure.
std::string reference_seal(const AeadKey& key, std::string_view nonce, std::string_view plaintext,
                           std::string_view aad) {
  CtxPtr ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  std::string body(plaintext.size(), '\0');
  std::string tag(kAeadTagSize, '\0');
  int len = 0;
  int body_len = 0;
  if (!ctx || nonce.size() != kAeadNonceSize ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), u8(nonce)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, u8(aad), static_cast<int>(aad.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(body.data()), &body_len,
                        u8(plaintext), static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), nullptr, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kAeadTagSize),
                          tag.data()) != 1) {
    return {};
  }
  return std::string(1, static_cast<char>(kAeadVersion)) + std::string(nonce) + body + tag;
}

// What reference_seal() sealed, or nullopt when it does not authenticate.
std::optional<std::string> reference_open(const AeadKey& key, std::string_view sealed,
                                          std::string_view aad) {
  if (sealed.size() < kAeadOverhead || sealed[0] != static_cast<char>(kAeadVersion)) {
    return std::nullopt;
  }
  const std::string_view nonce = sealed.substr(1, kAeadNonceSize);
  const std::string_view body = sealed.substr(1 + kAeadNonceSize, sealed.size() - kAeadOverhead);
  std::string tag(sealed.substr(sealed.size() - kAeadTagSize));
  CtxPtr ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  std::string plain(body.size(), '\0');
  int len = 0;
  if (!ctx ||
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), u8(nonce)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, u8(aad), static_cast<int>(aad.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &len, u8(body),
                        static_cast<int>(body.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kAeadTagSize),
                          tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), nullptr, &len) != 1) {
    return std::nullopt;
  }
  return plain;
}

TEST(Aead, OpensTheGcmSpecTestCase16) {
  // McGrew and Viega, "The Galois/Counter Mode of Operation", test case 16.
  const AeadKey key =
      aead_key_from_bytes(unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"))
          .value();
  const std::string sealed = std::string(1, static_cast<char>(kAeadVersion)) +
                             unhex("cafebabefacedbaddecaf888") +
                             unhex(
                                 "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
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

TEST(Aead, OpensWhatItSealedBeforeContextsWereKeptPerThread) {
  EXPECT_EQ(open(counting_key(), unhex(kOldSealed), "member-42").value(), kOldPlaintext);
  EXPECT_EQ(open(counting_key(), unhex(kOldSealedEmpty), "").value(), "");
  EXPECT_FALSE(open(counting_key(), unhex(kOldSealed), "member-43").ok());
}

TEST(Aead, MatchesTheReferenceByteForByte) {
  // Same key, nonce, plaintext and AAD: the same bytes as before.
  const std::string old_sealed = unhex(kOldSealed);
  EXPECT_EQ(hex_encode(reference_seal(counting_key(), old_sealed.substr(1, kAeadNonceSize),
                                      kOldPlaintext, "member-42")),
            kOldSealed);
  // What seal() makes, the reference opens, and the other way round.
  const AeadKey key = test_key();
  EXPECT_EQ(reference_open(key, seal(key, kOldPlaintext, "member-42"), "member-42"), kOldPlaintext);
  EXPECT_EQ(reference_open(key, seal(key, "", ""), ""), "");
  const std::string nonce = random_bytes(kAeadNonceSize);
  const std::string binary("binary\x00\xff", 8);
  EXPECT_EQ(open(key, reference_seal(key, nonce, binary, "aad"), "aad").value(), binary);
}

TEST(Aead, ReusesTheThreadsContextsAfterAFailureAndAcrossKeys) {
  const AeadKey a = test_key();
  const AeadKey b = test_key();
  const std::string sealed_a = seal(a, "for a", "s");
  const std::string sealed_b = seal(b, std::string(1000, 'b'), "s");
  for (int round = 0; round < 3; ++round) {
    std::string tampered = sealed_a;
    tampered.back() = static_cast<char>(tampered.back() ^ 0x01);
    EXPECT_FALSE(open(a, tampered, "s").ok());
    EXPECT_FALSE(open(b, sealed_a, "s").ok());
    EXPECT_FALSE(open(a, sealed_a.substr(0, 5), "s").ok());
    EXPECT_EQ(open(a, sealed_a, "s").value(), "for a");
    EXPECT_EQ(open(b, sealed_b, "s").value(), std::string(1000, 'b'));
    EXPECT_EQ(reference_open(a, seal(a, "", "s"), "s"), "");
    EXPECT_EQ(reference_open(b, seal(b, "x", ""), ""), "x");
  }
}

TEST(Aead, SealsAndOpensTheSameBytesFromManyThreadsAtOnce) {
  constexpr int kThreads = 8;
  constexpr int kRounds = 300;
  const AeadKey shared = test_key();
  // Each thread seals under the shared key and a key of its own, opens the old
  // vectors and the others' messages, and checks its own with the reference.
  std::vector<std::string> sealed(kThreads);
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const AeadKey own = test_key();
      const std::string aad = "member-" + std::to_string(t);
      for (int i = 0; i < kRounds; ++i) {
        const std::string plain = aad + ":" + std::to_string(i);
        const std::string mine = seal(own, plain, aad);
        const std::string theirs = seal(shared, plain, aad);
        bool ok = reference_open(own, mine, aad) == plain &&
                  reference_open(shared, theirs, aad) == plain &&
                  opened(open(own, mine, aad)) == plain &&
                  opened(open(shared, theirs, aad)) == plain && !open(shared, mine, aad).ok() &&
                  opened(open(counting_key(), unhex(kOldSealed), "member-42")) == kOldPlaintext;
        if (!ok) ++failures[t];
        if (i == 0) sealed[t] = theirs;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(failures[t], 0) << "thread " << t;
    // Sealed on another thread (now gone), opened here.
    EXPECT_EQ(open(shared, sealed[t], "member-" + std::to_string(t)).value(),
              "member-" + std::to_string(t) + ":0");
  }
}

TEST(AeadKey, ComesOnlyFromThirtyTwoBytes) {
  EXPECT_FALSE(aead_key_from_bytes(std::string(31, 'k')));
  EXPECT_FALSE(aead_key_from_bytes(std::string(33, 'k')));
  EXPECT_TRUE(aead_key_from_bytes(std::string(32, 'k')));
  EXPECT_NE(generate_aead_key(), generate_aead_key());
}

}  // namespace
}  // namespace ikv::crypto
