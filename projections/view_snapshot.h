// View snapshots: RegistryView (its read models and the stream versions) to
// the binary snapshot body and back, so a restart loads the view instead of
// folding the whole log again.
//
// Grammar (primitives in snapshot_io.h), format version kViewFormat:
//
//   view       := string seal id | varint position | stream_versions | networks | meetings
//                 | taxonomy | tokens
//                 | national        (a network: the national findings as its observations)
//   taxonomy   := varint kind count | per kind (domain::kAllTaxonomyKinds order):
//                 list of (string code | localized labels | optional family
//                 | strings aliases)
//   networks   := list of (string id | network)
//   network    := localized name | string region | string seat | optional date established_on
//                 | svarint established_recorded_at | list of stewardship (string steward
//                 | optional date from | svarint recorded_at | strings stewards)
//                 | list of member | list of observation | list of training request
//                 | list of training delivery | list of wish
//   wish       := string id | varint kind | string text | date recorded_on
//                 | optional format | svarint recorded_at | varint position
//   training request := string id | string topic | date requested_on
//                 | optional notes | svarint recorded_at
//   training delivery := string id | string topic | date delivered_on
//                 | svarint participants | svarint recorded_at | optional request_id
//   member     := string id | string sealed_personal | bool erased | string organisation
//                 | string sector | optional title | date joined_on | optional left_on
//                 | optional leave_reason | svarint joined_at | optional svarint left_at
//                 | list of earlier
//   earlier    := string sealed_personal | string organisation | string sector
//                 | optional title | svarint until   (details a correction replaced)
//   observation := string id | string theme | date observed_on | strings target_groups
//                 | optional meeting_id | optional summary | svarint recorded_at
//                 | varint position | bool retracted | optional retraction_reason
//                 | optional svarint retracted_at
//   stream_versions := list of (string stream | varint version), every stream
//                 but the kept meetings' (networks, tokens, taxonomy, national)
//   meetings   := list of (string record | varint version of "meeting-<id>"),
//                 the record as encode_meeting wrote it (meeting_view.h: id,
//                 details, status, first and last recorded times), in
//                 calendar order (first day, then id), so that the calendar
//                 rebuilt on load need not sort; a reader takes any order
//   tokens     := list of (string id | string name | varint role | strings networks
//                 | svarint issued_at | optional svarint revoked_at | string secret_hash
//                 | optional svarint expires_at
//                 | list of (string previous secret_hash | svarint valid_until))
//
// A member's personal data (current and earlier) is in the body only as the
// view holds it: sealed ("" for none) under the key the seal id names
// (personal_seal.h). A section whose seal id is not the reading view's is
// refused (kCorruption): the view is then rebuilt from the log.
//
// Thread-safety: pure functions; write_view reads the view, so the caller
// holds the view's lock (shared) while it runs.
//
//   SnapshotWriter w;
//   write_view(view, w);
//   ... store w.bytes() ...
//   SnapshotReader r(bytes);
//   auto view = read_view(r, seal);   // kCorruption on malformed input
#pragma once

#include <cstdint>

#include "common/result.h"
#include "projections/registry_view.h"
#include "projections/snapshot_io.h"

namespace ikv::projections {

// 2: a token's secret hash; 3: a token's expiry and previous (rotated)
// secrets, and corrections (earlier member details, retracted observations,
// MeetingRecordAmended in a meeting's history); 4: optional dates and formats,
// steward lists; 5: target groups in the taxonomy, a theme's family and a target
// group's aliases, a delivery's request_id; 6: a network's wishes, the national
// findings; 7: a meeting keeps the recorded times of its first and last
// events instead of a copy of every event; 8: no list of meetings by network
// (the calendar, rebuilt on load, files each meeting under its networks); 9:
// no audit index (a unit of its own, projections/audit_index.h); 10: personal
// fields sealed in the body, under the seal the section names; 11: a
// meeting's stream version with its record, not among the stream versions
inline constexpr std::uint32_t kViewFormat = 11;

// Appends the view to `out`.
void write_view(const RegistryView& view, SnapshotWriter& out);

// Reads a view written by write_view; the view keeps `seal`.
// Errors: kCorruption when the bytes do not parse or were sealed under
// another seal. REQUIRES: `seal` outlives the view.
Result<RegistryView> read_view(SnapshotReader& in, const PersonalSeal& seal);

}  // namespace ikv::projections
