#include "projections/paging.h"

#include "domain/date.h"

namespace ikv::projections {

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view kCursorMagic = "ikv1:";

int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

std::string cursor_prefix(std::string_view list) {
  std::string p(kCursorMagic);
  p += list;
  p += ':';
  return p;
}

}  // namespace

Error invalid_parameter(std::string_view parameter, std::string_view reason) {
  std::string message(parameter);
  message += ": ";
  message += reason;
  return Error{ErrorCode::kInvalidArgument, std::move(message), std::nullopt};
}

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (rest == 2) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned acc = 0;
  int bits = 0;
  for (char c : text) {
    const int s = sextet(c);
    if (s < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned>(s);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  // Leftover bits must be zero, so that every text has one decoding only.
  if ((acc & ((1U << bits) - 1)) != 0) return std::nullopt;
  return out;
}

std::string sort_key(std::initializer_list<std::string_view> parts) {
  std::string key;
  bool first = true;
  for (std::string_view p : parts) {
    if (!first) key += '\0';
    key += p;
    first = false;
  }
  return key;
}

namespace {

// Writes `value` as `width` decimal digits, zero-padded, at `out`.
void put_digits(char* out, std::uint64_t value, std::size_t width) {
  for (std::size_t i = width; i-- > 0; value /= 10) out[i] = static_cast<char>('0' + value % 10);
}

// The text of a DayPosition, written into `out` (31 bytes); returns its length.
std::size_t write_day_position(const DayPosition& k, char* out) {
  write_day_head(k.day, out);
  put_digits(out + kDayHeadSize, k.position, 20);
  return kDayHeadSize + 20;
}

}  // namespace

void write_day_head(std::int32_t day, char* out) {
  const domain::Date d = domain::civil_from_days(day);
  put_digits(out, static_cast<std::uint64_t>(d.year), 4);
  out[4] = '-';
  put_digits(out + 5, static_cast<std::uint64_t>(d.month), 2);
  out[7] = '-';
  put_digits(out + 8, static_cast<std::uint64_t>(d.day), 2);
  out[10] = '\0';
}

std::string DayPosition::text() const {
  char buf[31];
  return {buf, write_day_position(*this, buf)};
}

bool DayPositionLess::operator()(const DayPosition& a, std::string_view b) const {
  char buf[31];
  return std::string_view(buf, write_day_position(a, buf)) < b;
}

bool DayPositionLess::operator()(std::string_view a, const DayPosition& b) const {
  char buf[31];
  return a < std::string_view(buf, write_day_position(b, buf));
}

std::string encode_cursor(std::string_view list, std::string_view key) {
  std::string plain = cursor_prefix(list);
  plain += key;
  return base64url_encode(plain);
}

Result<Page> validate_page(const PageRequest& request, std::string_view list) {
  if (request.limit < 1 || request.limit > kMaxPageLimit) {
    return invalid_parameter("limit", "must be between 1 and " + std::to_string(kMaxPageLimit));
  }
  Page page;
  page.limit = request.limit;
  if (request.cursor) {
    const std::optional<std::string> plain = base64url_decode(*request.cursor);
    const std::string prefix = cursor_prefix(list);
    if (!plain || plain->size() <= prefix.size() || plain->compare(0, prefix.size(), prefix) != 0) {
      return invalid_parameter("cursor", "not a cursor of this list");
    }
    page.after = plain->substr(prefix.size());
  }
  return page;
}

}  // namespace ikv::projections
