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

// AES-256-GCM, fetched once and kept for the life of the process (never freed:
// OpenSSL may be torn down before static destructors run). An init given
// EVP_aes_256_gcm() would fetch it again on every call.
const EVP_CIPHER* aes_256_gcm() {
  static EVP_CIPHER* const cipher = [] {
    EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    if (c == nullptr) detail::throw_openssl_error("EVP_CIPHER_fetch(AES-256-GCM) failed");
    return c;
  }();
  return cipher;
}

// The calling thread's context for one seal() (Direction::kSeal) or open()
// (kOpen). There is one per thread and direction: made and set up with
// AES-256-GCM on the thread's first call, freed when the thread exits. Each
// call initialises it with its key and nonce only (an init given the cipher
// again would start over from a fresh context), and on the way out, however
// the call ends, with an all-zero key, so that the context does not keep the
// last key's schedule (a freed context would not either; if that re-key fails,
// the context's state is freed and set up again by the next call).
enum class Direction { kSeal, kOpen };

class ThreadCipher {
 public:
  explicit ThreadCipher(Direction direction)
      : direction_(direction), ctx_(direction == Direction::kSeal ? seal_ctx_ : open_ctx_) {
    if (!ctx_) {
      ctx_.reset(EVP_CIPHER_CTX_new());
      if (!ctx_) detail::throw_openssl_error("EVP_CIPHER_CTX_new failed");
    }
    if (EVP_CIPHER_CTX_get0_cipher(ctx_.get()) == nullptr &&
        init(aes_256_gcm(), nullptr, nullptr) != 1) {
      detail::throw_openssl_error("AES-256-GCM setup failed");
    }
  }
  ~ThreadCipher() {
    static const unsigned char kZeroKey[kAeadKeySize] = {};
    if (init(nullptr, kZeroKey, nullptr) != 1) {
      EVP_CIPHER_CTX_reset(ctx_.get());  // frees (and cleanses) the cipher's state
      ERR_clear_error();
    }
  }
  ThreadCipher(const ThreadCipher&) = delete;
  ThreadCipher& operator=(const ThreadCipher&) = delete;

  EVP_CIPHER_CTX* get() const { return ctx_.get(); }

  // EVP_EncryptInit_ex2 or EVP_DecryptInit_ex2, as the direction asks.
  int init(const EVP_CIPHER* cipher, const unsigned char* key, const unsigned char* nonce) const {
    return direction_ == Direction::kSeal
               ? EVP_EncryptInit_ex2(ctx_.get(), cipher, key, nonce, nullptr)
               : EVP_DecryptInit_ex2(ctx_.get(), cipher, key, nonce, nullptr);
  }

 private:
  static thread_local detail::CipherCtxPtr seal_ctx_;
  static thread_local detail::CipherCtxPtr open_ctx_;

  const Direction direction_;
  detail::CipherCtxPtr& ctx_;
};

thread_local detail::CipherCtxPtr ThreadCipher::seal_ctx_;
thread_local detail::CipherCtxPtr ThreadCipher::open_ctx_;

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

  const ThreadCipher cipher(Direction::kSeal);
  EVP_CIPHER_CTX* const ctx = cipher.get();
  if (cipher.init(nullptr, key.data(), u8(nonce)) != 1) {
    detail::throw_openssl_error("AES-256-GCM init failed");
  }
  int len = 0;
  for (std::size_t off = 0; off < aad.size(); off += kChunk) {
    const int n = static_cast<int>(std::min(kChunk, aad.size() - off));
    if (EVP_EncryptUpdate(ctx, nullptr, &len, u8(aad) + off, n) != 1) {
      detail::throw_openssl_error("AES-256-GCM aad failed");
    }
  }
  std::size_t written = 1 + kAeadNonceSize;
  for (std::size_t off = 0; off < plaintext.size(); off += kChunk) {
    const int n = static_cast<int>(std::min(kChunk, plaintext.size() - off));
    if (EVP_EncryptUpdate(ctx, u8(out, written), &len, u8(plaintext) + off, n) != 1) {
      detail::throw_openssl_error("AES-256-GCM encrypt failed");
    }
    written += static_cast<std::size_t>(len);
  }
  if (EVP_EncryptFinal_ex(ctx, u8(out, written), &len) != 1) {
    detail::throw_openssl_error("AES-256-GCM final failed");
  }
  written += static_cast<std::size_t>(len);
  if (written != out.size() - kAeadTagSize ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, static_cast<int>(kAeadTagSize),
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
  const std::string_view body = sealed.substr(1 + kAeadNonceSize, sealed.size() - kAeadOverhead);
  std::string tag(sealed.substr(sealed.size() - kAeadTagSize));

  const ThreadCipher cipher(Direction::kOpen);
  EVP_CIPHER_CTX* const ctx = cipher.get();
  if (cipher.init(nullptr, key.data(), u8(nonce)) != 1) {
    detail::throw_openssl_error("AES-256-GCM init failed");
  }
  int len = 0;
  for (std::size_t off = 0; off < aad.size(); off += kChunk) {
    const int n = static_cast<int>(std::min(kChunk, aad.size() - off));
    if (EVP_DecryptUpdate(ctx, nullptr, &len, u8(aad) + off, n) != 1) {
      detail::throw_openssl_error("AES-256-GCM aad failed");
    }
  }
  std::string plain(body.size(), '\0');
  std::size_t written = 0;
  for (std::size_t off = 0; off < body.size(); off += kChunk) {
    const int n = static_cast<int>(std::min(kChunk, body.size() - off));
    if (EVP_DecryptUpdate(ctx, u8(plain, written), &len, u8(body) + off, n) != 1) {
      detail::throw_openssl_error("AES-256-GCM decrypt failed");
    }
    written += static_cast<std::size_t>(len);
  }
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(kAeadTagSize), tag.data()) !=
      1) {
    detail::throw_openssl_error("AES-256-GCM set tag failed");
  }
  if (EVP_DecryptFinal_ex(ctx, u8(plain, written), &len) != 1) {
    OPENSSL_cleanse(plain.data(), plain.size());
    ERR_clear_error();
    return corrupt("sealed data does not authenticate");
  }
  return plain;
}

}  // namespace ikv::crypto
