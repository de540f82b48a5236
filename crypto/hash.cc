#include "crypto/hash.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "crypto/encoding.h"
#include "crypto/openssl_util.h"

namespace ikv::crypto {
namespace {

// The HMAC implementation, fetched once and kept for the life of the process
// (never freed: OpenSSL may be torn down before static destructors run).
EVP_MAC* hmac_algorithm() {
  static EVP_MAC* const mac = [] {
    EVP_MAC* m = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (m == nullptr) detail::throw_openssl_error("EVP_MAC_fetch(HMAC) failed");
    return m;
  }();
  return mac;
}

}  // namespace

Digest sha256(std::string_view bytes) {
  Digest out{};
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), out.data(), &len, EVP_sha256(), nullptr) != 1 ||
      len != out.size()) {
    detail::throw_openssl_error("EVP_Digest(SHA-256) failed");
  }
  return out;
}

Digest sha256(std::span<const std::uint8_t> bytes) {
  return sha256(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string sha256_hex(std::string_view bytes) { return hex_encode(sha256(bytes)); }

Digest hmac_sha256(std::string_view key, std::string_view data) {
  detail::MacCtxPtr ctx(EVP_MAC_CTX_new(hmac_algorithm()));
  if (!ctx) detail::throw_openssl_error("EVP_MAC_CTX_new failed");
  char digest_name[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
      OSSL_PARAM_construct_end(),
  };
  // EVP_MAC_init refuses a null key pointer even for an empty key.
  static const unsigned char kEmpty = 0;
  const auto* key_bytes =
      key.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(key.data());
  if (EVP_MAC_init(ctx.get(), key_bytes, key.size(), params) != 1 ||
      EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1) {
    detail::throw_openssl_error("HMAC-SHA-256 failed");
  }
  Digest out{};
  std::size_t len = 0;
  if (EVP_MAC_final(ctx.get(), out.data(), &len, out.size()) != 1 || len != out.size()) {
    detail::throw_openssl_error("HMAC-SHA-256 final failed");
  }
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    // Spend the same work as an equal-length comparison, then refuse.
    (void)CRYPTO_memcmp(a.data(), a.data(), a.size());
    return false;
  }
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool constant_time_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  return constant_time_equal(std::string_view(reinterpret_cast<const char*>(a.data()), a.size()),
                             std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
}

}  // namespace ikv::crypto
