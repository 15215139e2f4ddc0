// The JSON text writer (base/json_text.h) and the hub log's reader
// (sync/hub/store/log_text.h) against nlohmann, which they stand for: the writer against
// dump(), the value reader against parse(), and a row's `rest` read both ways over varied,
// truncated and mutated text: the same ops or the same error.
#include "base/json_text.h"

#include <doctest/doctest.h>

#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "sync/hub/store/log_binary.h"
#include "sync/hub/store/log_text.h"
#include "sync/hub/store/sqlite/hub_internal.h"

namespace gocua::hub_internal {
namespace {

using nlohmann::json;

std::string Dumped(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

// Strings near every edge of the UTF-8 check and of JSON's escapes.
const std::vector<std::string>& Pieces() {
  static const std::vector<std::string> pieces = {"a",
                                                  "Nguyễn",
                                                  "Văn Đức",
                                                  " ",
                                                  "\"",
                                                  "\\",
                                                  "/",
                                                  "\n",
                                                  "\x01",
                                                  "\x1f",
                                                  "\x7f",
                                                  "😀",
                                                  "𝄞",
                                                  "\xc3",
                                                  "\xff",
                                                  "\xc0\xaf",
                                                  "\xe0\x80\x80",
                                                  "\xed\xa0\x80",
                                                  "\xed\x9f\xbf",
                                                  "\xf4\x8f\xbf\xbf",
                                                  "\xf4\x90\x80\x80",
                                                  "\xf0\x8f\xbf\xbf",
                                                  "\xe2\x82",
                                                  "\xc2\x80",
                                                  std::string("\0", 1),
                                                  "0123456789",
                                                  "ế"};
  return pieces;
}

std::string RandomString(std::mt19937& rng, bool valid_only) {
  std::string s;
  const int n = static_cast<int>(rng() % 5);
  for (int i = 0; i < n; ++i) {
    const std::string& p = Pieces()[rng() % Pieces().size()];
    if (valid_only &&
        (p[0] == '\\' || p[0] == '"' || static_cast<unsigned char>(p[0]) < 0x20 || p == "\xc3" ||
         p == "\xff" || p == "\xc0\xaf" || p == "\xe0\x80\x80" || p == "\xed\xa0\x80" ||
         p == "\xf4\x90\x80\x80" || p == "\xf0\x8f\xbf\xbf" || p == "\xe2\x82"))
      continue;
    s += p;
  }
  return s;
}

json RandomValue(std::mt19937& rng, int depth = 0) {
  switch (rng() % (depth < 2 ? 11 : 9)) {
    case 0:
    case 1:
      return RandomString(rng, false);
    case 2:
      return static_cast<int64_t>(rng() % 2000) - 1000;
    case 3:
      return static_cast<uint64_t>(rng()) * 4294967296ULL + rng();  // up to 20 digits
    case 4:
      return -static_cast<int64_t>(rng()) * 4294967;
    case 5: {
      const double d[] = {0.5, -0.0, 1e300, 0.1, -2.25, 3.0};
      return d[rng() % 6];
    }
    case 6:
      return rng() % 2 == 0;
    case 7:
      return nullptr;
    case 8:
      return std::numeric_limits<int64_t>::min();
    case 9: {
      json a = json::array();
      for (int i = static_cast<int>(rng() % 3); i > 0; --i)
        a.push_back(RandomValue(rng, depth + 1));
      return a;
    }
    default: {
      json o = json::object();
      for (int i = static_cast<int>(rng() % 3); i > 0; --i)
        o[RandomString(rng, true)] = RandomValue(rng, depth + 1);
      return o;
    }
  }
}

// Values and types alike (nlohmann's == holds 1 == 1u == 1.0).
bool Same(const json& a, const json& b) {
  if (a.is_discarded() || b.is_discarded()) return a.is_discarded() && b.is_discarded();
  return a.type() == b.type() && a == b && a.dump() == b.dump();
}

void CheckSameEntries(const std::vector<LogEntry>& a, const std::vector<LogEntry>& b) {
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    CAPTURE(i);
    const LogEntry& x = a[i];
    const LogEntry& y = b[i];
    CHECK(Same(x.op.value, y.op.value));
    RemoteOp xo = x.op, yo = y.op;
    xo.value = yo.value = nullptr;
    CHECK(xo == yo);
    CHECK(x.orig_hlc == y.orig_hlc);
    CHECK(x.commune_id == y.commune_id);
    CHECK(x.served == y.served);
    CHECK(x.outcome == y.outcome);
    CHECK(x.reason == y.reason);
    CHECK(x.pushed_by == y.pushed_by);
    CHECK(x.server_seq == y.server_seq);
    CHECK(x.received_at == y.received_at);
    CHECK(x.value_bytes == y.value_bytes);
  }
}

LogEntry Head() {
  LogEntry e;
  e.op.origin_device = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
  e.op.seq = 41;
  e.op.record_type = "visit";
  e.op.record_id = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c";
  e.op.field = "status";
  e.op.value = "draft";
  e.op.hlc = 1234567;
  e.commune_id = "c1";
  e.pushed_by = e.op.origin_device;
  e.outcome = "applied";
  e.server_seq = 900;
  e.received_at = 17;
  return e;
}

std::vector<LogEntry> RandomRun(std::mt19937& rng, size_t n) {
  std::vector<LogEntry> run{Head()};
  for (size_t i = 1; i < n; ++i) {
    LogEntry e = run.front();
    e.op.seq = run.front().op.seq + static_cast<int64_t>(i);
    e.op.field = rng() % 4 == 0 ? RandomString(rng, true) : "field_" + std::to_string(i);
    e.op.value = RandomValue(rng);
    e.op.base = {static_cast<int64_t>(rng() % 3 == 0 ? 0 : rng()), rng() % 2 ? "" : "dev-b"};
    e.op.hlc = static_cast<int64_t>(rng()) * (rng() % 2 ? 1 : -1);
    e.orig_hlc = rng() % 3 == 0 ? e.op.hlc : static_cast<int64_t>(rng());
    e.outcome = rng() % 2 ? "merged" : "quarantined";
    e.reason = rng() % 2 ? "" : RandomString(rng, false);
    e.op.author = rng() % 2 ? "" : "member-1";
    e.op.seen = {static_cast<int64_t>(rng() % 5), rng() % 2 ? "" : "dev-c"};
    run.push_back(std::move(e));
  }
  return run;
}

// `rest` read both ways after op 0 of `run`: the same ops or the same error.
void CheckBothWays(const std::vector<LogEntry>& run, const std::string& rest, int64_t n) {
  CAPTURE(rest);
  std::vector<LogEntry> fast{run.front()}, dom{run.front()};
  const Status a = ExpandRest(rest, n, fast, true);
  const Status b = ExpandRest(rest, n, dom, false);
  REQUIRE(a.ok() == b.ok());
  if (!a.ok()) {
    CHECK(a.message() == b.message());
    CHECK(a.code() == b.code());
    return;
  }
  CheckSameEntries(fast, dom);
}

TEST_CASE("JSON text: the writer gives exactly nlohmann's compact text") {
  std::mt19937 rng(7);
  for (int i = 0; i < 3000; ++i) {
    const json v = RandomValue(rng);
    std::string out = "x";
    json_text::AppendValueText(out, v);
    CHECK(out == "x" + Dumped(v));
    const std::string s = RandomString(rng, false);
    out = "y";
    json_text::AppendStringText(out, s);
    CHECK(out == "y" + Dumped(json(s)));
  }
}

TEST_CASE("Hub log text: a value read from text is what json::parse gives, with its dump's size") {
  std::mt19937 rng(11);
  std::vector<std::string> texts = {"",
                                    "\"\"",
                                    "0",
                                    "-0",
                                    "00",
                                    "-",
                                    "1.0",
                                    "1e5",
                                    "true",
                                    "tru",
                                    "null",
                                    " 1",
                                    "1 ",
                                    "\"a\\\"\"",
                                    "[1]",
                                    "{}",
                                    "\"",
                                    "-01",
                                    "123456789012345678",
                                    "1234567890123456789",
                                    "-123456789012345678",
                                    "+1"};
  for (int i = 0; i < 3000; ++i) {
    std::string t = Dumped(RandomValue(rng));
    texts.push_back(t);
    if (!t.empty()) {
      std::string cut = t.substr(0, rng() % t.size());
      texts.push_back(cut);
      t[rng() % t.size()] = static_cast<char>(rng());
      texts.push_back(t);
    }
  }
  for (const std::string& t : texts) {
    CAPTURE(t);
    const ReadValue r = ParseValueText(t);
    const json want = json::parse(t, nullptr, false);
    CHECK(Same(r.value, want));
    CHECK(r.dumped_bytes == want.dump().size());
  }
}

TEST_CASE("Hub log text: a row's ops read without a tree are those nlohmann reads") {
  std::mt19937 rng(3);
  for (int round = 0; round < 400; ++round) {
    const size_t n = 2 + rng() % static_cast<size_t>(kMaxLogRun - 1);
    const std::vector<LogEntry> run = RandomRun(rng, n);
    const std::string rest = RestJson(run);
    CHECK(RestText(run) == rest);  // whole ops: the JSON form
    CheckBothWays(run, rest, static_cast<int64_t>(n));
    // The run comes back: values as written (normalised by dump and parse).
    {
      std::vector<LogEntry> back{run.front()};
      REQUIRE(ExpandRest(rest, static_cast<int64_t>(n), back, true).ok());
      for (size_t i = 1; i < n; ++i) {
        CHECK(back[i].op.field == run[i].op.field);
        CHECK(Dumped(back[i].op.value) == Dumped(run[i].op.value));
        CHECK(back[i].op.seen == run[i].op.seen);
        CHECK(back[i].reason == json::parse(Dumped(json(run[i].reason))).get<std::string>());
        CHECK(back[i].server_seq == run.front().server_seq + static_cast<int64_t>(i));
      }
    }
    // A wrong count, truncations and byte changes.
    CheckBothWays(run, rest, static_cast<int64_t>(n) + 1);
    CheckBothWays(run, rest, static_cast<int64_t>(n) - 1);
    for (int k = 0; k < 6; ++k) {
      CheckBothWays(run, rest.substr(0, rng() % rest.size()), static_cast<int64_t>(n));
      std::string m = rest;
      const char kBytes[] = {' ', ',', ']', '[', '"', '\\', '0', '-', '.', 'e', '{', '}', '\xff'};
      m[rng() % m.size()] = kBytes[rng() % sizeof(kBytes)];
      CheckBothWays(run, m, static_cast<int64_t>(n));
      m = rest;
      m.insert(rng() % m.size(), 1, kBytes[rng() % sizeof(kBytes)]);
      CheckBothWays(run, m, static_cast<int64_t>(n));
    }
  }
  // Text the writer never makes but nlohmann reads: read the same.
  const std::vector<LogEntry> run = RandomRun(rng, 3);
  for (
      const std::string& rest :
      {std::string(
           R"([["f",1,0,"",2,2,"applied","","",0,""], ["g",2,0,"",3,3,"applied","","",0,""]])"),
       std::string(
           R"([["f",1,0,"",2,2,"applied","","",0,""],["g",2,0,"",3,3,"applied","","",0,""]] )"),
       std::string(
           R"([["f\u0041",-0,0,"",2,2,"applied","","",0,""],["g",1.5e3,0,"",3,3,"a","r\n","",0,""]])"),
       std::string(
           R"([["f",1,99999999999999999999,"",2,2,"applied","","",0,""],["g",2,0,"",3,3,"applied","","",0,""]])"),
       std::string(
           R"([["f",[1,"]"],0,"",2,2,"applied","","",0,""],["g",{"a":[]},0,"",3.0,3,"applied","","",0,""]])")})
    CheckBothWays(run, rest, 3);
}

// A canonical UUID (lowercase), or one that is not (uppercase, cut) now and then.
std::string RandomUuid(std::mt19937& rng) {
  static const char kDigits[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) s += '-';
    s += kDigits[rng() % 16];
  }
  if (rng() % 10 == 0) s[rng() % s.size()] = 'F';
  if (rng() % 10 == 0) s.pop_back();
  return s;
}

