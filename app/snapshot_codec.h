// Registry snapshots: every read-model unit (projections/read_models.h) as of
// one log position, each in its own section with its own format version and
// checksum, in one compact binary value: a file beside the log for a data
// directory (app/snapshot_files.h), or the value under kSnapshotKey in the
// event store's side table eventstore::kSideSnapshots for an in-memory
// registry. The deciders' states
// are not in it: the sequencer folds a stream's state from its own events
// when a command needs it. A snapshot of an older format is not read: the
// registry replays the log instead.
//
// Grammar (primitives in projections/snapshot_io.h):
//
//   snapshot := "IKVS" | u32le format (kSnapshotFormat) | u64le position
//               | sha256(personal) | personal | varint section count | section*
//   personal := varint length | varint piece count | list of (string subject
//               | string sealed)
//   sealed   := the subject's vault seal() of: list of (varint ref | string piece)
//   section  := string unit name | varint unit format | varint unit position
//               | sha256(body) | string body
//
// A unit's body is what its save() wrote (projections/projection.h). A section
// whose checksum, format or body does not hold, or a unit with no section,
// does not spoil the others: that unit alone is rebuilt from the log (named
// in LoadedSnapshot::rebuilt). A header or personal part that does not hold
// spoils the whole snapshot (kCorruption).
//
// Personal data (names, e-mails, phones, normalised e-mail keys) is never in a
// body in clear text: the units number their pieces, which are grouped per
// member and sealed with that member's own key (the keys the event codec
// uses). A member erased since (no key) loads without personal data; erased
// members are never re-sealed.
//
// Making a snapshot takes two steps so that the registry's lock is held only
// while the state is read: draft_snapshot() (in a forked child that sees the
// state frozen, snapshot_fork.h, or under the shared lock), then
// seal_snapshot() outside it.
//
// Thread-safety: pure functions; the sealer and opener are thread-safe.
//
//   SnapshotDraft d = draft_snapshot(models, position);         // under the lock
//   auto bytes = seal_snapshot(std::move(d), vault);            // outside it
//   write_snapshot_file(data_dir, position, *bytes);
//   auto loaded = open_snapshot(*bytes, vault);  // kCorruption: ignore it, replay
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/personal_data.h"
#include "common/result.h"
#include "projections/read_models.h"
#include "projections/snapshot_io.h"

namespace ikv::app {

inline constexpr std::uint32_t kSnapshotFormat = 3;  // 3: a section per unit
inline constexpr std::string_view kSnapshotKey = "registry";

// A snapshot serialised but not yet sealed: holds personal data in clear text
// in memory; never store it as it is.
struct SnapshotDraft {
  struct Section {
    std::string name;
    std::uint32_t format = 0;
    std::uint64_t position = 0;
    std::string body;
  };
  std::uint64_t position = 0;
  std::vector<Section> sections;
  projections::PersonalPieces pieces;
};

// Serialises every unit as of `position`. REQUIRES: the models are not
// modified while this runs (the caller holds the lock, or runs in a forked
// child: snapshot_fork.h).
SnapshotDraft draft_snapshot(const projections::ReadModels& models, std::uint64_t position);
// The same, handing each unit's section to `out` as soon as it is made (so
// that one section at a time is in memory); the personal pieces of every
// section go to `pieces`.
void draft_sections(const projections::ReadModels& models, std::uint64_t position,
                    projections::PersonalPieces& pieces,
                    const std::function<void(SnapshotDraft::Section)>& out);

// Seals the draft's personal data per member and returns the snapshot bytes.
// Errors: the sealer's, except for erased members (their data is left out).
Result<std::string> seal_snapshot(SnapshotDraft draft, codec::PersonalDataSealer& sealer);

struct LoadedSnapshot {
  std::uint64_t position = 0;
  // Each unit at the position of its section; a unit in `rebuilt` is empty
  // (position 0) and must be fed from the start of the log.
  projections::ReadModels models;
  // "<unit>: <why>" for each unit whose section could not be used.
  std::vector<std::string> rebuilt;
};

// Reads snapshot bytes. Errors: kCorruption for a wrong magic, an unknown
// format version, or a personal part whose checksum does not match or that
// does not parse; the opener's errors.
// `into`: the empty units to load (every registered unit by default; a test
// adds its own).
Result<LoadedSnapshot> open_snapshot(std::string_view bytes,
                                     const codec::PersonalDataOpener& opener,
                                     projections::ReadModels into = projections::ReadModels());

// The log position a snapshot covers, read from its header only (nullopt
// when the bytes are not a snapshot of a known format).
std::optional<std::uint64_t> snapshot_position(std::string_view bytes);

}  // namespace ikv::app
