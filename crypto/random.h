// Random bytes, UUIDs and bearer tokens from OpenSSL's CSPRNG (RAND_bytes).
//
// Byte strings are carried in std::string (any byte values). A failure of the
// generator means the process cannot get entropy: it is treated as exhaustion
// and thrown (std::runtime_error), never returned, and never answered with weak
// randomness.
//
// Thread-safety: every function may be called from any thread.
//
//   std::string key = ikv::crypto::random_bytes(32);
//   std::string id = ikv::crypto::uuid_v4();           // "3f2b...-4...-a..."
//   std::string secret = ikv::crypto::random_token();  // "ikv_" + 43 chars
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ikv::crypto {

// `n` bytes from the CSPRNG. Throws std::runtime_error if it fails.
std::string random_bytes(std::size_t n);

// A random (version 4, RFC 9562) UUID as 36 lower-case characters,
// e.g. "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b". Throws like random_bytes.
std::string uuid_v4();

// Number of random bytes behind a token: 256 bits.
inline constexpr std::size_t kTokenRandomBytes = 32;

// A bearer secret: `prefix`, '_', then 43 characters of unpadded base64url
// carrying 256 random bits, e.g. "ikv_Qm9vdHN0cmFw...". The prefix lets secret
// scanners recognise a leaked token. REQUIRES: prefix has no '_' at its end.
// Throws like random_bytes.
std::string random_token(std::string_view prefix = "ikv");

}  // namespace ikv::crypto
