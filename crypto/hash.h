// SHA-256, HMAC-SHA-256 and constant-time comparison (OpenSSL EVP).
//
// Used to store access tokens only as digests and to compare secrets without
// leaking, through timing, how much of a guess was right.
//
// Thread-safety: every function may be called from any thread, concurrently;
// no state is shared between threads but SHA-256 and HMAC, fetched once per
// process. Each thread has one digest context and one HMAC context of its own,
// made on its first call, initialised afresh by every call and freed when the
// thread exits. hmac_sha256() leaves its context keyed with the empty key,
// never with the caller's.
//
//   Digest d = ikv::crypto::sha256(token);
//   Sha256 h; h.update(part1); h.update(part2); Digest same = h.digest();
//   std::string text = ikv::crypto::sha256_hex("abc");  // "ba7816bf..."
//   if (ikv::crypto::constant_time_equal(d, stored)) grant();
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace ikv::crypto {

inline constexpr std::size_t kDigestSize = 32;
using Digest = std::array<std::uint8_t, kDigestSize>;

// SHA-256 of `bytes` (FIPS 180-4).
Digest sha256(std::string_view bytes);
Digest sha256(std::span<const std::uint8_t> bytes);
// The digest as 64 lower-case hex characters.
std::string sha256_hex(std::string_view bytes);

// SHA-256 of bytes that come in parts (a file written as it is made): one
// context of its own, not the thread's. digest() ends it; update() after
// that is a bug (std::logic_error).
class Sha256 {
 public:
  Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  ~Sha256();
  void update(std::string_view bytes);
  Digest digest();

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
  bool done_ = false;
};

// HMAC-SHA-256 (RFC 2104) of `data` under `key`; any key length.
Digest hmac_sha256(std::string_view key, std::string_view data);

// True when `a` and `b` hold the same bytes. The time taken depends only on the
// lengths, never on where the first difference is (CRYPTO_memcmp). Inputs of
// different lengths compare unequal; they are not read past their ends.
bool constant_time_equal(std::string_view a, std::string_view b);
bool constant_time_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

// The digest's bytes as a string_view (valid while `d` lives).
inline std::string_view as_bytes(const Digest& d) {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}

}  // namespace ikv::crypto
