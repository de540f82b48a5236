#include "projections/paging.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "domain/date.h"

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

// The text of a day and position as sort_key() writes it.
std::string text_of(std::int32_t day, std::uint64_t position) {
  std::string digits = std::to_string(position);
  return sort_key({domain::to_string(domain::civil_from_days(day)),
                   std::string(20 - digits.size(), '0') + digits});
}

// DayPosition keys sort, and compare with text, exactly as the sort-key text
// they stand for ("<YYYY-MM-DD>\0<20-digit position>"), so cursors made from
// either form resume at the same place.
TEST(DayPositionKey, OrdersAsItsTextAndComparesWithText) {
  std::mt19937_64 rng(20261207);
  std::vector<DayPosition> keys;
  for (int i = 0; i < 2000; ++i) {
    const domain::Date d{static_cast<int>(1000 + rng() % 9000), static_cast<int>(1 + rng() % 12),
                         static_cast<int>(1 + rng() % 28)};
    auto day = static_cast<std::int32_t>(domain::days_from_civil(d));
    if (i % 3 == 0 && !keys.empty()) day = keys.back().day;  // equal days occur
    const std::uint64_t position = rng() % 4 == 0 ? rng() % 100'000'000'000'000ULL : rng() % 50;
    keys.push_back({day, position});
  }
  for (const DayPosition& k : keys) EXPECT_EQ(k.text(), text_of(k.day, k.position));
  const DayPositionLess less;
  for (std::size_t i = 0; i + 1 < keys.size(); ++i) {
    const DayPosition& a = keys[i];
    const DayPosition& b = keys[i + 1];
    const std::string ta = a.text();
    const std::string tb = b.text();
    EXPECT_EQ(less(a, b), ta < tb) << i;
    EXPECT_EQ(less(a, tb), ta < tb) << i;
    EXPECT_EQ(less(ta, b), ta < tb) << i;
    // Date bounds ("<date>", and "<date>\x01" as end_through() makes) fall
    // before and after every key of that date.
    const std::string date = ta.substr(0, 10);
    EXPECT_TRUE(less(date, a));
    EXPECT_TRUE(less(a, date + '\x01'));
  }
  // An index of them seeks like an index of their text.
  std::map<DayPosition, int, DayPositionLess> index;
  std::set<std::string> text_index;
  for (const DayPosition& k : keys) {
    index.emplace(k, 0);
    text_index.insert(k.text());
  }
  ASSERT_EQ(index.size(), text_index.size());
  auto t = text_index.begin();
  for (const auto& entry : index) EXPECT_EQ(entry.first.text(), *t++);
  for (int i = 0; i < 500; ++i) {
    const std::string& some =
        *std::next(text_index.begin(), static_cast<long>(rng() % text_index.size()));
    const std::string probe = some.substr(0, 10 + rng() % 22);  // a date, or a cut key
    const auto a = index.upper_bound(probe);
    const auto b = text_index.upper_bound(probe);
    ASSERT_EQ(a == index.end(), b == text_index.end()) << i;
    if (b != text_index.end()) {
      EXPECT_EQ(a->first.text(), *b) << i;
    }
  }
}

}  // namespace
}  // namespace ikv::projections
