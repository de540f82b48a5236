#include "projections/paging.h"

#include <gtest/gtest.h>

namespace ikv::projections {
namespace {

TEST(Base64Url, RoundTripsEveryLength) {
  std::string bytes;
  for (int i = 0; i < 40; ++i) {
    const std::string text = base64url_encode(bytes);
    EXPECT_EQ(text.find_first_of("+/="), std::string::npos);
    EXPECT_EQ(base64url_decode(text), bytes);
    bytes += static_cast<char>(i * 37 + 250);
  }
}

TEST(Base64Url, RejectsOtherAlphabetsAndBadLengths) {
  EXPECT_FALSE(base64url_decode("ab+c").has_value());
  EXPECT_FALSE(base64url_decode("ab/c").has_value());
  EXPECT_FALSE(base64url_decode("abc=").has_value());
  EXPECT_FALSE(base64url_decode("abcde").has_value());
  // Trailing bits that are not zero would give a second spelling of "a".
  EXPECT_EQ(base64url_decode("YQ"), "a");
  EXPECT_FALSE(base64url_decode("YR").has_value());
}

TEST(ValidatePage, AcceptsLimitsFromOneToMax) {
  EXPECT_TRUE(validate_page({.limit = 1, .cursor = {}}, "meetings").ok());
  EXPECT_TRUE(validate_page({.limit = kMaxPageLimit, .cursor = {}}, "meetings").ok());
}

TEST(ValidatePage, RejectsLimitsOutOfRange) {
  for (std::size_t limit : {std::size_t{0}, kMaxPageLimit + 1}) {
    auto page = validate_page({.limit = limit, .cursor = {}}, "meetings");
    ASSERT_FALSE(page.ok());
    EXPECT_EQ(page.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(page.error().message.rfind("limit:", 0), 0U);
  }
}

TEST(ValidatePage, DecodesItsOwnCursor) {
  const std::string key = sort_key({"2024-04-17", "m-1"});
  auto page = validate_page({.limit = 10, .cursor = encode_cursor("meetings", key)}, "meetings");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->after, key);
}

TEST(ValidatePage, RejectsGarbageAndCursorsOfOtherLists) {
  for (const std::string& cursor :
       {std::string("!!!"), std::string("abc"), base64url_encode("hello"),
        encode_cursor("members", "x"), base64url_encode("ikv1:meetings:")}) {
    auto page = validate_page({.limit = 10, .cursor = cursor}, "meetings");
    ASSERT_FALSE(page.ok()) << cursor;
    EXPECT_EQ(page.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(page.error().message.rfind("cursor:", 0), 0U);
  }
}

TEST(RenderPage, WalksAllPagesWithoutDuplicatesOrGaps) {
  std::vector<int> values(23);
  for (int i = 0; i < 23; ++i) values[static_cast<std::size_t>(i)] = i;
  const auto rows = [&] {
    std::vector<Keyed<int>> r;
    for (const int& v : values) {
      r.push_back({std::string(1, static_cast<char>('A' + (v * 7) % 23)), &v});  // shuffled keys
    }
    return r;
  };
  std::vector<std::string> seen;
  std::optional<std::string> cursor;
  int pages = 0;
  do {
    auto page = validate_page({.limit = 5, .cursor = cursor}, "letters");
    ASSERT_TRUE(page.ok());
    boost::json::object answer = render_page(rows(), *page, "letters", [](const int& v) {
      return boost::json::value(std::string(1, static_cast<char>('A' + (v * 7) % 23)));
    });
    for (const auto& item : answer.at("items").as_array()) {
      seen.emplace_back(item.as_string());
    }
    const auto& next = answer.at("next_cursor");
    cursor = next.is_null() ? std::nullopt : std::optional<std::string>(next.as_string());
    ++pages;
  } while (cursor && pages < 100);
  EXPECT_EQ(pages, 5);
  ASSERT_EQ(seen.size(), 23U);
  for (std::size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i], std::string(1, static_cast<char>('A' + i)));
  }
}

TEST(RenderPage, LastFullPageHasNoNextCursor) {
  std::vector<int> values = {1, 2};
  std::vector<Keyed<int>> rows = {{"a", &values[0]}, {"b", &values[1]}};
  auto answer = render_page(rows, Page{2, std::nullopt}, "x",
                            [](const int& v) { return boost::json::value(v); });
  EXPECT_EQ(answer.at("items").as_array().size(), 2U);
  EXPECT_TRUE(answer.at("next_cursor").is_null());
}

}  // namespace
}  // namespace ikv::projections
