#include "crypto/aead.h"

#include <algorithm>
#include <climits>
#include <cstring>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "crypto/openssl_util.h"
#include "crypto/random.h"

namespace ikv::crypto {
namespace {

const unsigned char* u8(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* u8(std::string& s, std::size_t offset) {
  return reinterpret_cast<unsigned char*>(s.data() + offset);
}

// EVP update calls take int lengths: feed long inputs in chunks.
constexpr std::size_t kChunk = static_cast<std::size_t>(INT_MAX) / 2;

Error corrupt(std::string message) { return Error{ErrorCode::kCorruption, std::move(message), {}}; }

}  // namespace

AeadKey generate_aead_key() {
  std::string bytes = random_bytes(kAeadKeySize);
  AeadKey key{};
  std::memcpy(key.data(), bytes.data(), key.size());
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return key;
}

std::optional<AeadKey> aead_key_from_bytes(std::string_view bytes) {
  if (bytes.size() != kAeadKeySize) return std::nullopt;
  AeadKey key{};
  std::memcpy(key.data(), bytes.data(), key.size());
  return key;
}

std::string seal(const AeadKey& key, std::string_view plaintext, std::string_view aad) {
  const std::string nonce = random_bytes(kAeadNonceSize);
  std::string out(kAeadOverhead + plaintext.size(), '\0');
  out[0] = static_cast<char>(kAeadVersion);
  std::memcpy(out.data() + 1, nonce.data(), kAeadNonceSize);

  detail::CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) detail::throw_openssl_error("EVP_CIPHER_CTX_new failed");
  if (EVP_EncryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), key.data(), u8(nonce), nullptr) != 1) {
    detail::throw_openssl_error("AES-256-GCM init failed");
  }
  int len = 0;
  for (std::size_t off = 0; off < aad.size(); off += kChunk) {
    const int n = static_cast<int>(std::min(kChunk, aad.size() - off));
    if (EVP_EncryptUpdate(ctx.get(), nullptr, &len, u8(aad) + off, n) != 1) {
      detail::throw_openssl_error("AES-256-GCM aad failed");
    }
  }
  std::size_t written = 1 + kAeadNonceSize;
  for (std::size_t off = 0; off < plaintext.size(); off += kChunk) {
    const int n = static_cast<int>(std::min(kChunk, plaintext.size() - off));
    if (EVP_EncryptUpdate(ctx.get(), u8(out, written), &len, u8(plaintext) + off, n) != 1) {
      detail::throw_openssl_error("AES-256-GCM encrypt failed");
    }
    written += static_cast<std::size_t>(len);
  }
  if (EVP_EncryptFinal_ex(ctx.get(), u8(out, written), &len) != 1) {
    detail::throw_openssl_error("AES-256-GCM final failed");
  }
  written += static_cast<std::size_t>(len);
  if (written != out.size() - kAeadTagSize ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kAeadTagSize),
                          u8(out, written)) != 1) {
    detail::throw_openssl_error("AES-256-GCM tag failed");
  }
  return out;
}

Result<std::string> open(const AeadKey& key, std::string_view sealed, std::string_view aad) {
  if (sealed.size() < kAeadOverhead) return corrupt("sealed data is too short");
  if (static_cast<std::uint8_t>(sealed[0]) != kAeadVersion) {
    return corrupt("sealed data has an unknown version");
  }
  const std::string_view nonce = sealed.substr(1, kAeadNonceSize);
  const std::string_view body =
      sealed.substr(1 + kAeadNonceSize, sealed.size() - kAeadOverhead);
  std::string tag(sealed.substr(sealed.size() - kAeadTagSize));

  detail::CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) detail::throw_openssl_error("EVP_CIPHER_CTX_new failed");
  if (EVP_DecryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), key.data(), u8(nonce), nullptr) != 1) {
    detail::throw_openssl_error("AES-256-GCM init failed");
  }
  int len = 0;
  for (std::size_t off = 0; off < aad.size(); off += kChunk) {
    const int n = static_cast<int>(std::min(kChunk, aad.size() - off));
    if (EVP_DecryptUpdate(ctx.get(), nullptr, &len, u8(aad) + off, n) != 1) {
      detail::throw_openssl_error("AES-256-GCM aad failed");
    }
  }
  std::string plain(body.size(), '\0');
  std::size_t written = 0;
  for (std::size_t off = 0; off < body.size(); off += kChunk) {
    const int n = static_cast<int>(std::min(kChunk, body.size() - off));
    if (EVP_DecryptUpdate(ctx.get(), u8(plain, written), &len, u8(body) + off, n) != 1) {
      detail::throw_openssl_error("AES-256-GCM decrypt failed");
    }
    written += static_cast<std::size_t>(len);
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kAeadTagSize),
                          tag.data()) != 1) {
    detail::throw_openssl_error("AES-256-GCM set tag failed");
  }
  if (EVP_DecryptFinal_ex(ctx.get(), u8(plain, written), &len) != 1) {
    OPENSSL_cleanse(plain.data(), plain.size());
    ERR_clear_error();
    return corrupt("sealed data does not authenticate");
  }
  return plain;
}

}  // namespace ikv::crypto
