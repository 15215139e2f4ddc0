// The hub's server log as runs of ops (log_runs.h).
#include "sync/hub/store/log_runs.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "base/json_text.h"
#include "sync/hub/store/log_binary.h"
#include "sync/hub/store/log_text.h"

namespace gocua::hub_internal {

using json = nlohmann::json;

bool ExtendsRun(const LogEntry& last, const LogEntry& next) {
  return next.op.origin_device == last.op.origin_device && next.op.seq == last.op.seq + 1 &&
         next.op.record_type == last.op.record_type && next.op.record_id == last.op.record_id &&
         next.commune_id == last.commune_id && next.served == last.served &&
         next.pushed_by == last.pushed_by;
}

namespace {

// `s` as a JSON string. REQUIRES: valid UTF-8 (ids, field names and the hub's own texts).
void AppendString(std::string& out, const std::string& s) {
  out += '"';
  size_t plain = 0;  // s[plain, i) is yet to be copied as it is
  for (size_t i = 0; i < s.size(); ++i) {
    if (s.size() - i >= 8 && NoEscape8(s.data() + i)) {
      i += 7;
      continue;
    }
    const char c = s[i];
    if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) continue;
    out.append(s, plain, i - plain);
    plain = i + 1;
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else {
      static const char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[(c >> 4) & 15];
      out += kHex[c & 15];
    }
  }
  out.append(s, plain, std::string::npos);
  out += '"';
}

}  // namespace

bool ShortForm(const LogEntry& head, const LogEntry& e) {
  const RemoteOp& op = e.op;
  return op.base.hlc == 0 && op.base.device.empty() && e.orig_hlc == op.hlc &&
         e.outcome == head.outcome && e.reason.empty() && op.author == head.op.author &&
         op.seen.hlc == 0 && op.seen.device.empty() && head.op.hlc >= 0 && op.hlc >= head.op.hlc &&
         op.hlc - head.op.hlc <= kMaxShortStep;
}

// Ops 1..n-1 of a row, each in its short form [field, value, hlc - head's hlc] when ShortForm
// says so (hub schema 11), else whole: [field, value, base_hlc, base_device, hlc, orig_hlc,
// outcome, reason, author, seen_hlc, seen_device]. Written by hand: through a json tree it cost
// as much as the insert. The value and the reason (which may quote what a device sent) are
// written as dump(..., replace) writes them (base/json_text.h).
std::string RestText(const std::vector<LogEntry>& run) {
  std::string out;
  out.reserve(run.size() * 192);  // a typical op's text, so that `out` rarely grows
  AppendRestText(out, run);
  return out;
}

bool AppendRestText(std::string& out, std::span<const LogEntry> run, bool head_too) {
  if (AppendRestBinary(out, run, head_too)) return head_too;
  if (head_too && AppendRestBinary(out, run)) return false;
  AppendRestJson(out, run);
  return false;
}

std::string RestJson(const std::vector<LogEntry>& run) {
  std::string out;
  out.reserve(run.size() * 192);
  AppendRestJson(out, run);
  return out;
}

void AppendRestJson(std::string& out, std::span<const LogEntry> run) {
  out += '[';
  auto integer = [&out](int64_t v) {
    char buf[24];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
  };
  auto number = [&](int64_t v) {
    out += ',';
    integer(v);
    out += ',';
  };
  const LogEntry& head = run.front();
  for (size_t i = 1; i < run.size(); ++i) {
    const LogEntry& e = run[i];
    const RemoteOp& op = e.op;
    if (i > 1) out += ',';
    out += '[';
    AppendString(out, op.field);
    out += ',';
    AppendValueText(out, op.value);
    if (ShortForm(head, e)) {
      out += ',';
      integer(op.hlc - head.op.hlc);
      out += ']';
      continue;
    }
    number(op.base.hlc);
    AppendString(out, op.base.device);
    number(op.hlc);
    integer(e.orig_hlc);
    out += ',';
    AppendString(out, e.outcome);
    out += ',';
    AppendStringText(out, e.reason);
    out += ',';
    AppendString(out, op.author);
    number(op.seen.hlc);
    AppendString(out, op.seen.device);
    out += ']';
  }
  out += ']';
}

