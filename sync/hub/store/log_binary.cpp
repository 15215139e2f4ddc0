// The binary form of a run's `rest` (log_binary.h).
#include "sync/hub/store/log_binary.h"

#include "storage/core/stamps_text.h"
#include "storage/core/uuid_bytes.h"
#include "storage/core/value_check.h"
#include "storage/core/varint.h"
#include "sync/hub/store/log_runs.h"
#include "sync/hub/store/log_text.h"

namespace gocua::hub_internal {

bool PutUuid(std::string& out, std::string_view id) {
  unsigned char b[16];
  if (!PackUuid(id, b)) return false;
  out.append(reinterpret_cast<const char*>(b), 16);
  return true;
}

std::string UuidText(const char* b) { return UnpackUuid(std::string_view(b, 16)); }

namespace {

// The value with a tag (log_binary.h).
void PutValue(std::string& out, const nlohmann::json& v) {
  const size_t start = out.size();
  if (v.is_string()) {
    out += '\x01';
    if (PutUuid(out, v.get_ref<const std::string&>())) return;
  } else if (v.is_array() && !v.empty()) {
    out += '\x02';
    bool all = true;
    for (const auto& x : v)
      if (!x.is_string() || !PutUuid(out, x.get_ref<const std::string&>())) {
        all = false;
        break;
      }
    if (all) return;
  }
  out.resize(start);
  out += '\x00';
  AppendValueText(out, v);
}

}  // namespace

bool AppendRestBinary(std::string& out, const std::vector<LogEntry>& run) {
  if (run.size() < 2) return false;  // a run of one op: "[]", as before
  const LogEntry& head = run.front();
  const RecordDef* def = FindRecordDefLast(head.op.record_type);
  if (!def) return false;
  const size_t start = out.size();
  out += kRestBinary;
  std::string body;
  for (size_t i = 1; i < run.size(); ++i) {
    const LogEntry& e = run[i];
    const size_t f = FieldIndex(*def, e.op.field);
    if (!ShortForm(head, e) || f == kNoField || f + 1 > 127 ||
        e.op.hlc - head.op.hlc > kMaxBinaryStep) {
      out.resize(start);
      return false;
    }
    body.clear();
    body += static_cast<char>(f + 1);
    PutVarint(body, static_cast<uint64_t>(e.op.hlc - head.op.hlc));
    PutValue(body, e.op.value);
    if (body.size() >= 16384) {
      out.resize(start);
      return false;
    }
    PutVarint(out, body.size());
    out += body;
  }
  return true;
}

bool ReadRestBinary(std::string_view rest, int64_t n, std::vector<LogEntry>& out) {
  const LogEntry& head = out.front();
  const RecordDef* def = FindRecordDefLast(head.op.record_type);
  size_t p = 1;
  auto fail = [&out] {
    out.resize(1);
    return false;
  };
  if (!def || head.op.hlc < 0) return fail();
  const size_t fields = def->fields.size() + 1;  // "deleted" last
  for (size_t i = 0; i + 1 < static_cast<size_t>(n); ++i) {
    uint64_t len = 0, step = 0;
    if (!GetVarint(rest, p, len) || len > rest.size() - p || len < 3) return fail();
    const std::string_view op = rest.substr(p, len);
    p += len;
    const auto code = static_cast<unsigned char>(op[0]);
    size_t q = 1;
    if (code < 1 || code > fields || !GetVarint(op, q, step) ||
        step > static_cast<uint64_t>(kMaxBinaryStep) || q >= op.size())
      return fail();
    LogEntry& e = AddShortFollower(out, i, static_cast<int64_t>(step));
    e.op.field = FieldName(*def, code - 1u);
    const char tag = op[q++];
    const std::string_view v = op.substr(q);
    if (tag == 0) {
      ReadValue r = ParseValueText(v);
      if (r.value.is_discarded()) return fail();
      e.op.value = std::move(r.value);
      e.value_bytes = r.dumped_bytes;
    } else if (tag == 1 && v.size() == 16) {
      e.op.value = UuidText(v.data());
      e.value_bytes = 38;
    } else if (tag == 2 && !v.empty() && v.size() % 16 == 0) {
      const size_t k = v.size() / 16;
      e.op.value = nlohmann::json::array();
      for (size_t j = 0; j < k; ++j) e.op.value.push_back(UuidText(v.data() + 16 * j));
      e.value_bytes = 2 + 38 * k + (k - 1);
    } else {
      return fail();
    }
  }
  if (p != rest.size()) return fail();
  return true;
}

}  // namespace gocua::hub_internal
