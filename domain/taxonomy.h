// The taxonomy aggregate (stream "taxonomy"): the codes of sectors, themes,
// meeting formats, training topics and target groups, each with fi/sv/en
// labels. Its initial state already holds the built-in codes; an admin may add
// more.
//
// Theme families: a theme may name the theme it belongs to (`family`); a theme
// without one is its own family. Families are one level deep: the family
// named must be a theme that belongs to no family itself (a family of a
// family is rejected, not flattened, so a report never regroups silently).
//
// Target groups: besides the code and labels an entry has `aliases`. Every
// code, label and alias, folded (fold_term: trimmed, case-insensitive), is a
// term that names exactly one target group: a written target group that
// matches a term is stored as that group's code (network_decider.h).
//
// Thread-safety: plain values and pure functions; safe from any thread. A
// TaxonomyState shared between threads must not be evolved concurrently.
//
//   TaxonomyState t = initial_taxonomy_state();
//   t.contains(TaxonomyKind::kTheme, "forced_labour");   // true
//   auto d = decide(AddTaxonomyEntry{TaxonomyKind::kTheme, "debt_bondage", labels}, t, ctx);
//   t.target_group_of(" UKRAINARE ");                      // "ukrainian"
//   t.family_or_self("labour_exploitation");              // "forced_labour"

#pragma once

#include <map>
#include <optional>
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
  std::optional<std::string> family;  // themes: the family's theme code (release 2)
  std::vector<std::string> aliases;   // target groups: further terms, trimmed (release 2)

  bool operator==(const TaxonomyEntryAdded&) const = default;
};
using TaxonomyEvent = std::variant<TaxonomyEntryAdded>;

// ---- commands ----
struct AddTaxonomyEntry {
  TaxonomyKind kind = TaxonomyKind::kTheme;
  std::string code;                   // lowercase snake_case, 2..64 characters
  LocalizedText labels;               // all three non-empty
  std::optional<std::string> family;  // themes only: an existing theme in no family
  std::vector<std::string> aliases;   // target groups only: non-blank
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

  // The family a theme belongs to, or nullptr when it belongs to none.
  const std::string* family(std::string_view theme) const;
  // The family a theme counts under: its family, or the theme itself.
  std::string_view family_or_self(std::string_view theme) const;
  // Every theme with a family: theme -> family.
  const std::map<std::string, std::string, std::less<>>& families() const { return families_; }
  // A target group's aliases, as added (empty when none or unknown).
  const std::vector<std::string>& aliases(std::string_view target_group) const;
  // The target-group code whose code, label (any language) or alias folds
  // (fold_term) to the same term as `text`, or nullptr.
  const std::string* target_group_of(std::string_view text) const;

  // Used by evolve: adds or replaces one entry. A family is kept for themes,
  // aliases for target groups; a target group's terms go to the index unless
  // another group already has them.
  void put(TaxonomyKind kind, std::string code, LocalizedText labels,
           std::optional<std::string> family = std::nullopt, std::vector<std::string> aliases = {});

  bool operator==(const TaxonomyState&) const = default;

 private:
  std::map<TaxonomyKind, Entries> entries_;
  std::map<std::string, std::string, std::less<>> families_;              // theme -> family
  std::map<std::string, std::vector<std::string>, std::less<>> aliases_;  // target group
  std::map<std::string, std::string, std::less<>> terms_;                 // folded term -> code
};

// The built-in codes of the product with their labels.
TaxonomyState initial_taxonomy_state();
// A shared, immutable instance of initial_taxonomy_state().
const TaxonomyState& builtin_taxonomy();

// Rejections: validation "invalid_code" (/code), "missing_label" (/labels/<lang>);
// conflict "taxonomy_code_exists" when the code exists with other labels,
// family or aliases. The same code with the same labels (family, aliases):
// no events.
//   family: "family_not_allowed" (422 /family) but for a theme; "unknown_family"
//     (422 /family) when it names no theme; "family_of_family" (422 /family) when
//     the theme it names belongs to a family itself.
//   aliases: "aliases_not_allowed" (422 /aliases) but for a target group;
//     "missing_field" (422 /aliases/<i>) for a blank one; a target group whose
//     code, label or alias matches (fold_term) a term of another target group:
//     "target_group_term_taken" (409, /code, /labels/<lang> or /aliases/<i>).
//   Aliases are kept trimmed, each term once (one that repeats the code, a
//   label or an earlier alias is dropped).
Decision<TaxonomyEvent> decide(const TaxonomyCommand& command, const TaxonomyState& state,
                               const DecisionContext& context);
TaxonomyState evolve(TaxonomyState state, const TaxonomyEvent& event);

}  // namespace ikv::domain
