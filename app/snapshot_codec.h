// Registry snapshots: every read model (projections::RegistryView) as of one
// log position, in one compact, versioned, checksummed binary value, stored
// under kSnapshotKey in the event store's side table
// eventstore::kSideSnapshots. The deciders' states are not in it: the
// sequencer folds a stream's state from its own events when a command needs
// it. A snapshot of format 1 (which also held those states) is not read: the
// registry replays the log instead.
//
// Grammar (primitives in projections/snapshot_io.h):
//
//   snapshot := "IKVS" | u32le format (kSnapshotFormat) | u32le view format
//               (projections::kViewFormat) | u64le position | sha256(body) | body
//   body     := string view | personal
//   personal := varint piece count | list of (string subject | string sealed)
//   sealed   := the subject's vault seal() of: list of (varint ref | string piece)
//
// Personal data (names, e-mails, phones, normalised e-mail keys) is never in
// the body in clear text: it is grouped per member and sealed with that
// member's own key (the keys the event codec uses). A member erased since
// (no key) loads without personal data; erased members are never re-sealed.
//
// Making a snapshot takes two steps so that the registry's lock is held only
// while the state is read: draft_snapshot() under the shared lock, then
// seal_snapshot() outside it.
//
// Thread-safety: pure functions; the sealer and opener are thread-safe.
//
//   SnapshotDraft d = draft_snapshot(view, position);           // under the lock
//   auto bytes = seal_snapshot(std::move(d), vault);            // outside it
//   store.side_put(kSideSnapshots, kSnapshotKey, *bytes);
//   auto loaded = open_snapshot(*bytes, vault);  // kCorruption: ignore it, replay
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "codec/personal_data.h"
#include "common/result.h"
#include "projections/registry_view.h"
#include "projections/snapshot_io.h"

namespace ikv::app {

inline constexpr std::uint32_t kSnapshotFormat = 2;
inline constexpr std::string_view kSnapshotKey = "registry";

// A snapshot serialised but not yet sealed: holds personal data in clear text
// in memory; never store it as it is.
struct SnapshotDraft {
  std::uint64_t position = 0;
  std::string view;
  projections::PersonalPieces pieces;
};

// Serialises the view as of `position`. REQUIRES: it is not modified while
// this runs (the caller holds the lock).
SnapshotDraft draft_snapshot(const projections::RegistryView& view, std::uint64_t position);

// Seals the draft's personal data per member and returns the snapshot bytes.
// Errors: the sealer's, except for erased members (their data is left out).
Result<std::string> seal_snapshot(SnapshotDraft draft, codec::PersonalDataSealer& sealer);

struct LoadedSnapshot {
  std::uint64_t position = 0;
  projections::RegistryView view;
};

// Reads snapshot bytes. Errors: kCorruption for a wrong magic, an unknown
// format version, a checksum that does not match or a body that does not
// parse; the opener's errors.
Result<LoadedSnapshot> open_snapshot(std::string_view bytes,
                                     const codec::PersonalDataOpener& opener);

// The log position a snapshot covers, read from its header only (nullopt
// when the bytes are not a snapshot of a known format).
std::optional<std::uint64_t> snapshot_position(std::string_view bytes);

}  // namespace ikv::app
