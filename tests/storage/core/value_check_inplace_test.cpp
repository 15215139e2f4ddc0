// NormaliseRemoteOp (the hub's check of a pushed op, in place) against CheckRemoteOp over
// random ops: the same verdict and message, the same normalised value, and the op untouched
// when refused. IsRefId against its definition.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "storage/core/record_store.h"
#include "storage/core/value_check.h"

namespace gocua {
namespace {

std::string RandomId(std::mt19937& rng) {
  static const std::string kChars = "abcz09-_AZ .\xc3\xff/";
  std::string s;
  for (int n = static_cast<int>(rng() % 44); n > 0; --n) s += kChars[rng() % kChars.size()];
  return rng() % 3 == 0 ? s : "01a20695-e495-7d1d-8e90-28ac523b1fa9";
}

json RandomValue(std::mt19937& rng, int depth = 0) {
  static const std::vector<std::string> texts = {"",
                                                 "a",
                                                 "Nguyễn Văn Đức",
                                                 "Nguye\xcc\x82\xcc\x83n",  // NFD: normalised
                                                 "2026-02-29",
                                                 "2024-02-29",
                                                 "1899-12-31",
                                                 "2026-13-01",
                                                 "x\ny",
                                                 "tab\there",
                                                 "\x01",
                                                 "\xff",
                                                 std::string(600, 'a'),
                                                 "01a20695-e495-7d1d-8e90-28ac523b1fa9",
                                                 "Hà\xcc\x80"};
  switch (rng() % (depth < 9 ? 9 : 6)) {
    case 0:
    case 1:
    case 2:
      return texts[rng() % texts.size()];
    case 3:
      return static_cast<int64_t>(rng() % 5) - 1;
    case 4:
      return rng() % 2 == 0;
    case 5:
      return nullptr;
    case 6: {
      json a = json::array();
      for (int n = static_cast<int>(rng() % 4); n > 0; --n)
        a.push_back(RandomValue(rng, depth + 1));
      return a;
    }
    default: {
      json o = json::object();
      for (int n = static_cast<int>(rng() % 4); n > 0; --n)
        o["k" + std::to_string(rng() % 5)] = RandomValue(rng, depth + 1);
      return o;
    }
  }
}

TEST_CASE("NormaliseRemoteOp: as CheckRemoteOp, in place, over random ops") {
  std::mt19937 rng(2026);
  const std::vector<std::string> types = {"household", "person", "visit",
                                          "member",    "review", "nosuch"};
  for (int round = 0; round < 20000; ++round) {
    RemoteOp op;
    op.origin_device = "dev";
    op.seq = 1;
    op.record_type = types[rng() % types.size()];
    op.record_id = RandomId(rng);
    const RecordDef* def = FindRecordDef(op.record_type);
    if (def && rng() % 8 != 0) {
      const size_t i = rng() % (def->fields.size() + 1);
      op.field = i < def->fields.size() ? def->fields[i].name : "deleted";
    } else {
      op.field = "nosuch";
    }
    op.value = RandomValue(rng);
    if (rng() % 10 == 0) op.value = std::string(40 * 1024, 'x');
    op.hlc = rng() % 20 == 0 ? 0 : 5;
    if (rng() % 4 == 0) op.base = {rng() % 2 ? 3 : 0, rng() % 2 ? "dev-b" : ""};
    if (rng() % 6 == 0) op.seen = {rng() % 2 ? 3 : 0, rng() % 2 ? "dev-c" : ""};
    if (rng() % 3 == 0) op.author = RandomId(rng);
    CAPTURE(op.record_type);
    CAPTURE(op.field);
    CAPTURE(op.value.dump(-1, ' ', false, json::error_handler_t::replace));
    auto expected = CheckRemoteOp(op);
    RemoteOp in_place = op;
    const Status got = NormaliseRemoteOp(in_place);
    REQUIRE(got.ok() == expected.ok());
    if (got.ok()) {
      // The ids by their definition: CheckRemoteOp does not look again at ids it found good
      // for the op before, and must not let a bad one through that way.
      CHECK(IsRefId(op.record_id));
      CHECK(IsRefId(op.author));
      CHECK(in_place.value == *expected);
      RemoteOp want = op;
      want.value = *expected;
      CHECK(in_place == want);  // nothing else moved
    } else {
      CHECK(got.message() == expected.error().message());
      CHECK(got.code() == expected.error().code());
      CHECK(in_place == op);  // untouched when refused
    }
  }
}

TEST_CASE("CheckRemoteOp: an op naming a bad id after ops naming good ones is refused") {
  RemoteOp good;
  good.origin_device = "dev";
  good.seq = 1;
  good.record_type = "person";
  good.record_id = "01a20695-e495-7d1d-8e90-28ac523b1fa9";
  good.field = "name";
  good.value = "An";
  good.hlc = 5;
  good.author = "01a20695-e495-7d1d-8e90-28ac523b1fb0";
  REQUIRE(CheckRemoteOp(good).ok());
  REQUIRE(CheckRemoteOp(good).ok());  // the same ids again
  RemoteOp bad_id = good;
  bad_id.record_id = "01a20695-e495-7d1d-8e90-28ac523b1fA9";  // one byte differs: upper case
  CHECK_FALSE(CheckRemoteOp(bad_id).ok());
  RemoteOp bad_author = good;
  bad_author.author = "01a20695-e495-7d1d-8e90-28ac523b1fb0 ";  // a byte more
  CHECK_FALSE(CheckRemoteOp(bad_author).ok());
  RemoteOp in_place = bad_id;
  CHECK_FALSE(NormaliseRemoteOp(in_place).ok());
  CHECK(CheckRemoteOp(good).ok());  // and the good ones after
}

TEST_CASE("CheckValueInPlace: as CheckValue, field by field") {
  std::mt19937 rng(7);
  for (const RecordDef& def : RecordDefs())
    for (const FieldDef& f : def.fields)
      for (int k = 0; k < 200; ++k) {
        const json v = RandomValue(rng);
        auto expected = CheckValue(def, f, v);
        json w = v;
        const Status got = CheckValueInPlace(def, f, w);
        REQUIRE(got.ok() == expected.ok());
        CHECK(w == (got.ok() ? *expected : v));
        if (!got.ok()) CHECK(got.message() == expected.error().message());
      }
}

TEST_CASE("IsRefId: up to 40 of [0-9a-z_-]") {
  std::mt19937 rng(3);
  auto defined = [](const std::string& s) {
    if (s.size() > 40) return false;
    for (char c : s)
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-' || c == '_')) return false;
    return true;
  };
  for (int b = 0; b < 256; ++b) {
    const std::string s(1, static_cast<char>(b));
    CHECK(IsRefId(s) == defined(s));
  }
  for (int round = 0; round < 20000; ++round) {
    const std::string s = RandomId(rng);
    CHECK(IsRefId(s) == defined(s));
  }
  CHECK(IsRefId(""));
  CHECK(IsRefId(std::string(40, 'a')));
  CHECK_FALSE(IsRefId(std::string(41, 'a')));
}

TEST_CASE("FindRecordDefLast: the definition FindRecordDef finds, in any order of asking") {
  std::mt19937 rng(5);
  std::vector<std::string> names = {"", "nosuch", "visi", "visits", "Visit"};
  for (const RecordDef& def : RecordDefs()) names.push_back(def.type);
  for (int round = 0; round < 5000; ++round) {
    const std::string name = names[rng() % names.size()];
    CAPTURE(name);
    CHECK(FindRecordDefLast(name) == FindRecordDef(name));
    if (rng() % 2 == 0) CHECK(FindRecordDefLast(name) == FindRecordDef(name));  // asked again
  }
}

}  // namespace
}  // namespace gocua
