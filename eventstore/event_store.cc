#include "eventstore/event_store.h"

#include <chrono>
#include <future>

namespace ikv::eventstore {

bool ExpectedVersion::matches(std::uint64_t actual) const {
  switch (kind_) {
    case Kind::kAny:
      return true;
    case Kind::kNoStream:
      return actual == 0;
    case Kind::kStreamExists:
      return actual > 0;
    case Kind::kExact:
      return actual == version_;
  }
  return false;
}

Result<AppendResult> EventStore::append_sync(AppendRequest req) {
  std::promise<Result<AppendResult>> promise;
  auto future = promise.get_future();
  append(std::move(req), [&promise](Result<AppendResult> r) { promise.set_value(std::move(r)); });
  return future.get();
}

Result<std::uint64_t> EventStore::checkpoint(const std::string& /*dir*/) const {
  return Error{ErrorCode::kUnavailable, "this store cannot make checkpoints", std::nullopt};
}

std::int64_t system_clock_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string_view stream_category(std::string_view stream) {
  const auto dash = stream.find('-');
  return dash == std::string_view::npos ? stream : stream.substr(0, dash);
}

}  // namespace ikv::eventstore
