// Binary payloads, storage contract v2: each event as one FlatBuffers buffer
// of codec/events.fbs (identifier "IKV2"), read in place after verification,
// without an intermediate object tree. Part of ikv_codec's implementation:
// callers use event_codec.h, which picks this form by schema version.
//
// Personal data is sealed as in release 1, through the PersonalDataSealer for
// the member; what is sealed is a PersonalFields buffer (identifier "IKVP"),
// and the payload holds only the sealer's output.
//
// Thread-safety: reentrant; the sealer and opener must be safe for the
// calling thread.
//
//   Result<std::string> bytes = encode_binary(event, sealer);
//   Result<domain::Event> back = decode_binary(event.index(), *bytes, opener);
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "codec/personal_data.h"
#include "common/result.h"
#include "domain/event.h"

namespace ikv::codec {

// The payload of `event`. Errors: those of the sealer.
Result<std::string> encode_binary(const domain::Event& event, PersonalDataSealer& sealer);

// Decodes `payload` as the event type at `type_index` in domain::Event. Any
// bytes are safe to pass (the buffer is verified before it is read; a payload
// at an address that is not 4-aligned is copied first). Errors: kCorruption
// for a buffer that does not verify, lacks the identifier, holds another event
// type, a date that does not exist, an unknown enum value, text that is not
// UTF-8, or personal data that is not the member's or does not open to
// PersonalFields; the opener's own errors otherwise. Erased personal data
// reads as std::nullopt (MemberDetailsChanged: personal_erased = true).
// REQUIRES: type_index < std::variant_size_v<domain::Event>.
Result<domain::Event> decode_binary(std::size_t type_index, std::string_view payload,
                                    const PersonalDataOpener& opener);

}  // namespace ikv::codec
