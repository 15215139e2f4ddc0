// MergeBatch (storage/core/merge_batch.h) holds its record typed (HeldRow). These tests run random
// op runs through it and through the json-object path it replaced (ReadRow, DecideMerge,
// FindDeleteRace, WriteFields, kept below as the reference) on two copies of one database,
// and require the same decisions, the same races and byte-identical rows and derived rows.
#include "storage/core/merge_batch.h"

#include <doctest/doctest.h>

#include <random>
#include <set>

#include "storage/core/ids.h"
#include "storage/core/record_store.h"
#include "tests/support/fixture.h"

namespace gocua {
namespace {

using json = nlohmann::json;

// The MergeBatch of before the typed row, as it was (json values and stamps, names as dirty).
class ReferenceBatch {
 public:
  explicit ReferenceBatch(Database::Impl& d) : d_(d) {}

  Result<std::optional<DeleteRace>> DeleteRaceOf(const RemoteOp& op) {
    auto held = Hold(*FindRecordDef(op.record_type), op.record_id);
    if (!held) return held.error();
    std::optional<DeleteRace> race;
    if ((*held)->exists)
      race = FindDeleteRace((*held)->stamps, (*held)->values["deleted"].get<int64_t>(), op);
    return race;
  }
  Result<StoredRow> Peek(const RecordDef& def, const std::string& id) {
    if (def_ == &def && id_ == id) return row_;
    return ReadRow(d_, def, id);
  }
  Result<MergeDecision> Merge(const RemoteOp& op, json* current_value, Stamp* current_stamp) {
    const RecordDef* def = FindRecordDef(op.record_type);
    if (!def) return InvalidInput("unknown record type " + op.record_type);
    if (op.field != "deleted" && !def->Field(op.field))
      return InvalidInput(op.record_type + ": unknown field " + op.field);
    auto held = Hold(*def, op.record_id);
    if (!held) return held.error();
    const Stamp before = FieldStamp(row_, op.field);
    json& value = row_.values[op.field];
    if (current_value) *current_value = value;
    if (current_stamp) *current_stamp = before;
    const MergeDecision decision = DecideMerge(value, before, op);
    d_.ObserveHlc(op.hlc);
    if (!decision.write) return decision;
    value = op.value;
    row_.stamps[op.field] = json::array({op.hlc, op.origin_device});
    dirty_.insert(op.field);
    return decision;
  }
  Status Flush() {
    if (!def_) return Status::Ok();
    Status st = Status::Ok();
    if (!dirty_.empty()) st = WriteFields(d_, *def_, id_, row_, dirty_);
    def_ = nullptr;
    id_.clear();
    dirty_.clear();
    return st;
  }

 private:
  Result<const StoredRow*> Hold(const RecordDef& def, const std::string& id) {
    if (def_ == &def && id_ == id) return &row_;
    if (Status st = Flush(); !st) return st;
    auto row = ReadRow(d_, def, id);
    if (!row) return row.error();
    def_ = &def;
    id_ = id;
    row_ = std::move(*row);
    return &row_;
  }

