// Instants (UTC microseconds since the Unix epoch) as RFC 3339 text, the form
// in which every recorded time leaves the read models: always UTC, always six
// fractional digits ("2024-04-17T09:30:00.123456Z"). Standard library only.
//
// Thread-safety: pure functions; safe from any thread.
//
//   format_instant(1713346200123456)            // "2024-04-17T09:30:00.123456Z"
//   parse_instant("2024-04-17T12:30:00+03:00")  // 1713346200000000
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ikv::projections {

// "YYYY-MM-DDTHH:MM:SS.ffffffZ". Instants before the epoch are formatted too.
// REQUIRES: the instant lies in the years 0001..9999.
std::string format_instant(std::int64_t unix_us);

// Parses an RFC 3339 date-time: "YYYY-MM-DDTHH:MM:SS", an optional fraction of
// 1..9 digits (truncated to microseconds), then "Z" or "+HH:MM" / "-HH:MM".
// 't' and 'z' may be lower case. Returns nullopt for any other shape, for dates
// or times that do not exist (2024-02-30, 24:00:00, leap second 60), and for
// years outside 0001..9999.
std::optional<std::int64_t> parse_instant(std::string_view text);

}  // namespace ikv::projections
