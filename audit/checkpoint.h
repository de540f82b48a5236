// Signed checkpoints of the hash chain (API.md "Audit evidence that an
// outsider can check"; docs/audit-evidence.md): a statement, signed with the
// server's Ed25519 key, that the log's event at `position` has `hash`.
//
// Signed message (ASCII, no newline):
//
//   ikv-checkpoint:v1:<position>:<hash>:<signed_at>
//
// position: decimal, no leading zeros (0 for an empty log); hash: 64
// lower-case hex (all zeros at position 0); signed_at: RFC 3339 UTC to the
// second ("2024-05-15T10:00:00Z"). The answer and the file ikv-verify reads
// are the JSON object {"position", "hash", "signed_at", "key_id", "signature"},
// `signature` being the standard padded base64 of the 64 signature bytes.
//
// Thread-safety: plain values and pure functions.
//
//   Checkpoint c = sign_checkpoint(key, 412, head_hash_hex, format_signed_at(now_us));
//   if (auto s = verify_checkpoint(key.verifying_key(), c); !s) reject(s.error());
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "common/result.h"
#include "crypto/signing_key.h"

namespace ikv::audit {

// The hash of position 0 (and the first event's prev_hash): 32 zero bytes.
inline const std::string kZeroHashHex(64, '0');

struct Checkpoint {
  std::uint64_t position = 0;
  std::string hash;       // 64 lower-case hex
  std::string signed_at;  // RFC 3339 UTC, seconds
  std::string key_id;     // crypto::VerifyingKey::key_id() of the signer
  std::string signature;  // base64 (RFC 4648, padded) of the Ed25519 signature
  bool operator==(const Checkpoint&) const = default;
};

// The ASCII bytes that are signed.
std::string checkpoint_message(std::uint64_t position, std::string_view hash,
                               std::string_view signed_at);

// UTC microseconds since the epoch as "YYYY-MM-DDTHH:MM:SSZ".
std::string format_signed_at(std::int64_t unix_us);

// Signs (position, hash, signed_at) with `key`.
Checkpoint sign_checkpoint(const crypto::SigningKey& key, std::uint64_t position, std::string hash,
                           std::string signed_at);

// Ok when `c` is well formed, names `key`'s id and carries its valid
// signature. Errors (kCorruption) say which of these fails.
Status verify_checkpoint(const crypto::VerifyingKey& key, const Checkpoint& c);

boost::json::object to_json(const Checkpoint& c);
// Parses the JSON text of a checkpoint (as served). Errors: kInvalidArgument
// naming the missing or malformed field.
Result<Checkpoint> checkpoint_from_json(std::string_view text);

// True for 64 lower-case hex characters.
bool is_hash_hex(std::string_view s);

}  // namespace ikv::audit
