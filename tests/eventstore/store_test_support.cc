#include "tests/eventstore/store_test_support.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <random>
#include <sstream>
#include <system_error>

namespace ikv::eventstore::testing {

namespace fs = std::filesystem;

TempDir::TempDir(std::string_view prefix) {
  static std::atomic<std::uint64_t> counter{0};
  std::random_device rd;
  for (;;) {
    std::string name = std::string(prefix) + "-" + std::to_string(::getpid()) + "-" +
                       std::to_string(counter.fetch_add(1)) + "-" + std::to_string(rd() % 100000);
    path_ = fs::temp_directory_path() / name;
    std::error_code ec;
    if (fs::create_directory(path_, ec)) break;
  }
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string make_event_id(std::string_view tag, std::uint64_t n) {
  // 8-4-4-4-12 hex digits: the tag hashed into the first group, n in the last.
  std::uint32_t h = 2166136261u;
  for (char c : tag) h = (h ^ static_cast<std::uint8_t>(c)) * 16777619u;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%08x-0000-4000-8000-%012llx", h,
                static_cast<unsigned long long>(n & 0xffffffffffffULL));
  return buf;
}

std::string fresh_event_id() {
  static std::atomic<std::uint64_t> counter{1};
  static const std::string tag =
      "fresh-" + std::to_string(::getpid()) + "-" + std::to_string(std::random_device{}());
  return make_event_id(tag, counter.fetch_add(1));
}

EventData make_event(std::string_view type, std::string payload) {
  EventData e;
  e.event_id = fresh_event_id();
  e.type = std::string(type);
  e.payload = payload.empty() ? "{\"id\":\"" + e.event_id + "\"}" : std::move(payload);
  e.metadata.actor = "tester";
  e.metadata.correlation_id = "corr-" + e.event_id.substr(0, 8);
  return e;
}

AppendRequest request(std::string stream, ExpectedVersion expected, int count,
                      std::string_view type) {
  AppendRequest r;
  r.stream = std::move(stream);
  r.expected = expected;
  for (int i = 0; i < count; ++i) r.events.push_back(make_event(type));
  return r;
}

std::unique_ptr<EventStore> open_rocks_or_die(const std::string& path, Durability durability,
                                              std::function<std::int64_t()> clock) {
  RocksOptions o;
  o.path = path;
  o.durability = durability;
  o.clock = std::move(clock);
  auto r = open_rocks_event_store(std::move(o));
  if (!r) {
    ADD_FAILURE() << "open_rocks_event_store(" << path << "): " << to_string(r.error().code) << " "
                  << r.error().message;
    return nullptr;
  }
  return std::move(*r);
}

std::vector<RecordedEvent> read_everything(const EventStore& store) {
  std::vector<RecordedEvent> out;
  auto n = store.scan_all(0, [&](const RecordedEvent& e) {
    out.push_back(e);
    return true;
  });
  if (!n) ADD_FAILURE() << "scan_all: " << n.error().message;
  return out;
}

bool same_content(const RecordedEvent& a, const RecordedEvent& b) {
  return a.position == b.position && a.stream == b.stream && a.version == b.version &&
         a.event_id == b.event_id && a.type == b.type && a.schema_version == b.schema_version &&
         a.payload == b.payload && a.metadata.actor == b.metadata.actor &&
         a.metadata.correlation_id == b.metadata.correlation_id &&
         a.metadata.causation_id == b.metadata.causation_id &&
         a.metadata.idempotency_key == b.metadata.idempotency_key;
}

std::string describe(const RecordedEvent& e) {
  std::ostringstream os;
  os << "{pos=" << e.position << " stream=" << e.stream << " v=" << e.version
     << " id=" << e.event_id << " type=" << e.type << " schema=" << e.schema_version
     << " payload=" << e.payload << "}";
  return os.str();
}

void expect_well_formed_log(const std::vector<RecordedEvent>& log) {
  std::map<std::string, std::uint64_t> heads;
  for (std::size_t i = 0; i < log.size(); ++i) {
    const RecordedEvent& e = log[i];
    EXPECT_EQ(e.position, i + 1) << "gap or duplicate at index " << i;
    std::uint64_t& head = heads[e.stream];
    EXPECT_EQ(e.version, head + 1) << "stream " << e.stream << " at position " << e.position;
    head = e.version;
    if (i > 0) {
      EXPECT_GE(e.recorded_at_us, log[i - 1].recorded_at_us) << "at position " << e.position;
      EXPECT_EQ(e.prev_hash, log[i - 1].hash) << "chain link at position " << e.position;
    }
  }
}

void StoreTest::SetUp() {
  dir_ = std::make_unique<TempDir>();
  if (durable()) {
    store_ = open_rocks_or_die(dir_->str());
  } else {
    store_ = make_memory_event_store();
  }
  ASSERT_NE(store_, nullptr);
}

void StoreTest::TearDown() {
  if (store_) store_->close();
  store_.reset();
  dir_.reset();
}

void StoreTest::reopen() {
  if (!durable()) return;
  store_->close();
  store_.reset();
  store_ = open_rocks_or_die(dir_->str());
  ASSERT_NE(store_, nullptr);
}

void StoreTest::recreate_with_clock(std::function<std::int64_t()> clock) {
  store_->close();
  store_.reset();
  if (durable()) {
    dir_ = std::make_unique<TempDir>();
    store_ = open_rocks_or_die(dir_->str(), Durability::kSync, std::move(clock));
  } else {
    store_ = make_memory_event_store(std::move(clock));
  }
  ASSERT_NE(store_, nullptr);
}

std::string store_kind_name(const ::testing::TestParamInfo<StoreKind>& info) {
  return info.param == StoreKind::kRocks ? "Rocks" : "Memory";
}

}  // namespace ikv::eventstore::testing
