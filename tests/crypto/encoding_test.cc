// Hex, base64 and base64url: RFC 4648 test vectors, round trips, bad input.
#include "crypto/encoding.h"

#include <array>
#include <string>

#include <gtest/gtest.h>

namespace ikv::crypto {
namespace {

std::string all_bytes() {
  std::string s;
  for (int i = 0; i < 256; ++i) s += static_cast<char>(i);
  return s;
}

TEST(Hex, EncodesLowerCase) {
  EXPECT_EQ(hex_encode(std::string("\x00\x01\xab\xff", 4)), "0001abff");
  EXPECT_EQ(hex_encode(std::string()), "");
  const std::array<std::uint8_t, 2> bytes{0xde, 0xad};
  EXPECT_EQ(hex_encode(bytes), "dead");
}

TEST(Hex, RoundTripsEveryByte) { EXPECT_EQ(hex_decode(hex_encode(all_bytes())), all_bytes()); }

TEST(Hex, DecodesUpperCase) { EXPECT_EQ(hex_decode("ABff"), std::string("\xab\xff")); }

TEST(Hex, RejectsBadInput) {
  EXPECT_FALSE(hex_decode("abc"));
  EXPECT_FALSE(hex_decode("zz"));
  EXPECT_FALSE(hex_decode("0g"));
  EXPECT_FALSE(hex_decode(" 00"));
  EXPECT_FALSE(hex_decode(std::string("0\0", 2)));
}

TEST(Base64, MatchesRfc4648Vectors) {
  EXPECT_EQ(base64_encode(std::string_view("")), "");
  EXPECT_EQ(base64_encode(std::string_view("f")), "Zg==");
  EXPECT_EQ(base64_encode(std::string_view("fo")), "Zm8=");
  EXPECT_EQ(base64_encode(std::string_view("foo")), "Zm9v");
  EXPECT_EQ(base64_encode(std::string_view("foob")), "Zm9vYg==");
  EXPECT_EQ(base64_encode(std::string_view("fooba")), "Zm9vYmE=");
  EXPECT_EQ(base64_encode(std::string_view("foobar")), "Zm9vYmFy");
  EXPECT_EQ(base64_decode("Zm9vYmE="), "fooba");
  EXPECT_EQ(base64_decode(""), "");
}

TEST(Base64, RoundTripsEveryLength) {
  const std::string bytes = all_bytes();
  for (std::size_t n = 0; n <= bytes.size(); n += 7) {
    const std::string part = bytes.substr(0, n);
    EXPECT_EQ(base64_decode(base64_encode(part)), part) << n;
  }
}

TEST(Base64, UsesPlusAndSlash) {
  EXPECT_EQ(base64_encode(std::string_view("\xfb\xff", 2)), "+/8=");
}

TEST(Base64, RejectsBadInput) {
  EXPECT_FALSE(base64_decode("Zg"));      // padding missing
  EXPECT_FALSE(base64_decode("Zg="));     // padding short
  EXPECT_FALSE(base64_decode("Zg==="));   // padding long
  EXPECT_FALSE(base64_decode("Zm9v=="));  // padding where none belongs
  EXPECT_FALSE(base64_decode("Zh=="));    // non-zero unused bits
  EXPECT_FALSE(base64_decode("Zm9v\n"));  // whitespace
  EXPECT_FALSE(base64_decode("Zm-v"));    // base64url character
  EXPECT_FALSE(base64_decode("Z=9v"));    // padding inside
  EXPECT_FALSE(base64_decode("===="));
  EXPECT_FALSE(base64_decode("A"));
}

TEST(Base64Url, UsesDashAndUnderscoreWithoutPadding) {
  EXPECT_EQ(base64url_encode(std::string_view("\xfb\xff", 2)), "-_8");
  EXPECT_EQ(base64url_encode(std::string_view("f")), "Zg");
  EXPECT_EQ(base64url_decode("-_8"), std::string("\xfb\xff"));
}

TEST(Base64Url, RoundTripsEveryLength) {
  const std::string bytes = all_bytes();
  for (std::size_t n = 0; n <= bytes.size(); ++n) {
    const std::string part = bytes.substr(0, n);
    const std::string text = base64url_encode(part);
    EXPECT_EQ(text.find('='), std::string::npos);
    EXPECT_EQ(base64url_decode(text), part) << n;
  }
}

TEST(Base64Url, ToleratesCorrectPadding) {
  EXPECT_EQ(base64url_decode("Zg=="), "f");
  EXPECT_FALSE(base64url_decode("Zg="));
}

TEST(Base64Url, RejectsBadInput) {
  EXPECT_FALSE(base64url_decode("+/8"));  // standard alphabet
  EXPECT_FALSE(base64url_decode("A"));    // impossible length
  EXPECT_FALSE(base64url_decode("Zh"));   // non-zero unused bits
  EXPECT_FALSE(base64url_decode("Zg Zg"));
  EXPECT_FALSE(base64url_decode(std::string("Zg\0", 3)));
}

}  // namespace
}  // namespace ikv::crypto
