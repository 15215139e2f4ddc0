// A log row read into views for a pull (sync/hub/store/sqlite/hub_log_read.h).
#include "sync/hub/store/sqlite/hub_log_read.h"

#include <cstring>

#include "storage/core/stamps_text.h"
#include "storage/core/uuid_bytes.h"
#include "storage/core/value_check.h"
#include "storage/core/varint.h"
#include "sync/hub/store/log_binary.h"
#include "sync/hub/store/log_text.h"
#include "sync/hub/store/pull_page.h"
#include "sync/hub/store/sqlite/hub_internal.h"

namespace gocua::hub_internal {
nlohmann::json& LogRowViews::NextJson(Op& o) {
  o.json = static_cast<int>(values_used_);
  if (values_used_ == values_.size()) values_.emplace_back();
  return values_[values_used_++];
}

bool LogRowViews::Value(std::string_view op, size_t q, std::string_view author, Op& o) {
  o.at = text_.size();
  if (GetValueText(op, q, text_, author) ||
      (q < op.size() && op[q] == 0 && ScalarText(op.substr(q + 1)) &&
       (text_ += op.substr(q + 1), true))) {  // tag 0: JSON text, a scalar as it is
    o.len = o.value_bytes = text_.size() - o.at;
    return true;
  }
  return GetValue(op, q, NextJson(o), o.value_bytes, nullptr);
}

// What a pull does not read (commune, outcome, reason, pushed_by) is left out, as constants.
const char kRunColumns[] =
    "server_seq, n, rest, origin, seq, record_type, record_id, field, value, base_hlc, "
    "base_device, hlc, orig_hlc, 0, served, '', '', 0, received_at, author, seen_hlc, "
    "seen_device";

Result<std::string_view> LogRowViews::IdText(Database::Impl& d, int64_t id) {
  auto it = ids_.find(id);
  if (it == ids_.end()) {
    auto text = hub_internal::IdText(d, id);
    if (!text) return text.error();
    it = ids_.emplace(id, std::move(text).value()).first;
  }
  return std::string_view(it->second);
}

bool LogRowViews::Decode(Stmt& q, int64_t n, std::string_view rest, std::string_view author_text) {
  ops_.clear();
  text_.clear();
  values_used_ = 0;
  Op& head = ops_.emplace_back();
  head.field = TextAt(q, 7);
  head.hlc = q.Int(11);
  // Empty in a row whose op 0 is in its binary rest (read below), as ExpandLogRow has it.
  if (const std::string_view value = TextAt(q, 8); !value.empty()) {
    ReadValue r = ParseValueText(value);
    NextJson(head) = std::move(r.value);
    head.value_bytes = r.dumped_bytes;
  } else {
    NextJson(head) = nlohmann::json();
  }
  if (n <= 1) return true;
  const RecordDef* def = FindRecordDefLast(TextAt(q, 5));
  if (!def || head.hlc < 0) return false;
  const size_t fields = def->fields.size() + 1;  // "deleted" last
  unsigned char b[16];
  const std::string_view author = PackUuid(author_text, b) ? author_text : std::string_view();
  size_t p = 1;
  if (rest[0] == kRestBinaryHead) {  // op 0's field and value first (no step)
    uint64_t len = 0;
    if (!GetVarint(rest, p, len) || len > rest.size() - p || len < 2) return false;
    const std::string_view op = rest.substr(p, len);
    p += len;
    const auto code = static_cast<unsigned char>(op[0]);
    --values_used_;  // the value column's, replaced
    head.json = -1;
    if (code < 1 || code > fields || !Value(op, 1, author, head)) return false;
    head.field = FieldName(*def, code - 1u);
  }
  const int64_t hlc = head.hlc;  // `head` moves as ops_ grows
  for (int64_t i = 1; i < n; ++i) {
    uint64_t len = 0, step = 0;
    if (!GetVarint(rest, p, len) || len > rest.size() - p || len < 3) return false;
    const std::string_view op = rest.substr(p, len);
    p += len;
    const auto code = static_cast<unsigned char>(op[0]);
    size_t at = 1;
    if (code < 1 || code > fields || !GetVarint(op, at, step) ||
        step > static_cast<uint64_t>(kMaxBinaryStep) || at >= op.size())
      return false;
    Op& o = ops_.emplace_back();
    o.field = FieldName(*def, code - 1u);
    o.hlc = hlc + static_cast<int64_t>(step);
    if (!Value(op, at, author, o)) return false;
  }
  return p == rest.size();
}

Status LogRowViews::Read(Database::Impl& d, Stmt& q, const Take& take) {
  RunTexts texts;
  const std::pair<int, std::string_view*> ids[] = {
      {3, &texts.origin}, {10, &texts.base_device}, {19, &texts.author}, {21, &texts.seen_device}};
  for (const auto& [col, text] : ids) {
    auto t = IdText(d, q.Int(col));
    if (!t) return t.error();
    *text = *t;
  }
  const int64_t n = q.Int(1);
  const std::string_view rest = q.Bytes(2);
  const bool binary = !rest.empty() && (rest[0] == kRestBinary || rest[0] == kRestBinaryHead);
  if (!((n <= 1 || binary) && Decode(q, n, rest, texts.author))) {
    auto entries = ExpandRunRow(q, texts);
    if (!entries) return entries.error();
    for (const LogEntry& e : *entries)
      if (!take(ViewOf(e.server_seq, e.op, e.value_bytes))) break;
    return Status::Ok();
  }
  PulledOpView v;
  v.server_seq = q.Int(0);
  v.origin_device = texts.origin;
  v.seq = q.Int(4);
  v.record_type = TextAt(q, 5);
  if (sqlite3_column_type(q.raw(), 6) == SQLITE_BLOB && q.Bytes(6).size() == 16) {
    record_id_.resize(36);  // hub schema 12: a UUID's 16 bytes
    UnpackUuidTo(q.Bytes(6), record_id_.data());
    v.record_id = record_id_;
  } else {
    v.record_id = TextAt(q, 6);
  }
  v.author = texts.author;
  v.base_hlc = q.Int(9);
  v.base_device = texts.base_device;
  v.seen_hlc = q.Int(20);
  v.seen_device = texts.seen_device;
  for (size_t k = 0; k < ops_.size(); ++k) {
    const Op& o = ops_[k];
    if (k == 1) {  // the short ops after op 0: no base, no seen
      v.base_hlc = v.seen_hlc = 0;
      v.base_device = v.seen_device = {};
    }
    v.field = o.field;
    v.hlc = o.hlc;
    v.value = o.json >= 0 ? &values_[static_cast<size_t>(o.json)] : nullptr;
    v.value_text = o.json >= 0 ? std::string_view() : std::string_view(text_).substr(o.at, o.len);
    v.value_bytes = o.value_bytes;
    if (!take(v)) break;
    ++v.server_seq;
    ++v.seq;
  }
  return Status::Ok();
}

}  // namespace gocua::hub_internal
