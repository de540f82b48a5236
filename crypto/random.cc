#include "crypto/random.h"

#include <algorithm>
#include <climits>
#include <cstdint>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "crypto/encoding.h"
#include "crypto/openssl_util.h"

namespace ikv::crypto {

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  std::size_t done = 0;
  while (done < n) {
    const int chunk = static_cast<int>(std::min<std::size_t>(n - done, INT_MAX));
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data() + done), chunk) != 1) {
      detail::throw_openssl_error("RAND_bytes failed");
    }
    done += static_cast<std::size_t>(chunk);
  }
  return out;
}

std::string uuid_v4() {
  std::string b = random_bytes(16);
  b[6] = static_cast<char>((static_cast<std::uint8_t>(b[6]) & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<char>((static_cast<std::uint8_t>(b[8]) & 0x3F) | 0x80);  // variant 10
  const std::string h = hex_encode(b);
  std::string out;
  out.reserve(36);
  out.append(h, 0, 8).append(1, '-');
  out.append(h, 8, 4).append(1, '-');
  out.append(h, 12, 4).append(1, '-');
  out.append(h, 16, 4).append(1, '-');
  out.append(h, 20, 12);
  return out;
}

std::string random_token(std::string_view prefix) {
  std::string out(prefix);
  out += '_';
  std::string secret = random_bytes(kTokenRandomBytes);
  out += base64url_encode(secret);
  OPENSSL_cleanse(secret.data(), secret.size());
  return out;
}

}  // namespace ikv::crypto
