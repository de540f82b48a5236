// Release-1 payloads: the JSON objects that storage contract v1 wrote (schema
// versions 1..json_version of each type, see event_schema.h). The log keeps
// them as written; they are read through here, old versions upcast on read
// (upcast.h). Part of ikv_codec's implementation: callers use event_codec.h.
//
// Personal data in a release-1 payload:
//   "personal": null | {"subject": <member id>, "sealed": <opaque string>}
// where the sealed text is the JSON {"name", "email", "phone"} (phone may be
// null) encrypted by the PersonalDataSealer for that subject.
//
// Thread-safety: reentrant; the sealer and opener must be safe for the
// calling thread.
//
//   auto e = decode_release1(index_of_type, 2, R"({"member_id":...})", opener);
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "codec/personal_data.h"
#include "common/result.h"
#include "domain/event.h"

namespace ikv::codec {

// Decodes a JSON payload of the event type at `type_index` in domain::Event,
// written at `schema_version`. REQUIRES: type_index < variant_size of
// domain::Event and 1 <= schema_version <= its json_version. Errors as
// codec::decode's.
Result<domain::Event> decode_release1(std::size_t type_index, std::uint32_t schema_version,
                                      std::string_view payload, const PersonalDataOpener& opener);

// The JSON payload release 1 wrote for `event` (at its json_version), with
// personal data sealed. Never used to write the log: for tests of the read
// path and fuzzing seeds. Errors: those of the sealer.
Result<std::string> encode_release1(const domain::Event& event, PersonalDataSealer& sealer);

}  // namespace ikv::codec
