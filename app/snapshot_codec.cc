#include "app/snapshot_codec.h"

#include <cstring>
#include <future>
#include <unordered_map>
#include <utility>
#include <vector>

#include "crypto/hash.h"
#include "projections/view_snapshot.h"

namespace ikv::app {
namespace {

using projections::SnapshotReader;
using projections::SnapshotWriter;

constexpr std::string_view kMagic = "IKVS";
constexpr std::size_t kHeaderSize = 4 + 4 + 4 + 8 + crypto::kDigestSize;

void put_le(std::string& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint64_t get_le(std::string_view in, std::size_t at, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) {
    v |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(in[at + i])) << (8 * i);
  }
  return v;
}

Error corrupt(std::string message) {
  return Error{ErrorCode::kCorruption, "registry snapshot: " + std::move(message), {}};
}

}  // namespace

SnapshotDraft draft_snapshot(const projections::RegistryView& view, std::uint64_t position) {
  SnapshotDraft d;
  d.position = position;
  SnapshotWriter v;
  projections::write_view(view, v, d.pieces);
  d.view = v.take();
  return d;
}

Result<std::string> seal_snapshot(SnapshotDraft draft, codec::PersonalDataSealer& sealer) {
  // Group the pieces by subject, in first-seen order.
  std::unordered_map<std::string_view, std::size_t> group_of;
  std::vector<std::pair<std::string_view, std::vector<std::size_t>>> groups;
  const auto& pieces = draft.pieces.pieces();
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    auto [it, fresh] = group_of.try_emplace(pieces[i].subject, groups.size());
    if (fresh) groups.emplace_back(pieces[i].subject, std::vector<std::size_t>{});
    groups[it->second].second.push_back(i);
  }
  // Sealed first (the body's count of written groups precedes them).
  SnapshotWriter sealed_groups;
  std::uint64_t written = 0;
  for (const auto& [subject, indexes] : groups) {
    SnapshotWriter plain;
    plain.varint(indexes.size());
    for (std::size_t i : indexes) {
      plain.varint(i + 1);
      plain.string(pieces[i].plaintext);
    }
    auto sealed = sealer.seal(subject, plain.bytes());
    if (!sealed) {
      // An erased person is never sealed again: their data is left out.
      if (sealed.error().code == ErrorCode::kInvalidArgument) continue;
      return sealed.error();
    }
    sealed_groups.string(subject);
    sealed_groups.string(*sealed);
    ++written;
  }
  // The header with room for the checksum, then the body in place.
  std::string out;
  out.reserve(kHeaderSize + draft.view.size() +
              sealed_groups.bytes().size() + 64);
  out.append(kMagic);
  put_le(out, kSnapshotFormat, 4);
  put_le(out, projections::kViewFormat, 4);
  put_le(out, draft.position, 8);
  out.append(crypto::kDigestSize, '\0');
  SnapshotWriter lengths;
  lengths.varint(draft.view.size());
  out.append(lengths.take());
  out.append(draft.view);
  lengths.varint(pieces.size());
  lengths.varint(written);
  out.append(lengths.take());
  out.append(sealed_groups.bytes());
  const crypto::Digest digest = crypto::sha256(std::string_view(out).substr(kHeaderSize));
  std::memcpy(out.data() + (kHeaderSize - crypto::kDigestSize), digest.data(), digest.size());
  return out;
}

std::optional<std::uint64_t> snapshot_position(std::string_view bytes) {
  if (bytes.size() < kHeaderSize || bytes.substr(0, 4) != kMagic) return std::nullopt;
  if (get_le(bytes, 4, 4) != kSnapshotFormat || get_le(bytes, 8, 4) != projections::kViewFormat) {
    return std::nullopt;
  }
  return get_le(bytes, 12, 8);
}

// The body's sections, with the personal-data pieces opened (nullopt: erased).
struct OpenedBody {
  std::string_view view;
  std::vector<std::optional<std::string>> pieces;
};

Result<OpenedBody> open_pieces(std::string_view body, const codec::PersonalDataOpener& opener) {
  OpenedBody out;
  SnapshotReader r(body);
  out.view = r.slice();
  const std::size_t piece_count = r.count();
  out.pieces.resize(piece_count);
  for (std::size_t g = 0, groups = r.count(); g < groups && r.ok(); ++g) {
    const std::string_view subject = r.slice();
    const std::string_view sealed = r.slice();
    if (!r.ok()) break;
    auto plain = opener.open(subject, sealed);
    if (!plain) return plain.error();
    if (!*plain) continue;  // erased since: the member loads without personal data
    SnapshotReader p(**plain);
    for (std::size_t i = 0, n = p.count(); i < n && p.ok(); ++i) {
      const std::uint64_t ref = p.varint();
      std::string piece = p.string();
      if (ref == 0 || ref > piece_count) p.fail();
      if (p.ok()) out.pieces[ref - 1] = std::move(piece);
    }
    if (!p.ok()) return corrupt("a personal-data piece does not parse");
  }
  if (!r.ok() || !r.at_end()) return corrupt("the body does not parse");
  return out;
}

Result<LoadedSnapshot> open_snapshot(std::string_view bytes,
                                     const codec::PersonalDataOpener& opener) {
  if (bytes.size() < kHeaderSize || bytes.substr(0, 4) != kMagic) {
    return corrupt("not a snapshot");
  }
  const std::uint64_t format = get_le(bytes, 4, 4);
  const std::uint64_t view_format = get_le(bytes, 8, 4);
  if (format != kSnapshotFormat || view_format != projections::kViewFormat) {
    return corrupt("unknown format " + std::to_string(format) + "." + std::to_string(view_format));
  }
  LoadedSnapshot loaded;
  loaded.position = get_le(bytes, 12, 8);
  const std::string_view body = bytes.substr(kHeaderSize);
  // The checksum is computed on a second thread while the personal data is
  // opened; nothing opened is used unless it matches.
  std::future<bool> checksum = std::async(std::launch::async, [body, bytes] {
    const crypto::Digest digest = crypto::sha256(body);
    return std::memcmp(digest.data(), bytes.data() + 20, crypto::kDigestSize) == 0;
  });
  auto pieces = open_pieces(body, opener);
  if (!checksum.get()) return corrupt("checksum mismatch");
  if (!pieces) return pieces.error();

  const projections::OpenedPieces opened(std::move(pieces->pieces));
  SnapshotReader vr(pieces->view);
  auto v = projections::read_view(vr, opened);
  if (v && !vr.at_end()) return corrupt("the view has trailing bytes");
  if (!v) return v.error();
  loaded.view = std::move(*v);
  return loaded;
}

}  // namespace ikv::app
