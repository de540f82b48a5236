// Internal helpers shared by the crypto module's OpenSSL code: RAII holders for
// OpenSSL objects and the text of the thread's last OpenSSL error. Not part of
// the module's public interface.
//
// Thread-safety: free functions; OpenSSL's error queue is per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <openssl/evp.h>

namespace ikv::crypto::detail {

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

struct MacCtxFree {
  void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, MacCtxFree>;

// "<what>: <OpenSSL's reason>", and clears the thread's OpenSSL error queue.
std::string openssl_error(std::string_view what);

// Throws std::runtime_error(openssl_error(what)). For failures that mean a bug
// or resource exhaustion, never bad input.
[[noreturn]] void throw_openssl_error(std::string_view what);

}  // namespace ikv::crypto::detail
