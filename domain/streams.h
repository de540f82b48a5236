// Stream names of the aggregates. The event store only knows names; the
// category of a stream is the part before its first '-'.
//
// Thread-safety: pure functions; safe from any thread.
//
//   network_stream("oulu")        // "network-oulu"
//   meeting_stream(uuid)          // "meeting-<uuid>"
//   kTaxonomyStream               // "taxonomy"
//   token_stream(id)              // "token-<id>"
//   kNationalStream               // "national": the findings of no single network
#pragma once

#include <string>
#include <string_view>

namespace ikv::domain {

inline constexpr std::string_view kNetworkCategory = "network";
inline constexpr std::string_view kMeetingCategory = "meeting";
inline constexpr std::string_view kTaxonomyStream = "taxonomy";
inline constexpr std::string_view kTokenCategory = "token";
// One stream (and category) of its own: no network's stream is named so, as
// every network stream starts with "network-".
inline constexpr std::string_view kNationalStream = "national";

inline std::string network_stream(std::string_view network_id) {
  return std::string(kNetworkCategory) + "-" + std::string(network_id);
}
inline std::string meeting_stream(std::string_view meeting_id) {
  return std::string(kMeetingCategory) + "-" + std::string(meeting_id);
}
inline std::string taxonomy_stream() { return std::string(kTaxonomyStream); }
inline std::string national_stream() { return std::string(kNationalStream); }
inline std::string token_stream(std::string_view token_id) {
  return std::string(kTokenCategory) + "-" + std::string(token_id);
}

}  // namespace ikv::domain
