// StringHash: one hash for std::string and std::string_view alike, so that an
// unordered container keyed by std::string is looked up with a string_view
// and no copy (heterogeneous lookup; pair it with std::equal_to<>).
//
//   std::unordered_map<std::string, int, StringHash, std::equal_to<>> m;
//   m.find(std::string_view("oulu"));
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

namespace ikv {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace ikv
