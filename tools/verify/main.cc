// ikv-verify: checks an audit export (GET /v1/audit/export) against a signed
// checkpoint (GET /v1/audit/checkpoints/latest, saved as served) and the
// server's public key (GET /v1/audit/public-key), offline.
//
//   ikv-verify EXPORT --checkpoint FILE --public-key FILE
//
// Exit status: 0 when the checkpoint's signature verifies and the export's
// chain is intact from position 1 through the checkpoint's position and hash;
// 1 when the evidence does not verify (the first bad line is named on stderr);
// 2 for a usage error or a file that cannot be read.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>

#include "audit/checkpoint.h"
#include "audit/export_verifier.h"
#include "crypto/signing_key.h"

namespace {

constexpr int kVerified = 0;
constexpr int kNotVerified = 1;
constexpr int kUsage = 2;

int usage() {
  std::cerr << "usage: ikv-verify EXPORT --checkpoint FILE --public-key FILE\n";
  return kUsage;
}

bool read_whole(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  out = s.str();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string export_path, checkpoint_path, key_path;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if ((a == "--checkpoint" || a == "--public-key") && i + 1 < argc) {
      (a == "--checkpoint" ? checkpoint_path : key_path) = argv[++i];
    } else if (a == "--help" || a == "-h") {
      usage();
      return kVerified;
    } else if (!a.starts_with("--") && export_path.empty()) {
      export_path = a;
    } else {
      return usage();
    }
  }
  if (export_path.empty() || checkpoint_path.empty() || key_path.empty()) return usage();

  std::string key_text, checkpoint_text;
  if (!read_whole(key_path, key_text)) {
    std::cerr << "ikv-verify: cannot read " << key_path << "\n";
    return kUsage;
  }
  if (!read_whole(checkpoint_path, checkpoint_text)) {
    std::cerr << "ikv-verify: cannot read " << checkpoint_path << "\n";
    return kUsage;
  }
  auto key = ikv::crypto::VerifyingKey::from_pem(key_text);
  if (!key) {
    std::cerr << "ikv-verify: " << key_path << ": " << key.error().message << "\n";
    return kNotVerified;
  }
  auto checkpoint = ikv::audit::checkpoint_from_json(checkpoint_text);
  if (!checkpoint) {
    std::cerr << "ikv-verify: " << checkpoint_path << ": " << checkpoint.error().message << "\n";
    return kNotVerified;
  }
  if (auto s = ikv::audit::verify_checkpoint(*key, *checkpoint); !s) {
    std::cerr << "ikv-verify: " << checkpoint_path << ": " << s.error().message << "\n";
    return kNotVerified;
  }

  std::ifstream in(export_path, std::ios::binary);
  if (!in) {
    std::cerr << "ikv-verify: cannot read " << export_path << "\n";
    return kUsage;
  }
  ikv::audit::ChainVerifier verifier;
  verifier.expect_checkpoint(*checkpoint);
  std::string line;
  while (std::getline(in, line)) {
    if (!verifier.feed(line)) break;
  }
  if (auto s = verifier.finish(); !s) {
    std::cerr << "ikv-verify: " << export_path << ": " << s.error().message << "\n";
    return kNotVerified;
  }
  std::cout << "ok: " << verifier.lines() << " lines, chain intact through position "
            << verifier.last_position() << "; checkpoint at position " << checkpoint->position
            << " (line " << verifier.checkpoint_line() << ") signed " << checkpoint->signed_at
            << " by key " << checkpoint->key_id << "\n";
  return kVerified;
}
