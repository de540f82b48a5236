#include "crypto/signing_key.h"

#include <utility>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/openssl_util.h"
#include "crypto/random.h"
#include "crypto/secret_file.h"

namespace ikv::crypto {

void detail::PkeyFree::operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }

namespace {

constexpr std::size_t kMaxFileSize = 4096;
constexpr std::string_view kWhat = "signing key";

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

BioPtr read_bio(std::string_view text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

bool is_ed25519(const EVP_PKEY* key) { return EVP_PKEY_get_id(key) == EVP_PKEY_ED25519; }

Result<SigningKey> read_key(const std::filesystem::path& path) {
  auto text = read_secret_file(path, kWhat, kMaxFileSize);
  if (!text) return text.error();
  auto key = SigningKey::from_pem(*text);
  OPENSSL_cleanse(text->data(), text->size());
  if (!key) {
    return Error{ErrorCode::kCorruption,
                 "signing key file does not hold an Ed25519 key: " + path.string(),
                 {}};
  }
  return key;
}

}  // namespace

VerifyingKey::VerifyingKey(detail::PkeyPtr key) : key_(key.release(), detail::PkeyFree{}) {
  unsigned char raw[32];
  std::size_t len = sizeof raw;
  if (EVP_PKEY_get_raw_public_key(key_.get(), raw, &len) != 1 || len != sizeof raw) {
    detail::throw_openssl_error("Ed25519 public key");
  }
  key_id_ = sha256_hex(std::string_view(reinterpret_cast<const char*>(raw), len)).substr(0, 16);
}

Result<VerifyingKey> VerifyingKey::from_pem(std::string_view pem) {
  BioPtr bio = read_bio(pem);
  if (!bio) detail::throw_openssl_error("BIO_new_mem_buf");
  detail::PkeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key || !is_ed25519(key.get())) {
    (void)detail::openssl_error("PEM_read_bio_PUBKEY");
    return Error{ErrorCode::kInvalidArgument, "not an Ed25519 public key in PEM", {}};
  }
  return VerifyingKey(std::move(key));
}

bool VerifyingKey::verify(std::string_view message, std::string_view signature) const {
  if (signature.size() != kSignatureSize) return false;
  detail::MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) throw std::bad_alloc();
  const bool ok =
      EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) == 1 &&
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) == 1;
  if (!ok) (void)detail::openssl_error("EVP_DigestVerify");
  return ok;
}

std::string VerifyingKey::public_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1) {
    detail::throw_openssl_error("PEM_write_bio_PUBKEY");
  }
  return bio_text(bio.get());
}

SigningKey::SigningKey(detail::PkeyPtr key, VerifyingKey pub)
    : key_(key.release(), detail::PkeyFree{}), public_(std::move(pub)) {}

namespace {

// The public half of `key` as its own EVP_PKEY.
detail::PkeyPtr public_half(EVP_PKEY* key) {
  unsigned char raw[32];
  std::size_t len = sizeof raw;
  if (EVP_PKEY_get_raw_public_key(key, raw, &len) != 1) detail::throw_openssl_error("public key");
  detail::PkeyPtr pub(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, raw, len));
  if (!pub) detail::throw_openssl_error("EVP_PKEY_new_raw_public_key");
  return pub;
}

}  // namespace

SigningKey SigningKey::generate() {
  detail::PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) detail::throw_openssl_error("Ed25519 key generation");
  VerifyingKey pub(public_half(key.get()));
  return SigningKey(std::move(key), std::move(pub));
}

Result<SigningKey> SigningKey::from_pem(std::string_view pem) {
  BioPtr bio = read_bio(pem);
  if (!bio) detail::throw_openssl_error("BIO_new_mem_buf");
  detail::PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key || !is_ed25519(key.get())) {
    (void)detail::openssl_error("PEM_read_bio_PrivateKey");
    return Error{ErrorCode::kInvalidArgument, "not an Ed25519 private key in PEM", {}};
  }
  VerifyingKey pub(public_half(key.get()));
  return SigningKey(std::move(key), std::move(pub));
}

std::string SigningKey::sign(std::string_view message) const {
  detail::MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) throw std::bad_alloc();
  std::string sig(kSignatureSize, '\0');
  std::size_t len = sig.size();
  if (EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
      len != kSignatureSize) {
    detail::throw_openssl_error("Ed25519 signing");
  }
  return sig;
}

std::string SigningKey::private_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    detail::throw_openssl_error("PEM_write_bio_PrivateKey");
  }
  return bio_text(bio.get());
}

Result<SigningKey> load_or_create_signing_key(const std::filesystem::path& path) {
  auto exists = secret_file_exists(path, kWhat);
  if (!exists) return exists.error();
  if (!*exists) {
    std::string text = SigningKey::generate().private_pem();
    Status created = create_secret_file(path, kWhat, text);
    OPENSSL_cleanse(text.data(), text.size());
    if (!created) return created.error();
  }
  return read_key(path);
}

}  // namespace ikv::crypto
