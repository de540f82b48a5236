// The stored form of an event and the stream index's key.
//
// Record grammar (all integers big-endian):
//
//   record  := prev_hash[32] body hash[32]
//   body    := u64 position  u64 version  i64 recorded_at_us  u32 schema_version
//              lp stream  lp event_id  lp type
//              lp actor  lp correlation_id  lp causation_id  lp idempotency_key
//              lp payload
//   lp      := u32 length, then that many bytes
//   hash    := SHA-256(prev_hash || body)
//
// The first event's prev_hash is 32 zero bytes. The body is the canonical
// envelope: a verifier recomputes the hash from the stored bytes alone.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "eventstore/event_store.h"

namespace ikv::eventstore {

// Appends the 8 big-endian bytes of v to out; BE order makes byte order numeric.
void put_be64(std::string& out, std::uint64_t v);
std::uint64_t get_be64(std::string_view in);  // REQUIRES: in.size() >= 8
std::string be64(std::uint64_t v);

// Encodes `e` (position, version, recorded_at and prev_hash already set),
// computes its hash into e.hash and returns the record bytes.
std::string encode_record(RecordedEvent& e);

// The canonical envelope of `e`: the `body` of the grammar above, the exact
// bytes its hash covers (hash = SHA-256(prev_hash || envelope)). The grammar
// is canonical, so the envelope of a decoded record is the stored body, byte
// for byte. Published by the audit export (docs/audit-evidence.md).
std::string encode_envelope(const RecordedEvent& e);

// Decodes record bytes; std::nullopt if malformed. Does not check the hash.
std::optional<RecordedEvent> decode_record(std::string_view bytes);
// Decodes into `e`, reusing its strings' storage (for scans); false if malformed.
bool decode_record_into(std::string_view bytes, RecordedEvent& e);

// Recomputes the hash of a stored record from its prev_hash and body.
std::optional<Hash> recompute_hash(std::string_view bytes);

// Two events carry the same content for idempotency purposes.
bool same_content(const RecordedEvent& stored, const EventData& proposed);

// SHA-256 of `bytes`.
Hash sha256(std::string_view bytes);

// Key of the stream index: stream \0 BE(version).
std::string stream_key(std::string_view stream, std::uint64_t version);

}  // namespace ikv::eventstore
