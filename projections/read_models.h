// ReadModels: the list of every projection unit (projections/projection.h)
// and the runner that feeds it. Each unit has its own position: a unit
// rebuilt from the log (its snapshot section was missing, corrupt or of
// another format) is fed from position 1 while the others skip what they
// have; position() is the lowest of them, where a catch-up scan starts.
//
// The units are registered in one place, the constructor in
// read_models.cc: adding a read model is its own file plus one line there
// (add<NewUnit>();). A test registers a test-only unit the same way, on an
// instance: models.add<CountingUnit>();
//
// Thread-safety: not internally synchronised; the owner guards it like a
// unit (apply under the exclusive lock, const methods under a shared one).
//
//   ReadModels models;
//   store.scan_all(models.position(), [&](const RecordedEvent& r) {
//     models.apply(r, decode(r));
//     return true;
//   });
//   const RegistryView& view = models.view();
//   const TrendCounters& trends = models.get<TrendCounters>();
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "projections/projection.h"
#include "projections/registry_view.h"

namespace ikv::projections {

class ReadModels {
 public:
  // Every registered unit, empty (position 0); the personal data they hold
  // sealed with the process's ephemeral seal (personal_seal.h).
  ReadModels();
  // The same, every unit (and any added later) sealing with `seal`.
  // REQUIRES: `seal` outlives the models.
  explicit ReadModels(const PersonalSeal& seal);
  ~ReadModels() = default;
  ReadModels(ReadModels&&) noexcept = default;
  ReadModels& operator=(ReadModels&&) noexcept = default;
  ReadModels(const ReadModels&) = delete;
  ReadModels& operator=(const ReadModels&) = delete;

  // Folds the event into every unit whose position is before it; a unit
  // already past it skips it. REQUIRES: events in log order.
  void apply(const eventstore::RecordedEvent& meta, const domain::Event& event);

  // The lowest position applied by any unit.
  std::uint64_t position() const;

  // The registry's main view (networks, rosters, meetings, taxonomy, tokens,
  // audit index): the cross-stream facts of the deciders and most reads.
  const RegistryView& view() const { return *view_; }

  // The unit of type P. REQUIRES: P is registered.
  template <class P>
  const P& get() const {
    for (const auto& unit : units_) {
      if (const auto* p = dynamic_cast<const P*>(unit.get())) return *p;
    }
    std::abort();
  }

  std::span<const std::unique_ptr<Projection>> units() const { return units_; }
  // The unit with this name, or nullptr.
  Projection* find(std::string_view name);

  // Registers one more unit, empty (position 0), fed from the next apply().
  // REQUIRES: its name is not taken.
  template <class P>
  P& add() {
    auto unit = std::make_unique<P>();
    P& ref = *unit;
    if (seal_ != nullptr) ref.seal_with(*seal_);
    units_.push_back(std::move(unit));
    return ref;
  }

  // After loading a unit's snapshot section: the position it covers.
  static void set_position(Projection& unit, std::uint64_t position) { unit.applied_ = position; }

  // {"<unit name>": unit dump, ...}: for comparing read models in tests.
  boost::json::value dump() const;

 private:
  // The constructor that registers every unit (read_models.cc).
  explicit ReadModels(const PersonalSeal* seal);

  // Declared first: add() reads it while view_ is initialised.
  const PersonalSeal* seal_ = nullptr;  // nullptr: each unit's default (the ephemeral seal)
  std::vector<std::unique_ptr<Projection>> units_;
  RegistryView* view_ = nullptr;  // one of units_
};

}  // namespace ikv::projections
