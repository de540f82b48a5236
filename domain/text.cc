#include "domain/text.h"

#include <algorithm>

namespace ikv::domain {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string to_lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string normalize_email(std::string_view email) { return to_lower_ascii(trim(email)); }

std::string fold_term(std::string_view text) {
  std::string out = to_lower_ascii(trim(text));
  for (std::size_t i = 0; i + 1 < out.size(); ++i) {
    const auto lead = static_cast<unsigned char>(out[i]);
    const auto next = static_cast<unsigned char>(out[i + 1]);
    // UTF-8 of U+00C0..U+00DE is C3 80..C3 9E; its small letter is 0x20 above.
    if (lead == 0xC3 && next >= 0x80 && next <= 0x9E && next != 0x97) {
      out[i + 1] = static_cast<char>(next + 0x20);
      ++i;
    }
  }
  return out;
}

bool looks_like_email(std::string_view email) {
  email = trim(email);
  if (email.size() < 3 || email.size() > 254) return false;
  for (const char c : email) {
    if (is_space(c) || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  const std::size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 ||
      email.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view domain = email.substr(at + 1);
  const std::size_t dot = domain.find('.');
  return dot != std::string_view::npos && domain.front() != '.' && domain.back() != '.' &&
         domain.find("..") == std::string_view::npos;
}

bool is_network_id(std::string_view id) {
  if (id.size() < 2 || id.size() > 64 || id.front() == '-' || id.back() == '-') return false;
  return std::ranges::all_of(id, [](char c) { return is_lower(c) || is_digit(c) || c == '-'; });
}

bool is_taxonomy_code(std::string_view code) {
  if (code.size() < 2 || code.size() > 64 || !is_lower(code.front()) || code.back() == '_') {
    return false;
  }
  return std::ranges::all_of(code, [](char c) { return is_lower(c) || is_digit(c) || c == '_'; });
}

bool is_blank(std::string_view text) { return trim(text).empty(); }

}  // namespace ikv::domain
