#include "crypto/master_key.h"

#include <optional>
#include <string>
#include <utility>

#include <openssl/crypto.h>

#include "crypto/encoding.h"
#include "crypto/random.h"
#include "crypto/secret_file.h"

namespace ikv::crypto {
namespace {

constexpr std::size_t kMaxFileSize = 256;
constexpr std::string_view kWhat = "master key";

Result<AeadKey> read_key(const std::filesystem::path& path) {
  auto read = read_secret_file(path, kWhat, kMaxFileSize);
  if (!read) return read.error();
  std::string& text = *read;
  if (!text.empty() && text.back() == '\n') text.pop_back();
  std::optional<std::string> bytes = hex_decode(text);
  OPENSSL_cleanse(text.data(), text.size());
  std::optional<AeadKey> key;
  if (bytes) {
    key = aead_key_from_bytes(*bytes);
    OPENSSL_cleanse(bytes->data(), bytes->size());
  }
  if (!key) {
    return Error{ErrorCode::kCorruption,
                 "master key file does not hold 64 hex characters: " + path.string(),
                 {}};
  }
  return *key;
}

}  // namespace

Result<AeadKey> load_or_create_master_key(const std::filesystem::path& path) {
  auto exists = secret_file_exists(path, kWhat);
  if (!exists) return exists.error();
  if (!*exists) {
    const AeadKey key = generate_aead_key();
    std::string text = hex_encode(key) + "\n";
    Status created = create_secret_file(path, kWhat, text);
    OPENSSL_cleanse(text.data(), text.size());
    if (!created) return created.error();
  }
  return read_key(path);
}

}  // namespace ikv::crypto
