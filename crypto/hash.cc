#include "crypto/hash.h"

#include <stdexcept>
#include <utility>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
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

// SHA-256, fetched once and kept like the HMAC implementation. EVP_Digest with
// EVP_sha256() would fetch it again on every call.
const EVP_MD* sha256_algorithm() {
  static EVP_MD* const md = [] {
    EVP_MD* m = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (m == nullptr) detail::throw_openssl_error("EVP_MD_fetch(SHA256) failed");
    return m;
  }();
  return md;
}

// The calling thread's digest context, made on its first use and freed when the
// thread exits; every sha256() re-initialises it.
EVP_MD_CTX* thread_md_ctx() {
  thread_local detail::MdCtxPtr ctx;
  if (!ctx) {
    ctx.reset(EVP_MD_CTX_new());
    if (!ctx) detail::throw_openssl_error("EVP_MD_CTX_new failed");
  }
  return ctx.get();
}

// EVP_MAC_init refuses a null key pointer even for an empty key (and given a
// null key, it would keep the previous one).
const unsigned char* mac_key(std::string_view key) {
  static const unsigned char kEmpty = 0;
  return key.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(key.data());
}

// The calling thread's HMAC-SHA-256 context for one hmac_sha256(): made on the
// thread's first call (its digest set then, once) and freed when the thread
// exits; each call initialises it with the call's key, and on the way out,
// however the call ends, with the empty key, so that the context does not keep
// the last key (a freed context would not either; if that fails it is freed).
class ThreadMac {
 public:
  ThreadMac() {
    if (!ctx_) {
      detail::MacCtxPtr made(EVP_MAC_CTX_new(hmac_algorithm()));
      if (!made) detail::throw_openssl_error("EVP_MAC_CTX_new failed");
      char digest_name[] = "SHA256";
      const OSSL_PARAM params[] = {
          OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
          OSSL_PARAM_construct_end(),
      };
      if (EVP_MAC_CTX_set_params(made.get(), params) != 1) {
        detail::throw_openssl_error("HMAC-SHA-256 setup failed");
      }
      ctx_ = std::move(made);
    }
  }
  ~ThreadMac() {
    if (EVP_MAC_init(ctx_.get(), mac_key({}), 0, nullptr) != 1) {
      ctx_.reset();
      ERR_clear_error();
    }
  }
  ThreadMac(const ThreadMac&) = delete;
  ThreadMac& operator=(const ThreadMac&) = delete;

  // Not static: the context is set up for the call only while a ThreadMac lives.
  // NOLINTNEXTLINE(readability-convert-member-functions-to-static)
  EVP_MAC_CTX* get() const { return ctx_.get(); }

 private:
  static thread_local detail::MacCtxPtr ctx_;
};

thread_local detail::MacCtxPtr ThreadMac::ctx_;

}  // namespace

struct Sha256::Ctx {
  detail::MdCtxPtr md;
};

Sha256::Sha256() : ctx_(std::make_unique<Ctx>()) {
  ctx_->md.reset(EVP_MD_CTX_new());
  if (!ctx_->md || EVP_DigestInit_ex2(ctx_->md.get(), sha256_algorithm(), nullptr) != 1) {
    detail::throw_openssl_error("SHA-256 init failed");
  }
}
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;
Sha256::~Sha256() = default;

void Sha256::update(std::string_view bytes) {
  if (done_) throw std::logic_error("Sha256::update after digest()");
  if (EVP_DigestUpdate(ctx_->md.get(), bytes.data(), bytes.size()) != 1) {
    detail::throw_openssl_error("SHA-256 update failed");
  }
}

Digest Sha256::digest() {
  if (done_) throw std::logic_error("Sha256::digest called twice");
  done_ = true;
  Digest out{};
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx_->md.get(), out.data(), &len) != 1 || len != out.size()) {
    detail::throw_openssl_error("SHA-256 final failed");
  }
  return out;
}

Digest sha256(std::string_view bytes) {
  EVP_MD_CTX* const ctx = thread_md_ctx();
  Digest out{};
  unsigned int len = 0;
  if (EVP_DigestInit_ex2(ctx, sha256_algorithm(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx, bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(ctx, out.data(), &len) != 1 || len != out.size()) {
    detail::throw_openssl_error("SHA-256 failed");
  }
  return out;
}

Digest sha256(std::span<const std::uint8_t> bytes) {
  return sha256(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string sha256_hex(std::string_view bytes) { return hex_encode(sha256(bytes)); }

Digest hmac_sha256(std::string_view key, std::string_view data) {
  const ThreadMac mac;
  EVP_MAC_CTX* const ctx = mac.get();
  if (EVP_MAC_init(ctx, mac_key(key), key.size(), nullptr) != 1 ||
      EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    detail::throw_openssl_error("HMAC-SHA-256 failed");
  }
  Digest out{};
  std::size_t len = 0;
  if (EVP_MAC_final(ctx, out.data(), &len, out.size()) != 1 || len != out.size()) {
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
