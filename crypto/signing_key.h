// Ed25519 keys (RFC 8032, OpenSSL EVP) for signing the audit checkpoints, and
// the file that keeps the server's key in its data directory.
//
// File format: the private key as PEM (PKCS #8, "BEGIN PRIVATE KEY"). The file
// must be a regular file owned by the process's user with no permission bits
// for group or others (0600 or stricter). It is created that way on first
// start, crash-safely: written to a temporary name, synced, linked into place
// (never over an existing key), the directory synced. A crash leaves either no
// key or the whole key, never a torn one.
//
// A key's id is the first 16 lower-case hex characters of the SHA-256 of its
// raw 32-byte public key, so a verifier can tell which key signed a checkpoint.
//
// Thread-safety: a SigningKey or VerifyingKey is immutable after construction;
// sign() and verify() may be called from any number of threads at once.
//
//   auto key = ikv::crypto::load_or_create_signing_key(data_dir / kSigningKeyFileName);
//   std::string sig = key->sign("message");
//   auto pub = ikv::crypto::VerifyingKey::from_pem(key->public_pem());
//   bool ok = pub->verify("message", sig);
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

typedef struct evp_pkey_st EVP_PKEY;  // NOLINT(modernize-use-using): OpenSSL's own spelling

namespace ikv::crypto {

// The file name under the data directory.
inline constexpr const char* kSigningKeyFileName = "audit-signing.key";
// Bytes of an Ed25519 signature.
inline constexpr std::size_t kSignatureSize = 64;

namespace detail {
struct PkeyFree {
  void operator()(EVP_PKEY* k) const;
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
}  // namespace detail

// A public key: verifies signatures.
class VerifyingKey {
 public:
  // Errors: kInvalidArgument unless `pem` holds one Ed25519 public key
  // ("BEGIN PUBLIC KEY").
  static Result<VerifyingKey> from_pem(std::string_view pem);

  // True when `signature` (64 raw bytes) is this key's signature of `message`.
  bool verify(std::string_view message, std::string_view signature) const;
  // The key as PEM ("-----BEGIN PUBLIC KEY-----...").
  std::string public_pem() const;
  const std::string& key_id() const { return key_id_; }

 private:
  friend class SigningKey;
  explicit VerifyingKey(detail::PkeyPtr key);
  std::shared_ptr<EVP_PKEY> key_;
  std::string key_id_;
};

// A private key: signs.
class SigningKey {
 public:
  // A fresh random key.
  static SigningKey generate();
  // Errors: kInvalidArgument unless `pem` holds one Ed25519 private key.
  static Result<SigningKey> from_pem(std::string_view pem);

  // The 64-byte Ed25519 signature of `message`.
  std::string sign(std::string_view message) const;
  // The private key as PEM (PKCS #8). Secret: only for the key file.
  std::string private_pem() const;
  const VerifyingKey& verifying_key() const { return public_; }
  std::string public_pem() const { return public_.public_pem(); }
  const std::string& key_id() const { return public_.key_id(); }

 private:
  SigningKey(detail::PkeyPtr key, VerifyingKey pub);
  std::shared_ptr<EVP_PKEY> key_;
  VerifyingKey public_;
};

// Reads the signing key at `path`, creating it with a fresh key when it does
// not exist. Errors: kIOError when the file cannot be read or created;
// kInvalidArgument when it is not a regular file, is owned by another user or
// is open to group or others; kCorruption when its content is not a key.
Result<SigningKey> load_or_create_signing_key(const std::filesystem::path& path);

}  // namespace ikv::crypto
