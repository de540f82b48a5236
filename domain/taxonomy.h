// The taxonomy aggregate (stream "taxonomy"): the codes of sectors, themes,
// meeting formats and training topics, each with fi/sv/en labels. Its initial
// state already holds the built-in codes; an admin may add more.
//
// Thread-safety: plain values and pure functions; safe from any thread. A
// TaxonomyState shared between threads must not be evolved concurrently.
//
//   TaxonomyState t = initial_taxonomy_state();
//   t.contains(TaxonomyKind::kTheme, "forced_labour");   // true
//   auto d = decide(AddTaxonomyEntry{TaxonomyKind::kTheme, "debt_bondage", labels}, t, ctx);
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/decision.h"
#include "domain/values.h"

namespace ikv::domain {

struct DecisionContext;

// ---- events ----
struct TaxonomyEntryAdded {
  TaxonomyKind kind = TaxonomyKind::kTheme;
  std::string code;
  LocalizedText labels;

  bool operator==(const TaxonomyEntryAdded&) const = default;
};
using TaxonomyEvent = std::variant<TaxonomyEntryAdded>;

// ---- commands ----
struct AddTaxonomyEntry {
  TaxonomyKind kind = TaxonomyKind::kTheme;
  std::string code;      // lowercase snake_case, 2..64 characters
  LocalizedText labels;  // all three non-empty
};
using TaxonomyCommand = std::variant<AddTaxonomyEntry>;

// ---- state ----
class TaxonomyState {
 public:
  using Entries = std::map<std::string, LocalizedText, std::less<>>;

  // True when `code` is a code of `kind`.
  bool contains(TaxonomyKind kind, std::string_view code) const;
  // The labels of a code, or nullptr. The pointer lives as long as the state.
  const LocalizedText* labels(TaxonomyKind kind, std::string_view code) const;
  // The codes of a kind, in code order.
  const Entries& entries(TaxonomyKind kind) const;

  // Used by evolve: adds or replaces one entry.
  void put(TaxonomyKind kind, std::string code, LocalizedText labels);

  bool operator==(const TaxonomyState&) const = default;

 private:
  std::map<TaxonomyKind, Entries> entries_;
};

// The built-in codes of the product with their labels.
TaxonomyState initial_taxonomy_state();
// A shared, immutable instance of initial_taxonomy_state().
const TaxonomyState& builtin_taxonomy();

// Rejections: validation "invalid_code" (/code), "missing_label" (/labels/<lang>);
// conflict "taxonomy_code_exists" when the code exists with other labels.
// The same code with the same labels: no events.
Decision<TaxonomyEvent> decide(const TaxonomyCommand& command, const TaxonomyState& state,
                               const DecisionContext& context);
TaxonomyState evolve(TaxonomyState state, const TaxonomyEvent& event);

}  // namespace ikv::domain
