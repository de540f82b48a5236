// Result<T>: a value or an Error, the return type of every fallible function
// outside the domain's deciders (which return their own typed rejections).
//
// Thread-safety: plain values; no shared state.
//
//   Result<int> parse(std::string_view s);
//   auto r = parse("12");
//   if (!r) return r.error();
//   use(*r);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace ikv {

// Error kinds, chosen by what the caller should do next.
enum class ErrorCode {
  kInvalidArgument,       // the request is malformed; do not retry
  kNotFound,              // the thing does not exist
  kWrongExpectedVersion,  // optimistic concurrency: reload and retry, or report 412
  kIdempotencyConflict,   // an id/key was reused with different content; do not retry
  kUnavailable,           // the store refuses writes (failed sync, shutting down)
  kCorruption,            // stored data does not decode or does not verify
  kIOError,               // the file system failed
  kInternal,              // a bug
};

std::string_view to_string(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  // For kWrongExpectedVersion: the stream's actual version (0 = no stream).
  std::optional<std::uint64_t> actual_version;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
struct Ok {};
using Status = Result<Ok>;
inline Status ok_status() { return Ok{}; }

inline std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kWrongExpectedVersion:
      return "wrong_expected_version";
    case ErrorCode::kIdempotencyConflict:
      return "idempotency_conflict";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kCorruption:
      return "corruption";
    case ErrorCode::kIOError:
      return "io_error";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "unknown";
}

}  // namespace ikv
