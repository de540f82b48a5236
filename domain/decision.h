// Decision: what a decider answers to a command: the events to append (possibly
// none, when the command changes nothing) or a typed Rejection. Business
// refusals are values, never exceptions.
//
// Thread-safety: plain values; safe from any thread.
//
//   Decision<NetworkEvent> d = decide(command, state, context);
//   if (const Rejection* r = rejection_of(d)) return to_problem(*r);
//   for (const NetworkEvent& e : events_of(d)) append(e);
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace ikv::domain {

enum class RejectionKind {
  kValidation,  // the command is malformed or refers to unknown codes (HTTP 422)
  kConflict,    // a business rule or the aggregate's state forbids it (HTTP 409)
  kNotFound,    // the aggregate or entity the command addresses does not exist (HTTP 404)
};

std::string_view to_string(RejectionKind kind);

struct Rejection {
  RejectionKind kind = RejectionKind::kValidation;
  std::string code;     // stable machine code, e.g. "email_taken"
  std::string field;    // JSON pointer into the request, e.g. "/email"; may be empty
  std::string message;  // human-readable, in English

  bool operator==(const Rejection&) const = default;
};

template <class E>
using Decision = std::variant<std::vector<E>, Rejection>;

// The rejection, or nullptr when the decision accepted the command.
template <class E>
const Rejection* rejection_of(const Decision<E>& d) {
  return std::get_if<Rejection>(&d);
}
// The events. REQUIRES: rejection_of(d) == nullptr.
template <class E>
const std::vector<E>& events_of(const Decision<E>& d) {
  return std::get<std::vector<E>>(d);
}

inline Rejection validation_error(std::string code, std::string field, std::string message) {
  return {RejectionKind::kValidation, std::move(code), std::move(field), std::move(message)};
}
inline Rejection conflict(std::string code, std::string message, std::string field = {}) {
  return {RejectionKind::kConflict, std::move(code), std::move(field), std::move(message)};
}
inline Rejection not_found(std::string code, std::string message) {
  return {RejectionKind::kNotFound, std::move(code), std::string(), std::move(message)};
}

inline std::string_view to_string(RejectionKind kind) {
  switch (kind) {
    case RejectionKind::kValidation:
      return "validation";
    case RejectionKind::kConflict:
      return "conflict";
    case RejectionKind::kNotFound:
      return "not_found";
  }
  return "unknown";
}

}  // namespace ikv::domain
