// The event codec: the storage contract between domain events and the stored
// records of the event store. Each event has a stable type name (its struct
// name, e.g. "MemberJoined") and a schema version, which together say how its
// payload is written:
//
// - Storage contract v2 (written now): a FlatBuffers buffer of
//   codec/events.fbs, read in place after verification, at the type's current
//   schema version (kTypeInfo in event_schema.h: the last JSON version + 1).
// - Release 1 (read only): a JSON object, at schema versions 1..the type's
//   last JSON version; old versions are upcast on read (upcast.h). Stored
//   events are never rewritten, so the event store's hash chain, which covers
//   the record bytes as stored, verifies as written.
//
// Personal data is sealed through a PersonalDataSealer and never written in
// clear text. docs/storage-encoding.md tells the whole contract.
//
// Thread-safety: the functions are reentrant; the sealer and opener passed in
// must be safe for the calling thread.
//
//   Result<EncodedEvent> enc = encode(to_event(member_joined), sealer);
//   store.append({..., .events = {{id, enc->type, enc->schema_version, enc->payload}}});
//   Result<domain::Event> ev = decode(rec.type, rec.schema_version, rec.payload, opener);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/personal_data.h"
#include "common/result.h"
#include "domain/event.h"

namespace ikv::codec {

struct EncodedEvent {
  std::string type;                  // e.g. "MemberJoined"
  std::uint32_t schema_version = 1;  // the current version of the type
  std::string payload;               // its binary payload, personal data sealed
};

// Encodes an event in its current schema version (the binary form). Errors:
// those of the sealer (for MemberJoined and MemberDetailsChanged with personal
// data).
Result<EncodedEvent> encode(const domain::Event& event, PersonalDataSealer& sealer);

// Decodes a stored event of either form, upcasting old schema versions. Any
// bytes are safe to pass as the payload. Personal data whose key has been
// erased decodes as std::nullopt (MemberDetailsChanged also sets
// personal_erased). Errors: kCorruption for an unknown type, an unknown or
// future schema version, a payload that is not of its version's form (not
// JSON, or a binary buffer that does not verify or holds another type) or
// lacks a field or has a field of the wrong type or an impossible value, or
// personal data that does not decrypt to the expected shape; the opener's own
// errors otherwise.
Result<domain::Event> decode(std::string_view type, std::uint32_t schema_version,
                             std::string_view payload, const PersonalDataOpener& opener);

// The stable type name of the event.
std::string_view type_name(const domain::Event& event);
// Every event type name, in the order of domain::Event.
const std::vector<std::string_view>& event_type_names();
// The current schema version of a type, or nullopt for an unknown type.
std::optional<std::uint32_t> current_schema_version(std::string_view type);

}  // namespace ikv::codec
