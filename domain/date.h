// Date: a calendar date (proleptic Gregorian), the "effective date" of facts
// such as joined_on, held_on or observed_on. Pure value type; no clocks, no time
// zones.
//
// Thread-safety: plain values and pure functions; safe from any thread.
//
//   std::optional<Date> d = parse_date("2024-04-17");   // nullopt for 2024-02-30
//   if (d && *d < Date{2024, 5, 1}) { ... }
//   std::string text = to_string(*d);                    // "2024-04-17"
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ikv::domain {

struct Date {
  int year = 1970;
  int month = 1;
  int day = 1;

  // Chronological order (year, then month, then day).
  auto operator<=>(const Date&) const = default;
};

// True for 1..12.
bool is_valid_month(int month);
// Days in `month` of `year`. REQUIRES: is_valid_month(month).
int days_in_month(int year, int month);
// True when the date exists in the calendar and year is in 1..9999.
bool is_valid(const Date& date);

// Parses exactly "YYYY-MM-DD" (ten characters, ASCII digits) into a real date.
// Returns nullopt for any other shape or for dates that do not exist
// (2024-02-30, 2023-02-29, 2024-13-01, 0000-01-01).
std::optional<Date> parse_date(std::string_view text);

// "YYYY-MM-DD". REQUIRES: is_valid(date).
std::string to_string(const Date& date);

// Days since 1970-01-01 (negative before it), Howard Hinnant's days_from_civil.
std::int64_t days_from_civil(const Date& date);
// The inverse of days_from_civil.
Date civil_from_days(std::int64_t days);
// The date `days` days after `date` (before it when negative).
Date add_days(const Date& date, std::int64_t days);

}  // namespace ikv::domain
