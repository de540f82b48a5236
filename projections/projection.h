// Projection: one read model as a unit of its own. It folds committed events
// in log order, knows the position it has applied, and saves and loads its
// own snapshot section under its own name and format version. A runner
// (projections/read_models.h) feeds the list of them; a unit never reads
// another unit.
//
// Contract:
// - apply(meta, event) is called for each committed event in log order with
//   meta.position > position(), and only by the runner, which then moves
//   position() to meta.position. It folds the event as it is (the writer's
//   decided event or one decoded from the log: the same value either way), is
//   pure (no I/O, no clocks, no logging) and may throw only for a bug; the
//   owner then stops applying the log at that event (fail-stop).
// - save() writes the unit's state into its section: personal data (names,
//   e-mails, phones) never in clear in the body, but through `pieces` or as
//   the unit already holds it sealed (the view, personal_seal.h). load() reads a
//   section that save() of the same format() wrote into an empty unit and
//   returns false (leaving it to be cleared) when the bytes do not parse.
// - A unit that changes what it keeps or how it saves it bumps format(): a
//   section of another format is not read, and that unit alone is rebuilt
//   from the log.
// - dump() shows everything the unit holds, personal data included, for
//   comparing a rebuild, a restart from a snapshot and incremental updating
//   in tests. Never serve it, never store it.
//
// Thread-safety: not internally synchronised; the owner guards every unit
// with its read models' lock (apply under the exclusive lock, const methods
// under a shared one).
//
//   class Attendance final : public Projection {
//    public:
//     std::string_view name() const override { return "attendance"; }
//     std::uint32_t format() const override { return 1; }
//     void apply(const eventstore::RecordedEvent& meta, const domain::Event& e) override;
//     ...
//   };
//   // and one line in ReadModels' constructor (read_models.cc): add<Attendance>();
#pragma once

#include <cstdint>
#include <string_view>

#include <boost/json/value.hpp>

#include "domain/event.h"
#include "eventstore/event_store.h"
#include "projections/personal_seal.h"
#include "projections/snapshot_io.h"

namespace ikv::projections {

class Projection {
 public:
  virtual ~Projection() = default;

  // The unit's name: its snapshot section and its key in dumps. Unique.
  virtual std::string_view name() const = 0;
  // The format of its snapshot section (>= 1).
  virtual std::uint32_t format() const = 0;

  virtual void apply(const eventstore::RecordedEvent& meta, const domain::Event& event) = 0;

  virtual void save(SnapshotWriter& out, PersonalPieces& pieces) const = 0;
  virtual bool load(SnapshotReader& in, const OpenedPieces& opened) = 0;
  // Back to the empty unit (before position 1), keeping its seal.
  virtual void clear() = 0;

  // The seal for the personal data the unit holds (personal_seal.h); the
  // runner calls it before the unit's first apply() or load(). A unit that
  // holds none ignores it. REQUIRES: `seal` outlives the unit.
  virtual void seal_with(const PersonalSeal& /*seal*/) {}

  virtual boost::json::value dump() const = 0;

  // The position of the last event the runner applied (0: none).
  std::uint64_t applied_position() const { return applied_; }

  // Units compare their own state (a defaulted operator== in a unit compares
  // its members; where it was fed from does not count).
  bool operator==(const Projection&) const { return true; }

 protected:
  Projection() = default;
  Projection(const Projection&) = default;
  Projection& operator=(const Projection&) = default;
  Projection(Projection&&) = default;
  Projection& operator=(Projection&&) = default;

 private:
  friend class ReadModels;
  std::uint64_t applied_ = 0;
};

}  // namespace ikv::projections
