// Text encodings of byte strings: hex (RFC 4648 section 8), base64 (section 4,
// padded) and base64url (section 5, unpadded).
//
// Encoders take bytes as std::string_view or as a span of uint8_t (so both
// std::string and std::array<uint8_t, N> work) and cannot fail. Decoders return
// std::nullopt for any input that is not a canonical encoding: a character
// outside the alphabet, a wrong length, wrong padding, or non-zero unused bits.
// Whitespace is not accepted anywhere.
//
// Thread-safety: pure functions.
//
//   std::string h = ikv::crypto::hex_encode(digest);            // "e3b0c442..."
//   std::optional<std::string> b = ikv::crypto::hex_decode(h);  // the bytes
//   if (!b) reject();
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ikv::crypto {

// Lower-case hex, two characters a byte.
std::string hex_encode(std::string_view bytes);
std::string hex_encode(std::span<const std::uint8_t> bytes);
// Accepts upper and lower case; nullopt on an odd length or a non-hex character.
std::optional<std::string> hex_decode(std::string_view text);

// Standard alphabet (A-Z a-z 0-9 + /) with '=' padding to a multiple of 4.
std::string base64_encode(std::string_view bytes);
std::string base64_encode(std::span<const std::uint8_t> bytes);
// nullopt unless `text` is canonical padded base64.
std::optional<std::string> base64_decode(std::string_view text);

// URL- and file-safe alphabet (A-Z a-z 0-9 - _), no padding.
std::string base64url_encode(std::string_view bytes);
std::string base64url_encode(std::span<const std::uint8_t> bytes);
// nullopt unless `text` is canonical base64url; correct trailing '=' padding is
// tolerated, a '+' or '/' is not.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace ikv::crypto
