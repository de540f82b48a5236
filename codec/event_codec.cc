// Which form a stored payload has is decided by the envelope alone: the type
// name picks the entry below, the schema version the reader.
//
//   schema_version == kTypeInfo<T>.version       FlatBuffers (event_binary.h)
//   1 <= schema_version <= kTypeInfo<T>.json_version
//                                                release-1 JSON (release1.h),
//                                                upcast to json_version
//   anything else                                kCorruption
#include "codec/event_codec.h"

#include <cstddef>
#include <utility>

#include "codec/event_binary.h"
#include "codec/event_schema.h"
#include "codec/release1.h"

namespace ikv::codec {

namespace {

Error corrupt(std::string message) {
  return Error{ErrorCode::kCorruption, std::move(message), std::nullopt};
}

struct Entry {
  std::string_view name;
  std::uint32_t json_version;
  std::uint32_t version;
};

template <std::size_t... I>
std::vector<Entry> make_table(std::index_sequence<I...>) {
  static_assert(((!kTypeInfo<std::variant_alternative_t<I, domain::Event>>.name.empty()) && ...),
                "every event type needs a kTypeInfo entry in event_schema.h");
  static_assert(((kTypeInfo<std::variant_alternative_t<I, domain::Event>>.version >
                  kTypeInfo<std::variant_alternative_t<I, domain::Event>>.json_version) &&
                 ...),
                "the binary version of a type comes after its last JSON version");
  return {Entry{kTypeInfo<std::variant_alternative_t<I, domain::Event>>.name,
                kTypeInfo<std::variant_alternative_t<I, domain::Event>>.json_version,
                kTypeInfo<std::variant_alternative_t<I, domain::Event>>.version}...};
}

const std::vector<Entry>& table() {
  static const std::vector<Entry> kTable =
      make_table(std::make_index_sequence<std::variant_size_v<domain::Event>>{});
  return kTable;
}

// The index of `type` in domain::Event, or nullopt.
std::optional<std::size_t> find_index(std::string_view type) {
  const std::vector<Entry>& entries = table();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].name == type) return i;
  }
  return std::nullopt;
}

}  // namespace

Result<EncodedEvent> encode(const domain::Event& event, PersonalDataSealer& sealer) {
  Result<std::string> payload = encode_binary(event, sealer);
  if (!payload) return payload.error();
  const Entry& entry = table()[event.index()];
  return EncodedEvent{std::string(entry.name), entry.version, std::move(*payload)};
}

Result<domain::Event> decode(std::string_view type, std::uint32_t schema_version,
                             std::string_view payload, const PersonalDataOpener& opener) {
  const std::optional<std::size_t> index = find_index(type);
  if (!index) return corrupt("unknown event type '" + std::string(type) + "'");
  const Entry& entry = table()[*index];
  if (schema_version == entry.version) return decode_binary(*index, payload, opener);
  if (schema_version >= 1 && schema_version <= entry.json_version) {
    return decode_release1(*index, schema_version, payload, opener);
  }
  return corrupt(std::string(type) + ": unknown schema version " + std::to_string(schema_version));
}

std::string_view type_name(const domain::Event& event) { return table()[event.index()].name; }

const std::vector<std::string_view>& event_type_names() {
  static const std::vector<std::string_view> kNames = [] {
    std::vector<std::string_view> names;
    for (const Entry& e : table()) names.push_back(e.name);
    return names;
  }();
  return kNames;
}

std::optional<std::uint32_t> current_schema_version(std::string_view type) {
  const std::optional<std::size_t> index = find_index(type);
  if (!index) return std::nullopt;
  return table()[*index].version;
}

}  // namespace ikv::codec