// A run of a visit (fields of its RecordDef) whose ops after the first are short, as a save
// makes them, with values of the kinds visits hold: UUIDs, arrays of them, dates, numbers,
// texts, objects, and any JSON now and then.
std::vector<LogEntry> RandomShortRun(std::mt19937& rng, size_t n) {
  static const char* kFields[] = {"household_id", "visited_on", "minutes", "members",
                                  "persons",      "topics",     "notes",   "followup_on",
                                  "status",       "created_by", "deleted"};
  std::vector<LogEntry> run{Head()};
  run.front().op.hlc = (int64_t{1} << 40) + static_cast<int64_t>(rng() % 100000);
  for (size_t i = 1; i < n; ++i) {
    LogEntry e = run.front();
    e.op.seq = run.front().op.seq + static_cast<int64_t>(i);
    e.op.field = kFields[rng() % std::size(kFields)];
    switch (rng() % 6) {
      case 0:
        e.op.value = RandomUuid(rng);
        break;
      case 1: {
        json a = json::array();
        for (int k = static_cast<int>(rng() % 4); k > 0; --k) a.push_back(RandomUuid(rng));
        e.op.value = a;
        break;
      }
      case 2:
        e.op.value = "2026-12-0" + std::to_string(rng() % 10);
        break;
      case 3:
        e.op.value = static_cast<int64_t>(rng() % 200);
        break;
      default:
        e.op.value = RandomValue(rng);
    }
    const int64_t steps[] = {0, 1, 2, 127, 128, 16383, 16384, kMaxBinaryStep, kMaxBinaryStep + 1};
    e.op.hlc = run[i - 1].op.hlc + (rng() % 4 == 0 ? steps[rng() % std::size(steps)] : 1);
    if (e.op.hlc - run.front().op.hlc > kMaxBinaryStep && rng() % 2) e.op.hlc = run.front().op.hlc;
    e.orig_hlc = e.op.hlc;
    run.push_back(std::move(e));
  }
  return run;
}

