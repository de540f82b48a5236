// Upcasting: old stored shapes of a release-1 JSON payload, turned into the
// type's last JSON shape (kTypeInfo<T>.json_version) on read. Each step takes a
// payload of one (type, version) to version + 1; the codec applies the steps in
// order. Stored payloads are never rewritten.
//
// Known steps:
//   MemberJoined v1 -> v2: v1 named the join date "since" and had no "title";
//     v2 names it "joined_on" and adds "title" (null for v1 members).
//
// Thread-safety: pure functions; safe from any thread.
//
//   auto current = upcast("MemberJoined", 1, 2, std::move(payload));
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <string_view>

#include "common/result.h"

namespace ikv::codec {

// Brings `payload` from `from_version` to `to_version` of `type`.
// REQUIRES: from_version <= to_version. kCorruption when a step is missing or
// the old payload does not have the old shape.
Result<boost::json::object> upcast(std::string_view type, std::uint32_t from_version,
                                   std::uint32_t to_version, boost::json::object payload);

}  // namespace ikv::codec
