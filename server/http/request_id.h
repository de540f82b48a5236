// Request ids: the `X-Request-Id` a client sent, when it is sane, or a fresh
// random one. Every answer carries one; the access log and event metadata
// (correlation id) use it.
//
// Thread-safety: free functions, safe from any thread.
//
//   std::string id = request_id_from(req["X-Request-Id"]);
#pragma once

#include <string>
#include <string_view>

namespace ikv::server {

inline constexpr std::size_t kMaxRequestIdLength = 128;

// True when `id` is 1..128 characters of [A-Za-z0-9._-].
bool is_sane_request_id(std::string_view id);

// A new random id: 32 lowercase hex characters.
std::string generate_request_id();

// `client_id` when it is sane, else a generated id.
std::string request_id_from(std::string_view client_id);

}  // namespace ikv::server