TEST_CASE("Hub log binary: a short run is written in binary and reads back as its JSON form") {
  std::mt19937 rng(5);
  int binary = 0, json_form = 0;
  for (int round = 0; round < 1500; ++round) {
    const size_t n = 2 + rng() % static_cast<size_t>(kMaxLogRun - 1);
    const std::vector<LogEntry> run = RandomShortRun(rng, n);
    const std::string rest = RestText(run);
    const std::string text = RestJson(run);
    CAPTURE(text);
    REQUIRE(!rest.empty());
    if (rest[0] != kRestBinary) {  // a step past the form's limit: the JSON form
      CHECK(rest == text);
      ++json_form;
      continue;
    }
    ++binary;
    CHECK(rest.size() < text.size());
    // Both forms read back to the same ops, both ways, as the JSON text's own ops.
    std::vector<LogEntry> from_binary{run.front()}, from_text{run.front()}, slow{run.front()};
    REQUIRE(ExpandRest(rest, static_cast<int64_t>(n), from_binary, true).ok());
    REQUIRE(ExpandRest(rest, static_cast<int64_t>(n), slow, false).ok());
    REQUIRE(ExpandRest(text, static_cast<int64_t>(n), from_text, false).ok());
    CheckSameEntries(from_binary, from_text);
    CheckSameEntries(slow, from_text);
    for (size_t i = 1; i < n; ++i) {
      CHECK(from_binary[i].op.field == run[i].op.field);
      CHECK(Dumped(from_binary[i].op.value) == Dumped(run[i].op.value));
      CHECK(from_binary[i].op.hlc == run[i].op.hlc);
    }
    // A wrong count, truncations and byte changes: an error with op 0 alone left, or ops.
    for (const int64_t wrong : {static_cast<int64_t>(n) + 1, static_cast<int64_t>(n) - 1}) {
      std::vector<LogEntry> out{run.front()};
      const Status s = ExpandRest(rest, wrong, out, true);
      CHECK_FALSE(s.ok());
      CHECK(s.code() == ErrorCode::kCorrupt);
      CHECK(out.size() == 1);
    }
    for (int k = 0; k < 6; ++k) {
      std::string m = rng() % 2 ? rest.substr(0, 1 + rng() % (rest.size() - 1)) : rest;
      if (m.size() == rest.size()) m[1 + rng() % (m.size() - 1)] = static_cast<char>(rng());
      std::vector<LogEntry> out{run.front()};
      const Status s = ExpandRest(m, static_cast<int64_t>(n), out, true);
      CHECK(out.size() == (s.ok() ? n : 1));
    }
  }
  CHECK(binary > 500);
  CHECK(json_form > 10);
}

TEST_CASE("Hub log binary: runs that do not fit the form are written as JSON") {
  std::mt19937 rng(9);
  std::vector<LogEntry> run = RandomShortRun(rng, 3);
  run[1].op.value = "01a24bb3-25ea-73eb-b0bb-3a7eb8274f24";
  REQUIRE(RestText(run)[0] == kRestBinary);
  auto json_of = [](std::vector<LogEntry> r) { return RestText(r) == RestJson(r); };
  {
    auto r = run;  // a field the RecordDef does not have
    r[2].op.field = "not_a_field";
    CHECK(json_of(r));
  }
  {
    auto r = run;  // an op that is not short (it carries a base)
    r[2].op.base = {5, "dev-b"};
    CHECK(json_of(r));
  }
  {
    auto r = run;  // a record type with no RecordDef
    for (auto& e : r) e.op.record_type = "no_such_type";
    CHECK(json_of(r));
  }
  {
    auto r = run;  // an op too long for a 2-byte length
    r[2].op.value = std::string(20000, 'x');
    CHECK(json_of(r));
  }
}

}  // namespace
}  // namespace gocua::hub_internal
