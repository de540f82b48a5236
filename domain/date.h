// Date: a calendar date (proleptic Gregorian), the "effective date" of facts
// such as joined_on, held_on or observed_on. Pure value type; no clocks, no time
// zones.
//
// A date is known to the day ("2024-04-17") or only to the month ("2024-04",
// precision kMonth, day 1). It is kept and printed as written. Its place in
// time is its first day: ordering (<, <=, <=>) compares the first days only,
// so "2024-04" and "2024-04-01" are equivalent in order but not equal (==
// also compares the precision). Lists that sort by date keep their own
// tie-break (an id, the log order) between the two.
//
// Thread-safety: plain values and pure functions; safe from any thread.
//
//   std::optional<Date> d = parse_date("2024-04-17");   // nullopt for 2024-02-30
//   if (d && *d < Date{2024, 5, 1}) { ... }
//   std::string text = to_string(*d);                    // "2024-04-17"
//   std::optional<Date> m = parse_effective_date("2024-04");  // month_date(2024, 4)
//   to_string(*m) == "2024-04"; first_day(*m) == Date{2024, 4, 1}
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ikv::domain {

// How much of a date is known. Values are stored (codec/events.fbs).
enum class DatePrecision : std::uint8_t { kDay = 0, kMonth = 1 };

struct Date {
  int year = 1970;
  int month = 1;
  int day = 1;  // 1 when precision is kMonth
  DatePrecision precision = DatePrecision::kDay;

  // The same date written the same way.
  bool operator==(const Date&) const = default;
  // Chronological order of the first days (year, then month, then day): a
  // month date is equivalent to its first day.
  std::weak_ordering operator<=>(const Date& other) const {
    if (auto c = year <=> other.year; c != 0) return c;
    if (auto c = month <=> other.month; c != 0) return c;
    return day <=> other.day;
  }
};

// The month `month` of `year`, known to the month only.
constexpr Date month_date(int year, int month) {
  return Date{year, month, 1, DatePrecision::kMonth};
}

// True for 1..12.
bool is_valid_month(int month);
// Days in `month` of `year`. REQUIRES: is_valid_month(month).
int days_in_month(int year, int month);
// True when the date exists in the calendar and year is in 1..9999 (a month
// date: a real month, day 1).
bool is_valid(const Date& date);

// Parses exactly "YYYY-MM-DD" (ten characters, ASCII digits) into a real date.
// Returns nullopt for any other shape or for dates that do not exist
// (2024-02-30, 2023-02-29, 2024-13-01, 0000-01-01). Used where only a day
// will do (query filters, instants).
std::optional<Date> parse_date(std::string_view text);

// Parses an effective date as a command or an event writes it: "YYYY-MM-DD"
// (as parse_date) or "YYYY-MM" (seven characters, a real month: precision
// kMonth). Nullopt for anything else ("2024-13", "2024-4", "2024-04-", "2024").
std::optional<Date> parse_effective_date(std::string_view text);

// As written: "YYYY-MM-DD", or "YYYY-MM" for a month date. REQUIRES: is_valid(date).
std::string to_string(const Date& date);

// The first and the last day the date may be (both the date itself when it is
// known to the day); precision kDay.
Date first_day(const Date& date);
Date last_day(const Date& date);
// True when every day `a` may be comes before every day `b` may be
// (last_day(a) < first_day(b)): "2024-03" is surely before "2024-04-20",
// "2024-04" is not surely before "2024-04-20", nor after it.
bool surely_before(const Date& a, const Date& b);

// Days since 1970-01-01 (negative before it) of the date's first day, Howard
// Hinnant's days_from_civil.
std::int64_t days_from_civil(const Date& date);
// The inverse of days_from_civil (precision kDay).
Date civil_from_days(std::int64_t days);
// The day `days` days after the date's first day (before it when negative).
Date add_days(const Date& date, std::int64_t days);

}  // namespace ikv::domain
