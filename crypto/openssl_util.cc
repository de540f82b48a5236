#include "crypto/openssl_util.h"

#include <stdexcept>

#include <openssl/err.h>

namespace ikv::crypto::detail {

std::string openssl_error(std::string_view what) {
  std::string out(what);
  const unsigned long code = ERR_get_error();
  if (code != 0) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    out += ": ";
    out += buf;
  }
  ERR_clear_error();
  return out;
}

void throw_openssl_error(std::string_view what) { throw std::runtime_error(openssl_error(what)); }

}  // namespace ikv::crypto::detail