  Database::Impl& d_;
  const RecordDef* def_ = nullptr;
  std::string id_;
  StoredRow row_;
  std::set<std::string> dirty_;
};

const char* kVillage = "@village";  // stands for each copy's own village id
const std::vector<std::string> kDevices = {"dev-a", "dev-b", "dev-c"};

// One copy of the database: a commune fixture whose rows match the other copy's.
struct Copy {
  test::CommuneFixture f;
  json Local(const json& v) const { return v == kVillage ? json(f.village.id) : v; }
  json Shared(const json& v) const {
    if (v.is_object()) {  // a record's values
      json out = v;
      for (auto& [key, value] : out.items()) value = Shared(value);
      return out;
    }
    return v == f.village.id ? json(kVillage) : v;
  }
};

// A random op on a small set of records (so runs, ties and repeats happen), valid for
// CheckRemoteOp. `stamps` collects the stamps used so far, for bases and seens.
RemoteOp RandomOp(std::mt19937& rng, std::vector<Stamp>& stamps) {
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  static const char* kTypes[] = {"household", "topic", "person"};
  RemoteOp op;
  op.record_type = kTypes[pick(3)];
  const RecordDef& def = *FindRecordDef(op.record_type);
  op.record_id = op.record_type.substr(0, 1) + std::to_string(pick(3));
  const size_t i = pick(def.fields.size() + 1);
  op.field = FieldName(def, i);
  op.origin_device = kDevices[pick(kDevices.size())];
  op.seq = 1;
  op.hlc = MakeHlc(test::kTestNowMs + static_cast<int64_t>(pick(6)), 0);
  if (i == def.fields.size()) {
    op.value = static_cast<int>(pick(2));
  } else {
    const FieldDef& f = def.fields[i];
    static const char* kTexts[] = {"", "Lê Thị B", "Đông", "x", "none", "guided"};
    switch (f.kind) {
      case FieldKind::kInt:
        op.value = static_cast<int64_t>(pick(3));
        break;
      case FieldKind::kRef:
        op.value = std::string(f.ref_type) == "village" && pick(2) ? json(kVillage) : json("");
        break;
      default:
        op.value = kTexts[pick(6)];
    }
  }
  if (!stamps.empty() && pick(3)) op.base = stamps[pick(stamps.size())];
  if (op.field == "deleted" && op.value == 1 && !stamps.empty() && pick(2))
    op.seen = stamps[pick(stamps.size())];
  if (op.base.device.empty()) op.base.hlc = 0;
  if (op.seen.device.empty()) op.seen.hlc = 0;
  stamps.push_back(op.stamp());
  return op;
}

// Everything a round decided, in a form the two copies can compare.
struct Outcome {
  std::vector<std::string> lines;
  bool operator==(const Outcome&) const = default;
};

std::string Describe(const Copy& c, const std::optional<DeleteRace>& race,
                     const MergeDecision& decision, const json& current, const Stamp& stamp) {
  std::string s = std::to_string(static_cast<int>(decision.outcome)) +
                  (decision.write ? " w " : " - ") + c.Shared(current).dump() + " " +
                  std::to_string(stamp.hlc) + "/" + stamp.device;
  if (race)
    s += " race " + std::to_string(race->delete_stamp.hlc) + "/" + race->delete_stamp.device + " " +
         std::to_string(race->edit_stamp.hlc) + "/" + race->edit_stamp.device +
         (race->edit_incoming ? " in" : " out");
  return s;
}

// Applies `ops` as the hub does (race, then merge) or as a device does (merge with the
// normalised value moved in), with Flush and Peek at random points.
template <typename Batch>
Outcome Apply(Copy& c, const std::vector<RemoteOp>& ops, uint32_t seed, bool hub) {
  Outcome out;
  Database::Impl& d = c.f.db->impl();
  std::mt19937 rng(seed);
  Status st = d.Transact([&]() -> Status {
    Batch batch(d);
    for (RemoteOp op : ops) {
      op.value = c.Local(op.value);
      auto checked = CheckRemoteOp(op);
      REQUIRE_MESSAGE(checked.ok(), checked.error().message());
      op.value = *checked;
      std::optional<DeleteRace> race;
      if (hub) {
        auto r = batch.DeleteRaceOf(op);
        if (!r) return r.error();
        race = *r;
      }
      json current;
      Stamp stamp;
      auto decision = batch.Merge(op, &current, &stamp);
      if (!decision) return decision.error();
      out.lines.push_back(Describe(c, race, *decision, current, stamp));
      if (rng() % 7 == 0) {
        auto peeked = batch.Peek(*FindRecordDef(op.record_type), op.record_id);
        if (!peeked) return peeked.error();
        out.lines.push_back(std::string(peeked->exists ? "+" : "-") +
                            c.Shared(peeked->values).dump() + peeked->stamps.dump());
      }
      if (rng() % 11 == 0)
        if (Status s = batch.Flush(); !s) return s;
    }
    return batch.Flush();
  });
  REQUIRE_MESSAGE(st.ok(), st.message());
  return out;
}

// The new MergeBatch, with the device's overload (value moved in) when `hub` is false; made
// with `keep` (records that existed kept aside until Flush, as Replica::ApplyPulled makes it).
template <MergeBatch::KeepExisting keep>
class DeviceBatch {
 public:
  explicit DeviceBatch(Database::Impl& d) : b_(d, keep) {}
  Result<std::optional<DeleteRace>> DeleteRaceOf(const RemoteOp& op) { return b_.DeleteRaceOf(op); }
  Result<StoredRow> Peek(const RecordDef& def, const std::string& id) { return b_.Peek(def, id); }
  Result<MergeDecision> Merge(const RemoteOp& op, json* current, Stamp* stamp) {
    json value = op.value;
    return b_.Merge(op, std::move(value), current, stamp);
  }
  Status Flush() { return b_.Flush(); }

