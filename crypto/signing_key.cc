#include "crypto/signing_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/openssl_util.h"
#include "crypto/random.h"

namespace ikv::crypto {

void detail::PkeyFree::operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }

namespace {

constexpr std::size_t kMaxFileSize = 4096;

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

Error io_error(const std::string& what, const std::filesystem::path& path, int err) {
  return Error{ErrorCode::kIOError, what + " " + path.string() + ": " + std::strerror(err), {}};
}

// Closes a file descriptor on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

Status sync_directory(const std::filesystem::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return io_error("cannot open directory", dir, errno);
  if (::fsync(fd.get()) != 0) return io_error("cannot sync directory", dir, errno);
  return ok_status();
}

Result<SigningKey> read_key(const std::filesystem::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) return io_error("cannot open signing key", path, errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return io_error("cannot stat signing key", path, errno);
  if (!S_ISREG(st.st_mode)) {
    return Error{
        ErrorCode::kInvalidArgument, "signing key is not a regular file: " + path.string(), {}};
  }
  if (st.st_uid != ::geteuid()) {
    return Error{
        ErrorCode::kInvalidArgument, "signing key is owned by another user: " + path.string(), {}};
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return Error{ErrorCode::kInvalidArgument,
                 "signing key is accessible to group or others (chmod 600): " + path.string(),
                 {}};
  }
  std::string text(kMaxFileSize, '\0');
  std::size_t got = 0;
  while (got < text.size()) {
    const ssize_t n = ::read(fd.get(), text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("cannot read signing key", path, errno);
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  text.resize(got);
  auto key = SigningKey::from_pem(text);
  OPENSSL_cleanse(text.data(), text.size());
  if (!key) {
    return Error{ErrorCode::kCorruption,
                 "signing key file does not hold an Ed25519 key: " + path.string(),
                 {}};
  }
  return key;
}

// Writes a fresh key to a temporary file beside `path` and links it into place;
// losing the race to another process is not an error (its key is read back).
Status create_key(const std::filesystem::path& path) {
  const std::filesystem::path tmp = path.string() + ".tmp." + uuid_v4();
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd.get() < 0) return io_error("cannot create signing key", tmp, errno);
  std::string text = SigningKey::generate().private_pem();
  std::size_t put = 0;
  int err = 0;
  while (put < text.size() && err == 0) {
    const ssize_t n = ::write(fd.get(), text.data() + put, text.size() - put);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      err = errno;
    else
      put += static_cast<std::size_t>(n);
  }
  OPENSSL_cleanse(text.data(), text.size());
  if (err == 0 && ::fchmod(fd.get(), 0600) != 0) err = errno;
  if (err == 0 && ::fsync(fd.get()) != 0) err = errno;
  if (::close(fd.release()) != 0 && err == 0) err = errno;
  if (err == 0 && ::link(tmp.c_str(), path.c_str()) != 0 && errno != EEXIST) err = errno;
  ::unlink(tmp.c_str());
  if (err != 0) return io_error("cannot write signing key", path, err);
  return sync_directory(path.has_parent_path() ? path.parent_path() : ".");
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
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return io_error("cannot stat signing key", path, errno);
    if (Status s = create_key(path); !s) return s.error();
  }
  return read_key(path);
}

}  // namespace ikv::crypto
