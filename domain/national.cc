#include "domain/national.h"

#include "domain/checks.h"
#include "domain/form_checks.h"

namespace ikv::domain {

namespace {

struct Apply {
  NationalState& s;
  void operator()(const ObservationRecorded& e) const {
    s.observations.try_emplace(e.observation_id, false);
  }
  void operator()(const ObservationRetracted& e) const {
    if (auto it = s.observations.find(e.observation_id); it != s.observations.end()) {
      it->second = true;
    }
  }
};

class Decider {
 public:
  Decider(const NationalState& s, const DecisionContext& ctx) : s_(s), ctx_(ctx) {}

  Decision<NationalEvent> operator()(const RecordObservation& c) const {
    const TaxonomyState& taxonomy = ctx_.taxonomy_or_builtin();
    if (auto issues = national_observation_issues(c, taxonomy); !issues.empty()) {
      return issues.front();
    }
    if (s_.observations.contains(c.observation_id)) {
      return conflict("observation_exists", "observation '" + c.observation_id + "' exists",
                      "/observation_id");
    }
    return std::vector<NationalEvent>{ObservationRecorded{
        c.observation_id, c.theme, c.observed_on, stored_target_groups(c.target_groups, taxonomy),
        std::nullopt, non_blank(c.summary)}};
  }

  Decision<NationalEvent> operator()(const RetractObservation& c) const {
    const auto it = s_.observations.find(c.observation_id);
    if (it == s_.observations.end()) {
      return not_found("observation_not_found", "no national finding '" + c.observation_id + "'");
    }
    if (auto r = require_text(c.reason, "/reason")) return *r;
    if (it->second) return std::vector<NationalEvent>{};
    return std::vector<NationalEvent>{ObservationRetracted{c.observation_id, trimmed(c.reason)}};
  }

 private:
  const NationalState& s_;
  const DecisionContext& ctx_;
};

}  // namespace

NationalState evolve(NationalState state, const NationalEvent& event) {
  std::visit(Apply{state}, event);
  return state;
}

Decision<NationalEvent> decide(const NationalCommand& command, const NationalState& state,
                               const DecisionContext& context) {
  return std::visit(Decider(state, context), command);
}

}  // namespace ikv::domain
