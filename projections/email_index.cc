#include "projections/email_index.h"

#include <algorithm>
#include <cstring>

#include "crypto/hash.h"
#include "crypto/random.h"
#include "domain/text.h"

namespace ikv::projections {
namespace {

// HMAC-SHA-256 of the normalised address under a random per-process key, cut to 64 bits.
std::uint64_t keyed_hash(std::string_view email) {
  static const std::string key = crypto::random_bytes(32);
  const crypto::Digest digest = crypto::hmac_sha256(key, domain::normalize_email(email));
  std::uint64_t h = 0;
  std::memcpy(&h, digest.data(), sizeof h);
  return h;
}

}  // namespace

EmailIndex& EmailIndex::operator=(const EmailIndex& other) {
  if (this != &other) reset();
  return *this;
}

EmailIndex& EmailIndex::operator=(EmailIndex&& other) noexcept {
  if (this != &other) reset();
  return *this;
}

void EmailIndex::reset() {
  std::lock_guard lock(mu_);
  built_ = false;
  ids_.clear();
}

void EmailIndex::note(std::string_view email, std::string_view member_id) {
  std::lock_guard lock(mu_);
  if (built_) add_locked(email, member_id);
}

void EmailIndex::add_locked(std::string_view email, std::string_view member_id) const {
  const std::uint64_t h = keyed_hash(email);
  const auto [first, last] = ids_.equal_range(h);
  if (std::any_of(first, last, [&](const auto& entry) { return entry.second == member_id; })) {
    return;
  }
  ids_.emplace(h, std::string(member_id));
}

std::vector<std::string> EmailIndex::candidates(std::string_view email, const Build& build) const {
  std::lock_guard lock(mu_);
  if (!built_) {
    build([this](std::string_view address, std::string_view member_id) {
      add_locked(address, member_id);
    });
    built_ = true;
  }
  std::vector<std::string> out;
  const auto [first, last] = ids_.equal_range(keyed_hash(email));
  for (auto it = first; it != last; ++it) out.push_back(it->second);
  return out;
}

}  // namespace ikv::projections
