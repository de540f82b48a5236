#include "projections/instant.h"

#include "domain/date.h"

namespace ikv::projections {

namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kSecondsPerDay = 86'400;
constexpr std::int64_t kMicrosPerDay = kSecondsPerDay * kMicrosPerSecond;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

void put_digits(std::string& out, std::int64_t value, int width) {
  std::string digits(static_cast<std::size_t>(width), '0');
  for (int i = width - 1; i >= 0 && value > 0; --i) {
    digits[static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out += digits;
}

// Reads exactly `n` ASCII digits at text[pos...]; advances pos.
std::optional<int> digits(std::string_view text, std::size_t& pos, std::size_t n) {
  if (pos + n > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += n;
  return value;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

std::string format_instant(std::int64_t unix_us) {
  const std::int64_t days = floor_div(unix_us, kMicrosPerDay);
  const std::int64_t in_day = unix_us - days * kMicrosPerDay;
  const domain::Date date = domain::civil_from_days(days);
  const std::int64_t seconds = in_day / kMicrosPerSecond;
  const std::int64_t micros = in_day % kMicrosPerSecond;

  std::string out;
  out.reserve(27);
  put_digits(out, date.year, 4);
  out += '-';
  put_digits(out, date.month, 2);
  out += '-';
  put_digits(out, date.day, 2);
  out += 'T';
  put_digits(out, seconds / 3600, 2);
  out += ':';
  put_digits(out, seconds / 60 % 60, 2);
  out += ':';
  put_digits(out, seconds % 60, 2);
  out += '.';
  put_digits(out, micros, 6);
  out += 'Z';
  return out;
}

std::optional<std::int64_t> parse_instant(std::string_view text) {
  if (text.size() < 20) return std::nullopt;
  const std::optional<domain::Date> date = domain::parse_date(text.substr(0, 10));
  if (!date) return std::nullopt;
  std::size_t pos = 10;
  if (text[pos] != 'T' && text[pos] != 't') return std::nullopt;
  ++pos;
  const auto hour = digits(text, pos, 2);
  if (!hour || !expect(text, pos, ':')) return std::nullopt;
  const auto minute = digits(text, pos, 2);
  if (!minute || !expect(text, pos, ':')) return std::nullopt;
  const auto second = digits(text, pos, 2);
  if (!second || *hour > 23 || *minute > 59 || *second > 59) return std::nullopt;

  std::int64_t micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t n = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (n < 6) micros = micros * 10 + (text[pos] - '0');
      ++n;
      ++pos;
    }
    if (n == 0 || n > 9) return std::nullopt;
    for (std::size_t i = n; i < 6; ++i) micros *= 10;
  }

  std::int64_t offset_seconds = 0;
  if (pos >= text.size()) return std::nullopt;
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    const int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    const auto off_h = digits(text, pos, 2);
    if (!off_h || !expect(text, pos, ':')) return std::nullopt;
    const auto off_m = digits(text, pos, 2);
    if (!off_m || *off_h > 23 || *off_m > 59) return std::nullopt;
    offset_seconds = sign * (std::int64_t{*off_h} * 3600 + std::int64_t{*off_m} * 60);
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;

  const std::int64_t local_seconds = domain::days_from_civil(*date) * kSecondsPerDay +
                                     std::int64_t{*hour} * 3600 + std::int64_t{*minute} * 60 +
                                     *second;
  const std::int64_t utc_seconds = local_seconds - offset_seconds;
  const std::int64_t result = utc_seconds * kMicrosPerSecond + micros;
  // The UTC instant must itself be formattable (years 0001..9999).
  const domain::Date utc_date = domain::civil_from_days(floor_div(result, kMicrosPerDay));
  if (utc_date.year < 1 || utc_date.year > 9999) return std::nullopt;
  return result;
}

}  // namespace ikv::projections
