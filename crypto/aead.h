// Authenticated encryption with AES-256-GCM (OpenSSL EVP).
//
// Sealed format, version 1 (all lengths in bytes):
//
//   sealed := version(1) = 0x01  nonce(12)  ciphertext(len(plaintext))  tag(16)
//
// The nonce is 96 random bits, fresh for every seal; with random nonces one key
// should seal fewer than 2^32 messages (a person's data key seals a handful).
// The associated data (AAD) is authenticated but not stored: open() must be
// given the same AAD, so a ciphertext cannot be moved to another context (the
// vault binds each ciphertext to its subject this way).
//
// Thread-safety: any thread, concurrently; no state is shared between threads
// but the AES-256-GCM implementation, fetched once per process. Each thread has
// two cipher contexts of its own (one for seal(), one for open()), made on its
// first call, initialised afresh by every call (key and nonce) and freed when
// the thread exits. A call leaves its context keyed with zeros, never with the
// caller's key.
//
//   AeadKey key = ikv::crypto::aead_key_from_bytes(random_bytes(32)).value();
//   std::string box = ikv::crypto::seal(key, "alice@example.fi", "member-42");
//   Result<std::string> plain = ikv::crypto::open(key, box, "member-42");
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace ikv::crypto {

inline constexpr std::size_t kAeadKeySize = 32;
inline constexpr std::size_t kAeadNonceSize = 12;
inline constexpr std::size_t kAeadTagSize = 16;
inline constexpr std::uint8_t kAeadVersion = 1;
// Bytes a sealed message adds to its plaintext.
inline constexpr std::size_t kAeadOverhead = 1 + kAeadNonceSize + kAeadTagSize;

using AeadKey = std::array<std::uint8_t, kAeadKeySize>;

// A fresh random key. Throws std::runtime_error if the CSPRNG fails.
AeadKey generate_aead_key();

// The key held in `bytes`; nullopt unless it is exactly kAeadKeySize bytes.
std::optional<AeadKey> aead_key_from_bytes(std::string_view bytes);

// Encrypts and authenticates `plaintext` (any length, may be empty) together
// with `aad`. Returns the sealed bytes in the format above. Throws
// std::runtime_error only if OpenSSL or the CSPRNG fails (never for any input).
std::string seal(const AeadKey& key, std::string_view plaintext, std::string_view aad);

// Decrypts a message made by seal() with the same key and AAD.
// Errors: kCorruption when `sealed` is too short, has an unknown version, or
// does not authenticate (wrong key, wrong AAD, any altered byte). No plaintext
// is ever returned for a message that fails authentication.
Result<std::string> open(const AeadKey& key, std::string_view sealed, std::string_view aad);

}  // namespace ikv::crypto
