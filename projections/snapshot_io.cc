#include "projections/snapshot_io.h"

#include <algorithm>

namespace ikv::projections {

// ---- writer ----

void SnapshotWriter::varint(std::uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<char>(v));
}

void SnapshotWriter::svarint(std::int64_t v) {
  const auto u = static_cast<std::uint64_t>(v);
  varint((u << 1) ^ (v < 0 ? ~std::uint64_t{0} : 0));
}

void SnapshotWriter::string(std::string_view s) {
  varint(s.size());
  out_.append(s);
}

void SnapshotWriter::optional_string(const std::optional<std::string>& s) {
  boolean(s.has_value());
  if (s) string(*s);
}

void SnapshotWriter::optional_svarint(const std::optional<std::int64_t>& v) {
  boolean(v.has_value());
  if (v) svarint(*v);
}

void SnapshotWriter::strings(const std::vector<std::string>& list) {
  varint(list.size());
  for (const auto& s : list) string(s);
}

void SnapshotWriter::date(const domain::Date& d) {
  svarint(d.year);
  varint(static_cast<std::uint64_t>(d.month));
  varint(d.precision == domain::DatePrecision::kMonth ? 0 : static_cast<std::uint64_t>(d.day));
}

void SnapshotWriter::optional_date(const std::optional<domain::Date>& d) {
  boolean(d.has_value());
  if (d) date(*d);
}

void SnapshotWriter::localized(const domain::LocalizedText& t) {
  string(t.fi);
  string(t.sv);
  string(t.en);
}

void SnapshotWriter::personal(const domain::PersonalData& p) {
  string(p.name);
  string(p.email);
  optional_string(p.phone);
}

void SnapshotWriter::ascending(const std::vector<std::uint64_t>& positions) {
  varint(positions.size());
  std::uint64_t previous = 0;
  for (std::uint64_t p : positions) {
    varint(p - previous);  // modular: any order still reads back
    previous = p;
  }
}

// ---- reader ----

std::uint8_t SnapshotReader::byte() {
  if (!ok_ || pos_ >= in_.size()) {
    ok_ = false;
    return 0;
  }
  return static_cast<std::uint8_t>(in_[pos_++]);
}

void SnapshotReader::release_behind(std::function<void(std::string_view)> release,
                                    std::size_t step) {
  release_ = std::move(release);
  release_step_ = std::max<std::size_t>(step, 1);
  release_at_ = release_ ? released_ + release_step_ : static_cast<std::size_t>(-1);
}

void SnapshotReader::release_read() {
  release_(in_.substr(released_, pos_ - released_));
  released_ = pos_;
  release_at_ = pos_ + release_step_;
}

std::uint64_t SnapshotReader::varint() {
  if (pos_ >= release_at_) release_read();
  std::uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (!ok_ || pos_ >= in_.size()) {
      ok_ = false;
      return 0;
    }
    const auto b = static_cast<std::uint8_t>(in_[pos_++]);
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return v;
  }
  ok_ = false;
  return 0;
}

std::int64_t SnapshotReader::svarint() {
  const std::uint64_t u = varint();
  return static_cast<std::int64_t>((u >> 1) ^ (~(u & 1) + 1));
}

std::string SnapshotReader::string() {
  const std::uint64_t n = varint();
  if (!ok_ || n > in_.size() - pos_) {
    ok_ = false;
    return {};
  }
  std::string s(in_.substr(pos_, n));
  pos_ += n;
  return s;
}

std::string_view SnapshotReader::slice() {
  const std::uint64_t n = varint();
  if (!ok_ || n > in_.size() - pos_) {
    ok_ = false;
    return {};
  }
  const std::string_view s = in_.substr(pos_, n);
  pos_ += n;
  return s;
}

std::string_view SnapshotReader::slice_raw(std::size_t n) {
  if (!ok_ || n > in_.size() - pos_) {
    ok_ = false;
    return {};
  }
  const std::string_view s = in_.substr(pos_, n);
  pos_ += n;
  return s;
}

std::optional<std::string> SnapshotReader::optional_string() {
  if (!boolean()) return std::nullopt;
  return string();
}

std::optional<std::int64_t> SnapshotReader::optional_svarint() {
  if (!boolean()) return std::nullopt;
  return svarint();
}

std::size_t SnapshotReader::count() {
  const std::uint64_t n = varint();
  if (!ok_ || n > in_.size() - pos_) {
    ok_ = false;
    return 0;
  }
  return static_cast<std::size_t>(n);
}

std::vector<std::string> SnapshotReader::strings() {
  std::vector<std::string> out(count());
  for (auto& s : out) s = string();
  return out;
}

domain::Date SnapshotReader::date() {
  domain::Date d;
  d.year = static_cast<int>(svarint());
  d.month = static_cast<int>(varint());
  d.day = static_cast<int>(varint());
  if (d.day == 0) d = domain::month_date(d.year, d.month);
  return d;
}

std::optional<domain::Date> SnapshotReader::optional_date() {
  if (!boolean()) return std::nullopt;
  return date();
}

domain::LocalizedText SnapshotReader::localized() {
  domain::LocalizedText t;
  t.fi = string();
  t.sv = string();
  t.en = string();
  return t;
}

domain::PersonalData SnapshotReader::personal() {
  domain::PersonalData p;
  p.name = string();
  p.email = string();
  p.phone = optional_string();
  return p;
}

std::vector<std::uint64_t> SnapshotReader::ascending() {
  std::vector<std::uint64_t> out(count());
  std::uint64_t previous = 0;
  for (auto& p : out) {
    previous += varint();
    p = previous;
  }
  return out;
}

// ---- personal pieces ----

std::uint64_t PersonalPieces::add(std::string_view subject, std::string plaintext) {
  pieces_.push_back(Piece{std::string(subject), std::move(plaintext)});
  return pieces_.size();
}

const std::optional<std::string>& OpenedPieces::get(std::uint64_t ref) const {
  static const std::optional<std::string> kNone;
  if (ref == 0 || ref > pieces_.size()) return kNone;
  return pieces_[ref - 1];
}

std::string encode_personal_piece(const domain::PersonalData& p) {
  SnapshotWriter w;
  w.personal(p);
  return w.take();
}

std::optional<domain::PersonalData> decode_personal_piece(const std::optional<std::string>& piece) {
  if (!piece) return std::nullopt;
  SnapshotReader r(*piece);
  domain::PersonalData p = r.personal();
  if (!r.ok()) return std::nullopt;
  return p;
}

}  // namespace ikv::projections
