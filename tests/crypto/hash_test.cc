// Known-answer tests for SHA-256 (FIPS 180-4 examples) and HMAC-SHA-256
// (RFC 4231), also from several threads at once, and the constant-time
// comparison.
#include "crypto/hash.h"

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/encoding.h"

namespace ikv::crypto {
namespace {

std::string unhex(std::string_view text) { return hex_decode(text).value(); }

TEST(Sha256, MatchesFipsVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, HashesAMillionAs) {
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, ByteSpanAndTextAgree) {
  const Digest d = sha256("abc");
  EXPECT_EQ(sha256(d), sha256(as_bytes(d)));
  EXPECT_NE(sha256(d), d);
}

// Fed in parts of any size (none included), the incremental hash gives the
// one-shot digest of the whole.
TEST(Sha256, InPartsGivesTheDigestOfTheWhole) {
  const std::string whole(1000000, 'a');
  for (std::size_t part :
       {std::size_t{1}, std::size_t{63}, std::size_t{64}, std::size_t{4096}, whole.size()}) {
    Sha256 h;
    h.update("");
    for (std::size_t at = 0; at < whole.size(); at += part) {
      h.update(std::string_view(whole).substr(at, part));
    }
    EXPECT_EQ(h.digest(), sha256(whole)) << part;
  }
  Sha256 empty;
  EXPECT_EQ(empty.digest(), sha256(""));
  EXPECT_THROW(empty.update("x"), std::logic_error);
  EXPECT_THROW(empty.digest(), std::logic_error);
}

TEST(HmacSha256, MatchesRfc4231TestCase1) {
  EXPECT_EQ(hex_encode(hmac_sha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(HmacSha256, MatchesRfc4231TestCase2) {
  EXPECT_EQ(hex_encode(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256, MatchesRfc4231TestCase3) {
  EXPECT_EQ(hex_encode(hmac_sha256(std::string(20, '\xaa'), std::string(50, '\xdd'))),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
}

TEST(HmacSha256, MatchesRfc4231TestCase4) {
  EXPECT_EQ(hex_encode(hmac_sha256(unhex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
                                   std::string(50, '\xcd'))),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
}

TEST(HmacSha256, MatchesRfc4231TestCase6WithKeyLongerThanBlock) {
  EXPECT_EQ(hex_encode(hmac_sha256(std::string(131, '\xaa'),
                                   "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HmacSha256, MatchesRfc4231TestCase7) {
  EXPECT_EQ(hex_encode(hmac_sha256(
                std::string(131, '\xaa'),
                "This is a test using a larger than block-size key and a larger than block-size "
                "data. The key needs to be hashed before being used by the HMAC algorithm.")),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST(HmacSha256, AcceptsAnEmptyKey) {
  EXPECT_EQ(hex_encode(hmac_sha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(HmacSha256, TakesEachCallsKeyOnTheSameThread) {
  const std::string empty = "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad";
  const std::string case1 = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7";
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(hex_encode(hmac_sha256(std::string(20, '\x0b'), "Hi There")), case1);
    EXPECT_EQ(hex_encode(hmac_sha256("", "")), empty);  // not the previous call's key
    EXPECT_EQ(hex_encode(hmac_sha256(std::string(131, '\xaa'),
                                     "Test Using Larger Than Block-Size Key - Hash Key First")),
              "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    EXPECT_EQ(hex_encode(hmac_sha256("", "")), empty);
  }
}

TEST(Sha256, GivesTheSameBytesFromManyThreadsAtOnce) {
  constexpr int kThreads = 8;
  constexpr int kRounds = 2000;
  const std::string abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  const std::string empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  const std::string two_blocks = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
  const std::string long_input(100000, 'x');
  const Digest long_digest = sha256(long_input);  // single-threaded
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRounds; ++i) {
        const bool ok =
            sha256_hex("abc") == abc && sha256_hex("") == empty &&
            sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") == two_blocks &&
            (i % 100 != 0 || sha256(long_input) == long_digest);
        if (!ok) ++failures[t];
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
}

TEST(HmacSha256, GivesTheSameBytesFromManyThreadsAtOnce) {
  constexpr int kThreads = 8;
  constexpr int kRounds = 2000;
  const std::string case1 = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7";
  const std::string case2 = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
  const std::string empty = "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad";
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRounds; ++i) {
        // Keys change from call to call on each thread.
        const bool ok = hex_encode(hmac_sha256(std::string(20, '\x0b'), "Hi There")) == case1 &&
                        hex_encode(hmac_sha256("Jefe", "what do ya want for nothing?")) == case2 &&
                        hex_encode(hmac_sha256("", "")) == empty;
        if (!ok) ++failures[t];
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
}

TEST(ConstantTimeEqual, ComparesContent) {
  EXPECT_TRUE(constant_time_equal("secret-token", "secret-token"));
  EXPECT_FALSE(constant_time_equal("secret-token", "secret-tokeN"));
  EXPECT_FALSE(constant_time_equal("Secret-token", "secret-token"));
  EXPECT_TRUE(constant_time_equal("", ""));
}

TEST(ConstantTimeEqual, RefusesDifferentLengths) {
  EXPECT_FALSE(constant_time_equal("secret", "secret-token"));
  EXPECT_FALSE(constant_time_equal("secret-token", "secret"));
  EXPECT_FALSE(constant_time_equal("", "x"));
  EXPECT_FALSE(constant_time_equal("x", ""));
}

TEST(ConstantTimeEqual, ComparesDigests) {
  const Digest a = sha256("token-a");
  Digest b = a;
  EXPECT_TRUE(constant_time_equal(a, b));
  b[31] ^= 0x01;
  EXPECT_FALSE(constant_time_equal(a, b));
}

}  // namespace
}  // namespace ikv::crypto
