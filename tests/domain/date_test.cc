#include "domain/date.h"

#include <gtest/gtest.h>

namespace ikv::domain {
namespace {

TEST(Date, ParsesARealDate) {
  const std::optional<Date> d = parse_date("2024-04-17");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, (Date{2024, 4, 17}));
  EXPECT_EQ(parse_date("2024-02-29"), (Date{2024, 2, 29}));
  EXPECT_EQ(parse_date("2000-02-29"), (Date{2000, 2, 29}));
}

TEST(Date, RejectsDatesThatDoNotExist) {
  for (const char* text : {"2024-02-30", "2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10",
                           "2024-04-31", "2024-01-00", "0000-01-01"}) {
    EXPECT_FALSE(parse_date(text).has_value()) << text;
  }
}

TEST(Date, RejectsOtherShapes) {
  for (const char* text : {"", "2024-4-17", "2024-04-17T00:00", " 2024-04-17", "2024/04/17",
                           "+024-04-17", "20240417", "2024-04-1a", "2024-04--1"}) {
    EXPECT_FALSE(parse_date(text).has_value()) << text;
  }
}

TEST(Date, FormatsWithPadding) {
  EXPECT_EQ(to_string(Date{987, 3, 5}), "0987-03-05");
  EXPECT_EQ(to_string(Date{2024, 12, 31}), "2024-12-31");
}

TEST(Date, ComparesChronologically) {
  EXPECT_LT((Date{2023, 12, 31}), (Date{2024, 1, 1}));
  EXPECT_LT((Date{2024, 1, 31}), (Date{2024, 2, 1}));
  EXPECT_GT((Date{2024, 2, 2}), (Date{2024, 2, 1}));
}

TEST(Date, CountsDaysFromTheEpoch) {
  EXPECT_EQ(days_from_civil({1970, 1, 1}), 0);
  EXPECT_EQ(days_from_civil({1969, 12, 31}), -1);
  EXPECT_EQ(days_from_civil({2000, 3, 1}), 11017);
  EXPECT_EQ(days_from_civil({2024, 1, 1}), 19723);
  EXPECT_EQ(days_from_civil({1, 1, 1}), -719162);
}

TEST(Date, CivilFromDaysInvertsDaysFromCivil) {
  Date expected{1599, 1, 1};
  for (std::int64_t day = days_from_civil(expected); expected.year < 2401; ++day) {
    ASSERT_EQ(civil_from_days(day), expected) << day;
    ASSERT_EQ(days_from_civil(expected), day);
    expected.day += 1;
    if (expected.day > days_in_month(expected.year, expected.month)) {
      expected.day = 1;
      if (++expected.month > 12) {
        expected.month = 1;
        ++expected.year;
      }
    }
  }
}

TEST(Date, AddsDays) {
  EXPECT_EQ(add_days({2024, 2, 28}, 1), (Date{2024, 2, 29}));
  EXPECT_EQ(add_days({2024, 3, 1}, -1), (Date{2024, 2, 29}));
  EXPECT_EQ(add_days({2023, 12, 31}, 1), (Date{2024, 1, 1}));
}

TEST(Date, ParsesAMonthAsWritten) {
  const std::optional<Date> d = parse_effective_date("2024-04");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, month_date(2024, 4));
  EXPECT_EQ(d->precision, DatePrecision::kMonth);
  EXPECT_EQ(to_string(*d), "2024-04");
  EXPECT_EQ(to_string(month_date(987, 12)), "0987-12");
  // A day is read the same way as by parse_date.
  EXPECT_EQ(parse_effective_date("2024-04-17"), (Date{2024, 4, 17}));
  EXPECT_EQ(to_string(*parse_effective_date("2024-04-17")), "2024-04-17");
}

TEST(Date, RejectsMonthsOfOtherShapes) {
  for (const char* text :
       {"2024-13", "2024-00", "0000-04", "2024-4", "2024-04-", "2024", "2024-4-1", "202404",
        "2024/04", "2024-0a", " 2024-04", "2024-04 ", "2024-02-30", "+024-04", "2024--4"}) {
    EXPECT_FALSE(parse_effective_date(text).has_value()) << text;
  }
  // Query filters and instants take a day only.
  EXPECT_FALSE(parse_date("2024-04").has_value());
}

TEST(Date, AMonthDateIsValidOnlyOnItsFirstDay) {
  EXPECT_TRUE(is_valid(month_date(2024, 2)));
  EXPECT_FALSE(is_valid(Date{2024, 2, 15, DatePrecision::kMonth}));
  EXPECT_FALSE(is_valid(month_date(2024, 13)));
}

TEST(Date, AMonthSortsAsItsFirstDay) {
  const Date april = month_date(2024, 4);
  EXPECT_NE(april, (Date{2024, 4, 1}));  // written differently
  EXPECT_TRUE(april <= (Date{2024, 4, 1}) && april >= (Date{2024, 4, 1}));
  EXPECT_TRUE((april <=> Date{2024, 4, 1}) == 0);
  EXPECT_LT((Date{2024, 3, 31}), april);
  EXPECT_LT(april, (Date{2024, 4, 2}));
  EXPECT_LT(april, month_date(2024, 5));
  EXPECT_EQ(days_from_civil(april), days_from_civil(Date{2024, 4, 1}));
}

TEST(Date, AMonthSpansItsDays) {
  EXPECT_EQ(first_day(month_date(2024, 2)), (Date{2024, 2, 1}));
  EXPECT_EQ(last_day(month_date(2024, 2)), (Date{2024, 2, 29}));
  EXPECT_EQ(last_day(month_date(2023, 2)), (Date{2023, 2, 28}));
  EXPECT_EQ(first_day(Date{2024, 4, 17}), (Date{2024, 4, 17}));
  EXPECT_EQ(last_day(Date{2024, 4, 17}), (Date{2024, 4, 17}));
}

TEST(Date, SurelyBeforeComparesWholeSpans) {
  EXPECT_TRUE(surely_before(month_date(2024, 3), Date{2024, 4, 20}));
  EXPECT_TRUE(surely_before(Date{2024, 3, 31}, month_date(2024, 4)));
  EXPECT_FALSE(surely_before(month_date(2024, 4), Date{2024, 4, 20}));
  EXPECT_FALSE(surely_before(Date{2024, 4, 20}, month_date(2024, 4)));
  EXPECT_FALSE(surely_before(month_date(2024, 4), month_date(2024, 4)));
  EXPECT_TRUE(surely_before(Date{2024, 4, 19}, Date{2024, 4, 20}));
  EXPECT_FALSE(surely_before(Date{2024, 4, 20}, Date{2024, 4, 20}));
}

}  // namespace
}  // namespace ikv::domain
