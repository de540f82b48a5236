// EmailIndex: the view's way to find a person by e-mail address (people.h)
// while every address is held only sealed (personal_seal.h).
//
// It maps a keyed hash (HMAC-SHA-256, cut to 64 bits) of each normalised address a member record
// has held to that member's id. The hash key is random per process and the index lives in memory
// only: no snapshot, no file holds it, so no e-mail-derived lookup key outlives the process or an
// erasure. Entries are candidates only: the caller opens each candidate's fields and compares the
// address itself, so a hash collision, an address since replaced and an erased record find nothing
// wrong. Stale entries are therefore never removed.
//
// Built on first use (build: every member's current address, opened once),
// then kept up to date by note() as the view folds joins and corrections; a
// note() before the first use is not needed and is dropped. A copy starts
// unbuilt: the index is derived, and equal to any other.
//
// Thread-safety: note() and candidates() may be called from any thread
// (an internal mutex); the view calls note() under its exclusive lock and
// candidates() under a shared one.
//
//   std::vector<std::string> ids = index.candidates("anna@example.fi", [&](auto add) {
//     for (each member id, record m) add(opened_email(m), id);
//   });
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ikv::projections {

class EmailIndex {
 public:
  // add(address, member id), for an address as given (normalised here).
  using Add = std::function<void(std::string_view, std::string_view)>;
  using Build = std::function<void(const Add&)>;

  EmailIndex() = default;
  ~EmailIndex() = default;
  EmailIndex(const EmailIndex& /*other*/) {}
  EmailIndex& operator=(const EmailIndex& other);
  EmailIndex(EmailIndex&& /*other*/) noexcept {}
  EmailIndex& operator=(EmailIndex&& other) noexcept;
  bool operator==(const EmailIndex& /*other*/) const { return true; }

  // A member record now holds `email` (as given).
  void note(std::string_view email, std::string_view member_id);
  // The member ids that may hold `email` (as given), each once, in no order.
  std::vector<std::string> candidates(std::string_view email, const Build& build) const;

 private:
  void add_locked(std::string_view email, std::string_view member_id) const;
  void reset();

  mutable std::mutex mu_;
  mutable bool built_ = false;                                       // guarded by mu_
  mutable std::unordered_multimap<std::uint64_t, std::string> ids_;  // guarded by mu_
};

}  // namespace ikv::projections
