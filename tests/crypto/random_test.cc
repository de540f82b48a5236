// Random bytes, UUIDs and tokens: shape and (statistically certain) uniqueness.
#include "crypto/random.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "crypto/encoding.h"

namespace ikv::crypto {
namespace {

TEST(RandomBytes, GivesTheLengthAskedFor) {
  EXPECT_EQ(random_bytes(0).size(), 0u);
  EXPECT_EQ(random_bytes(1).size(), 1u);
  EXPECT_EQ(random_bytes(4096).size(), 4096u);
}

TEST(RandomBytes, DiffersFromCallToCall) {
  EXPECT_NE(random_bytes(32), random_bytes(32));
  EXPECT_NE(random_bytes(32), std::string(32, '\0'));
}

TEST(UuidV4, HasVersionAndVariant) {
  for (int i = 0; i < 100; ++i) {
    const std::string id = uuid_v4();
    ASSERT_EQ(id.size(), 36u);
    EXPECT_EQ(id[8], '-');
    EXPECT_EQ(id[13], '-');
    EXPECT_EQ(id[18], '-');
    EXPECT_EQ(id[23], '-');
    EXPECT_EQ(id[14], '4');
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
    std::string digits = id;
    std::erase(digits, '-');
    EXPECT_TRUE(hex_decode(digits).has_value());
    EXPECT_EQ(digits.find_first_of("ABCDEF"), std::string::npos);
  }
}

TEST(UuidV4, IsUnique) {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.insert(uuid_v4());
  EXPECT_EQ(ids.size(), 1000u);
}

TEST(RandomToken, CarriesPrefixAndTwoHundredFiftySixBits) {
  const std::string token = random_token();
  ASSERT_EQ(token.size(), 4u + 43u);
  EXPECT_EQ(token.substr(0, 4), "ikv_");
  const auto secret = base64url_decode(token.substr(4));
  ASSERT_TRUE(secret.has_value());
  EXPECT_EQ(secret->size(), kTokenRandomBytes);
}

TEST(RandomToken, UsesTheGivenPrefix) {
  const std::string token = random_token("ikvadm");
  EXPECT_EQ(token.rfind("ikvadm_", 0), 0u);
  EXPECT_EQ(token.size(), 7u + 43u);
}

TEST(RandomToken, IsUnique) {
  std::set<std::string> tokens;
  for (int i = 0; i < 1000; ++i) tokens.insert(random_token());
  EXPECT_EQ(tokens.size(), 1000u);
}

}  // namespace
}  // namespace ikv::crypto
