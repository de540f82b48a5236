#include "server/http/request_id.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>

namespace ikv::server {

bool is_sane_request_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  return std::ranges::all_of(id, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

std::string generate_request_id() {
  thread_local std::mt19937_64 rng{[] {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  }()};
  static constexpr std::array<char, 16> kHex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  std::string out(32, '0');
  for (int half = 0; half < 2; ++half) {
    std::uint64_t v = rng();
    for (int i = 0; i < 16; ++i) {
      out[half * 16 + i] = kHex[v & 0xF];
      v >>= 4;
    }
  }
  return out;
}

std::string request_id_from(std::string_view client_id) {
  if (is_sane_request_id(client_id)) return std::string(client_id);
  return generate_request_id();
}

}  // namespace ikv::server
