#include "tests/tools/xml_check.h"

namespace ikv::tests {

namespace {

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == ':' || c == '.';
}

bool space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// Length of the reference at xml[i] == '&' (through ';'), or 0 when invalid.
std::size_t reference_length(std::string_view xml, std::size_t i) {
  const std::size_t end = xml.find(';', i);
  if (end == std::string_view::npos || end - i > 10) return 0;
  const std::string_view body = xml.substr(i + 1, end - i - 1);
  if (body == "amp" || body == "lt" || body == "gt" || body == "quot" || body == "apos") {
    return end - i + 1;
  }
  if (body.size() >= 2 && body[0] == '#') {
    const bool hex = body[1] == 'x';
    const std::string_view digits = body.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    for (char c : digits) {
      const bool ok =
          (c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
      if (!ok) return 0;
    }
    return end - i + 1;
  }
  return 0;
}

std::string at(std::size_t i, const std::string& what) {
  return what + " at offset " + std::to_string(i);
}

}  // namespace

std::string check_xml(std::string_view xml) {
  std::vector<std::string> open;
  std::size_t roots = 0;
  std::size_t i = 0;
  while (i < xml.size()) {
    const char c = xml[i];
    if (c == '&') {
      const std::size_t n = reference_length(xml, i);
      if (n == 0) return at(i, "bad character reference");
      if (open.empty()) return at(i, "text outside the root");
      i += n;
      continue;
    }
    if (c != '<') {
      if (open.empty() && !space(c)) return at(i, "text outside the root");
      ++i;
      continue;
    }
    if (xml.substr(i, 4) == "<!--") {
      const std::size_t end = xml.find("-->", i + 4);
      if (end == std::string_view::npos) return at(i, "unclosed comment");
      i = end + 3;
      continue;
    }
    const bool closing = i + 1 < xml.size() && xml[i + 1] == '/';
    std::size_t j = i + (closing ? 2 : 1);
    const std::size_t name_start = j;
    while (j < xml.size() && name_char(xml[j])) ++j;
    const std::string name(xml.substr(name_start, j - name_start));
    if (name.empty()) return at(i, "'<' not starting a tag");
    if (closing) {
      while (j < xml.size() && space(xml[j])) ++j;
      if (j >= xml.size() || xml[j] != '>') return at(j, "bad end tag");
      if (open.empty() || open.back() != name) return at(i, "end tag </" + name + "> not matching");
      open.pop_back();
      i = j + 1;
      continue;
    }
    if (open.empty() && ++roots > 1) return at(i, "more than one root element");
    for (;;) {
      const std::size_t before = j;
      while (j < xml.size() && space(xml[j])) ++j;
      if (j >= xml.size()) return at(i, "unclosed start tag <" + name + ">");
      if (xml[j] == '>') {
        open.push_back(name);
        i = j + 1;
        break;
      }
      if (xml.substr(j, 2) == "/>") {
        i = j + 2;
        break;
      }
      if (j == before) return at(j, "attributes not separated by space");
      const std::size_t attr_start = j;
      while (j < xml.size() && name_char(xml[j])) ++j;
      if (j == attr_start || j >= xml.size() || xml[j] != '=') return at(j, "bad attribute");
      ++j;
      if (j >= xml.size() || (xml[j] != '"' && xml[j] != '\'')) return at(j, "unquoted attribute");
      const char quote = xml[j++];
      while (j < xml.size() && xml[j] != quote) {
        if (xml[j] == '<') return at(j, "'<' in an attribute value");
        if (xml[j] == '&') {
          const std::size_t n = reference_length(xml, j);
          if (n == 0) return at(j, "bad character reference in an attribute");
          j += n;
        } else {
          ++j;
        }
      }
      if (j >= xml.size()) return at(attr_start, "unterminated attribute value");
      ++j;
    }
  }
  if (!open.empty()) return "unclosed element <" + open.back() + ">";
  if (roots == 0) return "no root element";
  return "";
}

std::vector<std::string> svgs_of(std::string_view page) {
  std::vector<std::string> out;
  std::size_t from = 0;
  for (;;) {
    const std::size_t start = page.find("<svg", from);
    if (start == std::string_view::npos) return out;
    const std::size_t end = page.find("</svg>", start);
    if (end == std::string_view::npos) {
      out.emplace_back(page.substr(start));
      return out;
    }
    out.emplace_back(page.substr(start, end + 6 - start));
    from = end + 6;
  }
}

std::size_t count_of(std::string_view text, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

}  // namespace ikv::tests
