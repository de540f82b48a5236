#include "projections/read_models.h"

#include <algorithm>
#include <limits>

#include <boost/json.hpp>

#include "projections/audit_index.h"
#include "projections/join_requests.h"
#include "projections/trend_counters.h"

namespace ikv::projections {

// Every read model, one line each. A unit's name is its snapshot section.
ReadModels::ReadModels(const PersonalSeal* seal) : seal_(seal), view_(&add<RegistryView>()) {
  add<JoinRequests>();
  add<TrendCounters>();
  add<AuditIndex>();
}

ReadModels::ReadModels() : ReadModels(nullptr) {}

ReadModels::ReadModels(const PersonalSeal& seal) : ReadModels(&seal) {}

void ReadModels::apply(const eventstore::RecordedEvent& meta, const domain::Event& event) {
  for (const auto& unit : units_) {
    if (meta.position <= unit->applied_) continue;
    unit->apply(meta, event);
    unit->applied_ = meta.position;
  }
}

std::uint64_t ReadModels::position() const {
  std::uint64_t lowest = std::numeric_limits<std::uint64_t>::max();
  for (const auto& unit : units_) lowest = std::min(lowest, unit->applied_);
  return units_.empty() ? 0 : lowest;
}

Projection* ReadModels::find(std::string_view name) {
  for (const auto& unit : units_) {
    if (unit->name() == name) return unit.get();
  }
  return nullptr;
}

boost::json::value ReadModels::dump() const {
  boost::json::object out;
  for (const auto& unit : units_) out[unit->name()] = unit->dump();
  return out;
}

}  // namespace ikv::projections
