#include "projections/stream_events.h"

#include <string>

#include "codec/event_codec.h"

namespace ikv::projections {

Result<std::vector<DecodedEvent>> LogStreamEvents::read(std::string_view stream,
                                                        std::uint64_t up_to) const {
  std::vector<DecodedEvent> out;
  if (up_to == 0) return out;
  auto events = store_.read_stream(stream, 1, up_to);
  if (!events) return events.error();
  if (events->size() != up_to) {
    return Error{ErrorCode::kCorruption,
                 "stream " + std::string(stream) + " has " + std::to_string(events->size()) +
                     " events in the log, the read model " + std::to_string(up_to),
                 {}};
  }
  out.reserve(events->size());
  for (auto& e : *events) {
    auto decoded = codec::decode(e.type, e.schema_version, e.payload, opener_);
    if (!decoded) {
      return Error{
          ErrorCode::kCorruption,
          "event " + std::to_string(e.position) + " does not decode: " + decoded.error().message,
          {}};
    }
    out.push_back(DecodedEvent{std::move(e), std::move(*decoded)});
  }
  return out;
}

}  // namespace ikv::projections
