// UTF-8 checks for text that came from a client and goes back out in JSON
// (problem details, log lines): Boost.JSON serializes strings byte for byte,
// so invalid UTF-8 must be replaced before it reaches a document.
//
// Thread-safety: pure functions.
//
//   body["detail"] = scrub_utf8(detail);   // "curso\x92" -> "curso\uFFFD"
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ikv::server {

// Length of the valid UTF-8 sequence starting at s[i] (1 for ASCII), or 0
// when the bytes there are not a well-formed, shortest-form scalar value.
// REQUIRES: i < s.size().
std::size_t utf8_length(std::string_view s, std::size_t i);

// `s` with every byte that does not start a valid sequence replaced by U+FFFD.
std::string scrub_utf8(std::string_view s);

}  // namespace ikv::server
