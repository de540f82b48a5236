// A read model added as one unit and one line of registration: a test-only
// unit (meetings held per network) is fed by the runner with the others,
// skips what it has applied, saves its own snapshot section and loads it back;
// a snapshot written without it leaves it to be rebuilt ("no section"), and a
// section of a unit no longer registered is passed over.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include <boost/json.hpp>

#include "app/snapshot_codec.h"
#include "codec/personal_data.h"
#include "domain/streams.h"
#include "projections/read_models.h"

namespace ikv::app {
namespace {

// The whole unit: one file in real life.
class HeldMeetings final : public projections::Projection {
 public:
  std::string_view name() const override { return "held_meetings"; }
  std::uint32_t format() const override { return 1; }
  void apply(const eventstore::RecordedEvent& meta, const domain::Event& event) override {
    ++seen;
    if (std::holds_alternative<domain::MeetingHeld>(event)) ++held[meta.stream];
  }
  void save(projections::SnapshotWriter& out, projections::PersonalPieces&) const override {
    out.varint(seen);
    out.varint(held.size());
    for (const auto& [stream, n] : held) {
      out.string(stream);
      out.varint(n);
    }
  }
  bool load(projections::SnapshotReader& in, const projections::OpenedPieces&) override {
    seen = in.varint();
    for (std::size_t i = 0, n = in.count(); i < n && in.ok(); ++i) {
      std::string stream = in.string();
      held[stream] = in.varint();
    }
    return in.ok();
  }
  void clear() override { *this = HeldMeetings(); }
  boost::json::value dump() const override { return {{"seen", seen}}; }

  std::uint64_t seen = 0;
  std::map<std::string, std::uint64_t> held;
};

class SealInClear final : public codec::PersonalDataSealer, public codec::PersonalDataOpener {
 public:
  Result<std::string> seal(std::string_view, std::string_view plaintext) override {
    return std::string(plaintext);
  }
  Result<std::optional<std::string>> open(std::string_view,
                                          std::string_view sealed) const override {
    return std::optional<std::string>(std::string(sealed));
  }
};

eventstore::RecordedEvent meta(std::uint64_t position, std::string stream) {
  eventstore::RecordedEvent m;
  m.position = position;
  m.stream = std::move(stream);
  m.version = position;
  return m;
}

void feed(projections::ReadModels& models, std::uint64_t from, std::uint64_t to) {
  for (std::uint64_t p = from; p <= to; ++p) {
    models.apply(meta(p, domain::meeting_stream("m" + std::to_string(p % 3))),
                 domain::MeetingHeld{domain::Date{2024, 4, 1}, {}, 5, {}, std::nullopt});
  }
}

TEST(ProjectionRegistration, AUnitRegisteredInOneLineIsFedSavedAndLoaded) {
  projections::ReadModels models;
  models.add<HeldMeetings>();  // the one line
  feed(models, 1, 9);
  EXPECT_EQ(models.get<HeldMeetings>().seen, 9u);
  EXPECT_EQ(models.get<HeldMeetings>().held.at(domain::meeting_stream("m0")), 3u);
  feed(models, 5, 9);  // a redelivery changes nothing
  EXPECT_EQ(models.get<HeldMeetings>().seen, 9u);
  EXPECT_TRUE(models.dump().as_object().contains("held_meetings"));

  SealInClear vault;
  auto bytes = seal_snapshot(draft_snapshot(models, 9), vault);
  ASSERT_TRUE(bytes) << bytes.error().message;
  projections::ReadModels into;
  into.add<HeldMeetings>();
  auto loaded = open_snapshot(*bytes, vault, std::move(into));
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_TRUE(loaded->rebuilt.empty());
  const auto& unit = loaded->models.get<HeldMeetings>();
  EXPECT_EQ(unit.applied_position(), 9u);
  EXPECT_EQ(unit.held, models.get<HeldMeetings>().held);
  feed(loaded->models, 10, 12);
  EXPECT_EQ(loaded->models.get<HeldMeetings>().seen, 12u);
}

TEST(ProjectionRegistration, ASnapshotWithoutTheUnitsSectionRebuildsItAlone) {
  projections::ReadModels before;
  feed(before, 1, 6);
  SealInClear vault;
  auto bytes = seal_snapshot(draft_snapshot(before, 6), vault);
  ASSERT_TRUE(bytes);
  projections::ReadModels into;
  into.add<HeldMeetings>();
  auto loaded = open_snapshot(*bytes, vault, std::move(into));
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->rebuilt.size(), 1u);
  EXPECT_EQ(loaded->rebuilt[0], "held_meetings: no section");
  // The others start at the snapshot; the runner feeds the new unit from 1.
  EXPECT_EQ(loaded->models.view().position(), 6u);
  EXPECT_EQ(loaded->models.position(), 0u);
  feed(loaded->models, 1, 8);
  EXPECT_EQ(loaded->models.get<HeldMeetings>().seen, 8u);
  EXPECT_EQ(loaded->models.view().position(), 8u);
}

TEST(ProjectionRegistration, ASectionOfAnUnregisteredUnitIsPassedOver) {
  projections::ReadModels with;
  with.add<HeldMeetings>();
  feed(with, 1, 4);
  SealInClear vault;
  auto bytes = seal_snapshot(draft_snapshot(with, 4), vault);
  ASSERT_TRUE(bytes);
  auto loaded = open_snapshot(*bytes, vault);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_TRUE(loaded->rebuilt.empty());
  EXPECT_EQ(loaded->models.position(), 4u);
}

}  // namespace
}  // namespace ikv::app
