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
//               | sha256(personal) | u64le personal offset | u32le section count
//               | section* | personal
//   section  := string unit name | varint unit format | varint unit position
//               | sha256(body) | string body
//   personal := varint piece count | varint group count | group*
//               (from the personal offset to the end)
//   group    := string subject | string sealed
//   sealed   := the subject's vault seal() of: list of (varint ref | string piece)
//
// The personal part comes last and the header's checksums, offset and count
// are filled in once their values are known (SnapshotOutput::patch), so that
// a snapshot is written as its draft comes, a part of a section at a time,
// and never whole in memory (SnapshotEncoder).
//
// A unit's body is what its save() wrote (projections/projection.h). A section
// whose checksum, format or body does not hold, or a unit with no section,
// does not spoil the others: that unit alone is rebuilt from the log (named
// in LoadedSnapshot::rebuilt). A header or personal part that does not hold
// spoils the whole snapshot (kCorruption).
//
// Personal data (names, e-mails, phones, normalised e-mail keys) is never in a
// body in clear text: a unit either keeps it sealed already under the vault's
// keys (the view's members and the join requests, projections/personal_seal.h:
// the units registered today) or numbers its pieces, which are grouped per
// subject and sealed here with that subject's own key (the keys the event
// codec uses). A subject erased since (no key) loads without personal data;
// erased subjects are never re-sealed.
//
// Making a snapshot takes two steps so that the registry's lock is held only
// while the state is read: drafting (in a forked child that sees the state
// frozen and streams its draft, snapshot_fork.h, or draft_snapshot() under
// the shared lock), then encoding and sealing outside it, into a file as
// the draft comes (SnapshotFileWriter, snapshot_files.h) or into memory.
//
// Thread-safety: pure functions, and an encoder used by one thread; the
// sealer and opener are thread-safe.
//
//   SnapshotDraft d = draft_snapshot(models, position);         // under the lock
//   auto bytes = seal_snapshot(d, vault);                       // outside it
//   auto loaded = open_snapshot(*bytes, vault);  // kCorruption: ignore it, replay
//
//   SnapshotEncoder encoder(file, position);                    // streaming
//   feed_draft(draft, encoder); encoder.finish(draft.pieces, vault); file.commit();
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/personal_data.h"
#include "common/result.h"
#include "crypto/hash.h"
#include "projections/read_models.h"
#include "projections/snapshot_io.h"

namespace ikv::app {

// 3: a section per unit; 4: the personal part last, the header patched.
inline constexpr std::uint32_t kSnapshotFormat = 4;
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

// Where a snapshot's bytes go as they are made: appended in order; patch()
// overwrites bytes already appended (a checksum, an offset or a count whose
// value is known only later).
class SnapshotOutput {
 public:
  virtual ~SnapshotOutput() = default;
  virtual Status append(std::string_view bytes) = 0;
  // REQUIRES: [at, at + bytes.size()) was appended.
  virtual Status patch(std::uint64_t at, std::string_view bytes) = 0;
  virtual std::uint64_t size() const = 0;

 protected:
  // Implementations may be copied and moved; the interface alone may not (no slicing).
  SnapshotOutput() = default;
  SnapshotOutput(const SnapshotOutput&) = default;
  SnapshotOutput& operator=(const SnapshotOutput&) = default;
  SnapshotOutput(SnapshotOutput&&) = default;
  SnapshotOutput& operator=(SnapshotOutput&&) = default;
};

// A snapshot made in memory (an in-memory registry's side table, tests).
class StringOutput final : public SnapshotOutput {
 public:
  Status append(std::string_view bytes) override;
  Status patch(std::uint64_t at, std::string_view bytes) override;
  std::uint64_t size() const override { return bytes_.size(); }
  std::string take() { return std::move(bytes_); }

 private:
  std::string bytes_;
};

// Takes a draft as it is made: each section's header, its body in parts
// (body_size bytes in all), its end.
class DraftSink {
 public:
  virtual ~DraftSink() = default;
  virtual Status begin_section(std::string_view name, std::uint32_t format, std::uint64_t position,
                               std::uint64_t body_size) = 0;
  virtual Status body(std::string_view part) = 0;
  virtual Status end_section() = 0;

 protected:
  DraftSink() = default;
  DraftSink(const DraftSink&) = default;
  DraftSink& operator=(const DraftSink&) = default;
  DraftSink(DraftSink&&) = default;
  DraftSink& operator=(DraftSink&&) = default;
};

// Writes a snapshot to `out` as its draft comes: the header (completed by
// finish()), each section as its parts arrive (its checksum patched in at its
// end), then the personal part, sealed. Holds nothing of a body. The first
// error sticks: every later call returns it. Errors: the output's; kInternal
// when the calls do not follow the grammar (a body longer or shorter than
// announced, finish() inside a section).
class SnapshotEncoder final : public DraftSink {
 public:
  SnapshotEncoder(SnapshotOutput& out, std::uint64_t position);
  Status begin_section(std::string_view name, std::uint32_t format, std::uint64_t position,
                       std::uint64_t body_size) override;
  Status body(std::string_view part) override;
  Status end_section() override;
  // Seals `pieces` per member and appends them; completes the header. Errors
  // also the sealer's, except for erased members (their data is left out).
  Status finish(const projections::PersonalPieces& pieces, codec::PersonalDataSealer& sealer);

 private:
  Status fail(std::string why);
  SnapshotOutput& out_;
  Status status_ = ok_status();
  std::uint32_t sections_ = 0;
  std::optional<crypto::Sha256> body_hash_;  // set while a section is open
  std::uint64_t digest_at_ = 0;              // where the open section's checksum goes
  std::uint64_t body_left_ = 0;
};

// Hands the sections of a draft held in memory to `sink`.
Status feed_draft(const SnapshotDraft& draft, DraftSink& sink);

// Seals the draft's personal data per member and returns the snapshot bytes.
// Errors: the sealer's, except for erased members (their data is left out).
Result<std::string> seal_snapshot(const SnapshotDraft& draft, codec::PersonalDataSealer& sealer);

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
// adds its own). `release`, when given, is handed each part of `bytes` the
// loader is done with, a few megabytes at a time, as it goes (a mapped file
// gives those pages back: MappedFile::release), so that the snapshot is never
// resident whole beside the read models built from it.
using ReleaseBytes = std::function<void(std::string_view)>;
Result<LoadedSnapshot> open_snapshot(std::string_view bytes,
                                     const codec::PersonalDataOpener& opener,
                                     projections::ReadModels into = projections::ReadModels(),
                                     const ReleaseBytes& release = {});

// The log position a snapshot covers, read from its header only (nullopt
// when the bytes are not a snapshot of a known format).
std::optional<std::uint64_t> snapshot_position(std::string_view bytes);

}  // namespace ikv::app
