// The aggregate-state part of a registry snapshot (see snapshot_codec.h for
// the whole format):
//
//   states   := list of (string id | varint version | varint position | network)
//               | list of (string id | varint version | varint position | meeting)
//               | varint version | varint position | taxonomy
//               | list of (string id | varint version | varint position | token)
//               | list of (string member | string network)
//               | list of (string secret hash | string token)
//   network  := varint 0 | varint 1 string id | localized name | string region
//               | string seat | date established_on | list of (string steward | date)
//               | list of member | strings current e-mail owners (member ids)
//   member   := string id | string organisation | string sector | optional title
//               | date joined_on | optional left_on | bool erased | varint personal_ref
//   meeting  := varint alternative | details (planned, cancelled + optional reason,
//               held + meeting_held)
//   taxonomy := list of (varint kind | list of (string code | localized labels))
//   token    := varint alternative | string id | string name | varint role
//               | strings networks | string secret_hash
//
// A member's personal piece holds optional personal data and the optional
// normalised e-mail key; the e-mail index is rebuilt from the members' keys.
//
// Thread-safety: pure functions over values the caller owns.
//
//   write_states(state, writer, pieces);
//   RegistryState back;
//   if (!read_states(reader, opened, back)) return corrupt();
#pragma once

#include "app/registry_state.h"
#include "projections/snapshot_io.h"

namespace ikv::app {

void write_states(const RegistryState& state, projections::SnapshotWriter& out,
                  projections::PersonalPieces& pieces);

// False when the bytes do not parse (`out` is then unspecified).
bool read_states(projections::SnapshotReader& in, const projections::OpenedPieces& opened,
                 RegistryState& out);

}  // namespace ikv::app