 private:
  MergeBatch b_;
};

// Every column of the tables the ops touch and of the derived rows they feed, as text.
std::vector<std::string> Dump(const Copy& c) {
  std::vector<std::string> rows;
  Database::Impl& d = c.f.db->impl();
  // The rowids too: a batch keeping records aside must still insert new ones in op order.
  for (const char* sql :
       {"SELECT * FROM households ORDER BY id", "SELECT rowid, id FROM households ORDER BY rowid",
        "SELECT rowid, id FROM persons ORDER BY rowid",
        "SELECT rowid, id FROM topics ORDER BY rowid", "SELECT * FROM topics ORDER BY id",
        "SELECT * FROM persons ORDER BY id",
        "SELECT rowid, body, household_id FROM search ORDER BY rowid",
        "SELECT * FROM household_order ORDER BY household_id"}) {
    Status st;
    auto q = d.Prepare(sql, &st);
    REQUIRE(q);
    while (q->Step() == SQLITE_ROW) {
      std::string line = sql;
      for (int i = 0; i < sqlite3_column_count(q->raw()); ++i) {
        std::string v = q->IsNull(i) ? "NULL" : q->Text(i);
        if (v == c.f.village.id) v = kVillage;
        line += "|" + v;
      }
      rows.push_back(line);
    }
  }
  return rows;
}

// Stamps columns that are not the module's own shape: stray keys, malformed entries, an hlc
// beyond int64, unreadable text. The typed row must read them, decide and write them back
// exactly as the json object did.
void PlantOddRows(Copy& c) {
  Database::Impl& d = c.f.db->impl();
  Status st = d.Transact([&]() -> Status {
    if (auto r = WriteLocal(d, *FindRecordDef("household"), "h0",
                            {{"village_id", c.f.village.id}, {"head_name", "Lê Thị B"}});
        !r)
      return r.error();
    if (auto r = WriteLocal(d, *FindRecordDef("topic"), "t0", {{"name_vi", "Chủ đề"}}); !r)
      return r.error();
    if (auto r = WriteLocal(d, *FindRecordDef("topic"), "t1", {{"name_vi", "Khác"}}); !r)
      return r.error();
    return d.Exec(
        "UPDATE households SET stamps = "
        "'{\"stray\":[5,\"x\"],\"phone\":\"bad\",\"address\":[18446744073709551615,\"z\"],"
        "\"head_name\":[1,\"dev-b\"],\"deleted\":[2, \"dev-c\"]}' WHERE id = 'h0';"
        "UPDATE topics SET stamps = 'not json' WHERE id = 't0';"
        "UPDATE topics SET stamps = '{\"sort\":[3,\"dev-a\"],\"name_vi\":[3,\"dev-b\"]}' "
        "WHERE id = 't1';");
  });
  REQUIRE_MESSAGE(st.ok(), st.message());
}

enum class Path { kHub, kDevice, kDeviceKeepingExisting };

void RunEquivalence(Path path, uint32_t seed) {
  const bool hub = path == Path::kHub;
  Copy typed, reference;
  PlantOddRows(typed);
  PlantOddRows(reference);
  REQUIRE(Dump(typed) == Dump(reference));
  std::mt19937 rng(seed);
  std::vector<Stamp> stamps;
  for (int round = 0; round < 40; ++round) {
    std::vector<RemoteOp> ops;
    const size_t n = 1 + rng() % 30;
    for (size_t k = 0; k < n; ++k) ops.push_back(RandomOp(rng, stamps));
    const uint32_t round_seed = static_cast<uint32_t>(rng());
    using Keep = MergeBatch::KeepExisting;
    Outcome a = hub ? Apply<MergeBatch>(typed, ops, round_seed, true)
                : path == Path::kDevice
                    ? Apply<DeviceBatch<Keep::kNo>>(typed, ops, round_seed, false)
                    : Apply<DeviceBatch<Keep::kYes>>(typed, ops, round_seed, false);
    Outcome b = Apply<ReferenceBatch>(reference, ops, round_seed, hub);
    REQUIRE(a.lines.size() == b.lines.size());
    for (size_t i = 0; i < a.lines.size(); ++i) CHECK(a.lines[i] == b.lines[i]);
    const auto rows_a = Dump(typed), rows_b = Dump(reference);
    REQUIRE(rows_a.size() == rows_b.size());
    for (size_t i = 0; i < rows_a.size(); ++i) CHECK(rows_a[i] == rows_b[i]);
  }
}

TEST_CASE("MergeBatch: random runs decide and write as the json-object path did (hub)") {
  for (uint32_t seed : {1u, 2u, 3u}) RunEquivalence(Path::kHub, seed);
}

TEST_CASE("MergeBatch: random runs decide and write as the json-object path did (device)") {
  for (uint32_t seed : {4u, 5u, 6u}) RunEquivalence(Path::kDevice, seed);
}

TEST_CASE(
    "MergeBatch: random runs decide and write as the json-object path did (device, records that "
    "existed kept aside until Flush)") {
  for (uint32_t seed : {4u, 5u, 6u, 7u, 8u}) RunEquivalence(Path::kDeviceKeepingExisting, seed);
}

TEST_CASE("MergeBatch: unknown types and fields fail, nothing held changes") {
  test::CommuneFixture f;
  Database::Impl& d = f.db->impl();
  Status st = d.Transact([&]() -> Status {
    MergeBatch batch(d);
    RemoteOp op;
    op.origin_device = "dev-a";
    op.record_type = "spaceship";
    op.record_id = "s1";
    op.field = "name";
    op.value = "x";
    op.hlc = 5;
    auto r = batch.Merge(op);
    CHECK(r.error().message() == "unknown record type spaceship");
    op.record_type = "topic";
    op.field = "colour";
    r = batch.Merge(op);
    CHECK(r.error().message() == "topic: unknown field colour");
    op.field = "name_vi";
    r = batch.Merge(op);
    REQUIRE(r.ok());
    CHECK(r->outcome == MergeOutcome::kApplied);
    return batch.Flush();
  });
  REQUIRE(st.ok());
  auto row = ReadRow(d, *FindRecordDef("topic"), "s1");
  REQUIRE(row.ok());
  CHECK(row->values["name_vi"] == "x");
  CHECK(row->stamps.dump() == R"({"name_vi":[5,"dev-a"]})");
}

TEST_CASE("MergeBatch: outside a transaction it refuses") {
  test::CommuneFixture f;
  MergeBatch batch(f.db->impl());
  RemoteOp op;
  op.record_type = "topic";
  op.field = "name_vi";
  auto r = batch.Merge(op);
  CHECK(r.error().code() == ErrorCode::kInternal);
}

}  // namespace
}  // namespace gocua
