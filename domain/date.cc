#include "domain/date.h"

namespace ikv::domain {

namespace {

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// Value of `n` ASCII digits at the start of `text`, or -1 if any is not a digit.
int digits(std::string_view text, std::size_t n) {
  int value = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

void append_padded(std::string& out, int value, int width) {
  std::string digits_text = std::to_string(value);
  for (int i = static_cast<int>(digits_text.size()); i < width; ++i) out.push_back('0');
  out += digits_text;
}

}  // namespace

bool is_valid_month(int month) { return month >= 1 && month <= 12; }

int days_in_month(int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap(year)) return 29;
  return kDays[month - 1];
}

bool is_valid(const Date& date) {
  if (date.year < 1 || date.year > 9999 || !is_valid_month(date.month)) return false;
  switch (date.precision) {
    case DatePrecision::kDay:
      return date.day >= 1 && date.day <= days_in_month(date.year, date.month);
    case DatePrecision::kMonth:
      return date.day == 1;
  }
  return false;
}

std::optional<Date> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const Date date{digits(text.substr(0, 4), 4), digits(text.substr(5, 2), 2),
                  digits(text.substr(8, 2), 2)};
  if (!is_valid(date)) return std::nullopt;
  return date;
}

std::optional<Date> parse_effective_date(std::string_view text) {
  if (text.size() != 7) return parse_date(text);
  if (text[4] != '-') return std::nullopt;
  const Date date = month_date(digits(text.substr(0, 4), 4), digits(text.substr(5, 2), 2));
  if (!is_valid(date)) return std::nullopt;
  return date;
}

std::string to_string(const Date& date) {
  std::string out;
  out.reserve(10);
  append_padded(out, date.year, 4);
  out.push_back('-');
  append_padded(out, date.month, 2);
  if (date.precision == DatePrecision::kMonth) return out;
  out.push_back('-');
  append_padded(out, date.day, 2);
  return out;
}

Date first_day(const Date& date) { return Date{date.year, date.month, date.day}; }

Date last_day(const Date& date) {
  if (date.precision == DatePrecision::kDay) return date;
  return Date{date.year, date.month, days_in_month(date.year, date.month)};
}

bool surely_before(const Date& a, const Date& b) { return last_day(a) < first_day(b); }

// Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms": eras of 400
// years (146097 days) starting on 0000-03-01, so that the leap day ends a year.
std::int64_t days_from_civil(const Date& date) {
  const std::int64_t y = static_cast<std::int64_t>(date.year) - (date.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;                          // [0, 399]
  const std::int64_t mp = (date.month + 9) % 12;                   // March = 0
  const std::int64_t doy = (153 * mp + 2) / 5 + date.day - 1;      // [0, 365]
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
  return era * 146097 + doe - 719468;
}

Date civil_from_days(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;                                       // [0, 146096]
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const std::int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
  const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;                           // [1, 31]
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;                            // [1, 12]
  const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return Date{static_cast<int>(year), static_cast<int>(month), static_cast<int>(day)};
}

Date add_days(const Date& date, std::int64_t days) {
  return civil_from_days(days_from_civil(date) + days);
}

}  // namespace ikv::domain