namespace {

void FillShort(const LogEntry& head, LogEntry& e, int64_t step);

// Appends op `i` (0-based in `rest`) of a row with the fields it shares with op 0.
// REQUIRES: out.capacity() > out.size() (op 0 stays where it is).
LogEntry& AddFollower(std::vector<LogEntry>& out, size_t i) {
  const LogEntry& head = out.front();
  LogEntry& e = out.emplace_back();
  e.server_seq = head.server_seq + 1 + static_cast<int64_t>(i);
  e.op.origin_device = head.op.origin_device;
  e.op.seq = head.op.seq + 1 + static_cast<int64_t>(i);
  e.op.record_type = head.op.record_type;
  e.op.record_id = head.op.record_id;
  e.commune_id = head.commune_id;
  e.served = head.served;
  e.pushed_by = head.pushed_by;
  e.received_at = head.received_at;
  return e;
}

// Whether `step` may follow `head` in a short form: what ShortForm lets the writer write.
bool ShortStep(const LogEntry& head, int64_t step) {
  return head.op.hlc >= 0 && step >= 0 && step <= kMaxShortStep;
}

// The op that the short form [field, value, step] after `head` stands for (field and value
// aside).
void FillShort(const LogEntry& head, LogEntry& e, int64_t step) {
  e.op.base = {};
  e.op.hlc = head.op.hlc + step;
  e.orig_hlc = e.op.hlc;
  e.outcome = head.outcome;
  e.reason.clear();
  e.op.author = head.op.author;
  e.op.seen = {};
}

// `rest` in the writer's form (RestText), read without a tree; false for anything else.
bool ReadRestFast(std::string_view rest, int64_t n, std::vector<LogEntry>& out) {
  RestReader r(rest);
  if (!r.Expect('[')) return false;
  for (size_t i = 0; i + 1 < static_cast<size_t>(n); ++i) {
    if (i > 0 && !r.Expect(',')) return false;
    LogEntry& e = AddFollower(out, i);
    ReadValue v;
    if (!(r.Expect('[') && r.String(&e.op.field) && r.Expect(',') && r.Value(&v) && r.Expect(',') &&
          r.Int(&e.op.base.hlc)))
      return false;
    if (r.Expect(']')) {  // the short form: e.op.base.hlc holds the step from the head's hlc
      if (!ShortStep(out.front(), e.op.base.hlc)) return false;
      FillShort(out.front(), e, e.op.base.hlc);
      e.op.value = std::move(v.value);
      e.value_bytes = v.dumped_bytes;
      continue;
    }
    if (!(r.Expect(',') && r.String(&e.op.base.device) && r.Expect(',') && r.Int(&e.op.hlc) &&
          r.Expect(',') && r.Int(&e.orig_hlc) && r.Expect(',') && r.String(&e.outcome) &&
          r.Expect(',') && r.String(&e.reason) && r.Expect(',') && r.String(&e.op.author) &&
          r.Expect(',') && r.Int(&e.op.seen.hlc) && r.Expect(',') && r.String(&e.op.seen.device) &&
          r.Expect(']')))
      return false;
    e.op.value = std::move(v.value);
    e.value_bytes = v.dumped_bytes;
  }
  return r.Expect(']') && r.AtEnd();
}

// `rest` through nlohmann's tree: any JSON text, and the errors for a damaged row.
Status ReadRestDom(std::string_view rest, int64_t n, std::vector<LogEntry>& out) {
  json parsed = json::parse(rest, nullptr, false);
  const std::string row = std::to_string(out.front().server_seq);
  if (!parsed.is_array() || static_cast<int64_t>(parsed.size()) != n - 1)
    return Status{ErrorCode::kCorrupt,
                  "hub log: row " + row + " does not hold its " + std::to_string(n) + " ops"};
  for (size_t i = 0; i < parsed.size(); ++i) {
    json& r = parsed[i];
    if (r.is_array() && r.size() == 3 && r[0].is_string() && r[2].is_number_integer() &&
        ShortStep(out.front(), r[2].get<int64_t>())) {
      LogEntry& e = AddFollower(out, i);
      e.op.field = std::move(r[0].get_ref<std::string&>());
      e.op.value = std::move(r[1]);
      e.value_bytes = e.op.value.dump().size();
      FillShort(out.front(), e, r[2].get<int64_t>());
      continue;
    }
    if (!r.is_array() || r.size() != 11 || !r[0].is_string() || !r[2].is_number_integer() ||
        !r[3].is_string() || !r[4].is_number_integer() || !r[5].is_number_integer() ||
        !r[6].is_string() || !r[7].is_string() || !r[8].is_string() || !r[9].is_number_integer() ||
        !r[10].is_string())
      return Status{ErrorCode::kCorrupt, "hub log: row " + row + " has a damaged op"};
    auto text = [&r](size_t k) { return std::move(r[k].get_ref<std::string&>()); };
    LogEntry& e = AddFollower(out, i);
    e.op.field = text(0);
    e.op.value = std::move(r[1]);
    e.value_bytes = e.op.value.dump().size();
    e.op.base = {r[2].get<int64_t>(), text(3)};
    e.op.hlc = r[4].get<int64_t>();
    e.op.author = text(8);
    e.op.seen = {r[9].get<int64_t>(), text(10)};
    e.orig_hlc = r[5].get<int64_t>();
    e.outcome = text(6);
    e.reason = text(7);
  }
  return Status::Ok();
}

}  // namespace

LogEntry& AddShortFollower(std::vector<LogEntry>& out, size_t i, int64_t step) {
  LogEntry& e = AddFollower(out, i);
  FillShort(out.front(), e, step);
  return e;
}

Status ExpandRest(std::string_view rest, int64_t n, std::vector<LogEntry>& out, bool fast) {
  out.reserve(static_cast<size_t>(n));
  if (!rest.empty() && (rest[0] == kRestBinary || rest[0] == kRestBinaryHead)) {  // log_binary.h
    if (ReadRestBinary(rest, n, out)) return Status::Ok();
    return Status{ErrorCode::kCorrupt, "hub log: row " + std::to_string(out.front().server_seq) +
                                           " does not hold its " + std::to_string(n) + " ops"};
  }
  if (fast) {
    if (ReadRestFast(rest, n, out)) return Status::Ok();
    out.resize(1);
  }
  Status s = ReadRestDom(rest, n, out);
  if (!s) out.resize(1);
  return s;
}

}  // namespace gocua::hub_internal
