#include "storage/core/value_check.h"

#include <algorithm>
#include <array>

#include "storage/core/record_store.h"
#include "storage/core/stamps_text.h"
#include "storage/core/text.h"

namespace gocua {
namespace {

bool IsDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[static_cast<size_t>(i)] < '0' || s[static_cast<size_t>(i)] > '9') return false;
  // The digits are checked above: their values without stoi (every date of every op pushed).
  auto digits = [&s](size_t at, size_t n) {
    int v = 0;
    for (size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  const int y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

Status Bad(const RecordDef& def, const FieldDef& f, const std::string& why) {
  return InvalidInput(std::string(def.type) + "." + f.name + ": " + why);
}

}  // namespace

bool IsRefId(const std::string& s) {
  // A table rather than four comparisons a byte: the hub checks two ids of every op pushed.
  static constexpr auto kAllowed = [] {
    std::array<bool, 256> t{};
    for (int c = '0'; c <= '9'; ++c) t[static_cast<size_t>(c)] = true;
    for (int c = 'a'; c <= 'z'; ++c) t[static_cast<size_t>(c)] = true;
    t['-'] = t['_'] = true;
    return t;
  }();
  if (s.size() > 40) return false;
  for (char c : s)
    if (!kAllowed[static_cast<unsigned char>(c)]) return false;
  return true;
}

const RecordDef* FindRecordDefLast(std::string_view type) {
  thread_local const RecordDef* last = nullptr;  // RecordDefs() lives as long as the process
  thread_local std::string_view last_type;
  if (last && type == last_type) return last;
  const RecordDef* def = FindRecordDef(type);
  if (def) last = def, last_type = def->type;
  return def;
}

const FieldDef* FindFieldLast(const RecordDef& def, std::string_view name) {
  // The field's own name is kept (a RecordDef lives as long as the process), not `name`.
  thread_local const FieldDef* last = nullptr;
  thread_local const RecordDef* last_def = nullptr;
  thread_local std::string_view last_name;
  if (last && &def == last_def && name == last_name) return last;
  const FieldDef* f = def.Field(name);
  if (f) last = f, last_def = &def, last_name = f->name;
  return f;
}

size_t FieldIndexLast(const RecordDef& def, std::string_view name) {
  if (const FieldDef* f = FindFieldLast(def, name))
    return static_cast<size_t>(f - def.fields.data());
  return FieldIndex(def, name);
}

Status CheckValueInPlace(const RecordDef& def, const FieldDef& f, json& v) {
  switch (f.kind) {
    case FieldKind::kInt:
      if (!v.is_number_integer()) return Bad(def, f, "phải là số nguyên — must be an integer");
      return Status::Ok();
    case FieldKind::kJson:
      if (!v.is_array() && !v.is_object())
        return Bad(def, f, "phải là mảng hoặc đối tượng JSON — must be a JSON array or object");
      return Status::Ok();
    case FieldKind::kDate: {
      if (!v.is_string() ||
          !(v.get_ref<const std::string&>().empty() || IsDate(v.get_ref<const std::string&>())))
        return Bad(def, f, "ngày không hợp lệ, cần dạng YYYY-MM-DD — invalid date");
      return Status::Ok();
    }
    case FieldKind::kRef:
      if (!v.is_string() || !IsRefId(v.get_ref<const std::string&>()))
        return Bad(def, f, "mã bản ghi không hợp lệ — invalid record id");
      return Status::Ok();
    case FieldKind::kText: {
      if (!v.is_string()) return Bad(def, f, "phải là chuỗi — must be a string");
      const std::string& text = v.get_ref<const std::string&>();
      // Plain ASCII is valid UTF-8 and its own NFC, a code point a byte: checked where it is
      // (ToNfc's copy and the swap were most of this check for every text op pushed).
      const bool ascii = std::all_of(text.begin(), text.end(),
                                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
      Result<std::string> nfc = ascii ? Result<std::string>(std::string()) : ToNfc(text);
      if (!nfc) return Bad(def, f, "không phải văn bản UTF-8 hợp lệ — not valid UTF-8");
      const std::string& normal = ascii ? text : *nfc;
      const bool multiline = f.max_chars >= 1000;
      for (unsigned char c : normal)
        if (c < 0x20 && !(multiline && (c == '\n' || c == '\t')))
          return Bad(def, f, "có ký tự điều khiển — contains a control character");
      if ((ascii ? text.size() : CodePointCount(normal)) > static_cast<size_t>(f.max_chars))
        return Bad(def, f,
                   "dài quá " + std::to_string(f.max_chars) + " ký tự — longer than " +
                       std::to_string(f.max_chars) + " characters");
      if (!ascii) v.get_ref<std::string&>() = std::move(*nfc);
      return Status::Ok();
    }
  }
  return Bad(def, f, "unknown kind");
}

Result<json> CheckValue(const RecordDef& def, const FieldDef& f, const json& v) {
  json out = v;
  if (Status s = CheckValueInPlace(def, f, out); !s) return s;
  return out;
}

namespace {

// At least the size of `v` as compact JSON text, and at most six times it plus a little: a
// string's bytes may each be escaped as \u00XX. Walks the value without writing it out.
size_t DumpBound(const json& v) {
  if (v.is_string()) return 6 * v.get_ref<const std::string&>().size() + 2;
  if (v.is_object()) {
    size_t n = 2;
    for (const auto& [key, child] : v.items()) n += 6 * key.size() + 4 + DumpBound(child);
    return n;
  }
  if (v.is_array()) {
    size_t n = 2;
    for (const json& child : v) n += DumpBound(child) + 1;
    return n;
  }
  return 32;  // a number, true, false or null
}

int Depth(const json& v) {
  int deepest = 0;
  if (v.is_structured())
    for (const auto& child : v) deepest = std::max(deepest, Depth(child));
  return v.is_structured() ? deepest + 1 : 0;
}

}  // namespace

namespace {

// IsRefId(s), with the last id found good in `last` (this thread's): a run of ops names one
// record and one author, and the hub checks both for every op pushed.
bool IsRefIdAsBefore(const std::string& s, std::string& last) {
  if (s.size() == last.size() && s == last) return true;
  if (!IsRefId(s)) return false;
  last = s;
  return true;
}

// CheckRemoteOp's checks of `op`, whose value is `value`; on success `value` is normalised, on
// failure it is unchanged. `value` may be op.value itself (NormaliseRemoteOp).
Status CheckRemoteOpInto(const RemoteOp& op, json& value) {
  thread_local std::string last_author, last_id;
  // The protocol's content rules (sync/protocol/protocol.h), restated: storage does not link it.
  constexpr size_t kMaxValueBytes = 32 * 1024;
  constexpr int kMaxValueDepth = 8;
  if (op.hlc <= 0) return InvalidInput("hlc must be positive");
  if ((op.base.hlc == 0) != op.base.device.empty())
    return InvalidInput("base stamp must have both hlc and device, or neither");
  if (op.base.hlc < 0) return InvalidInput("base hlc must not be negative");
  if ((op.seen.hlc == 0) != op.seen.device.empty() || op.seen.hlc < 0)
    return InvalidInput("seen stamp must have both hlc and device, or neither");
  if (!op.seen.device.empty() && (op.field != "deleted" || value != 1))
    return InvalidInput("only a delete says what it had seen");
  if (op.author.size() > 40 || !IsRefIdAsBefore(op.author, last_author))
    return InvalidInput("invalid author");
  if (Depth(value) > kMaxValueDepth) return InvalidInput("value nested too deep");
  // Written out only when the bound allows more than the limit: most values are short.
  if (DumpBound(value) > kMaxValueBytes &&
      value.dump(-1, ' ', false, json::error_handler_t::replace).size() > kMaxValueBytes)
    return InvalidInput("value larger than 32 KiB");
  const RecordDef* def = FindRecordDefLast(op.record_type);
  if (!def) return InvalidInput("unknown record type " + op.record_type);
  if (op.record_id.empty() || !IsRefIdAsBefore(op.record_id, last_id))
    return InvalidInput(op.record_type + ": invalid record id");
  if (op.field == "deleted") {
    if (value != 0 && value != 1) return InvalidInput(op.record_type + ".deleted must be 0 or 1");
    return Status::Ok();
  }
  const FieldDef* f = FindFieldLast(*def, op.field);
  if (!f) return InvalidInput(op.record_type + ": unknown field " + op.field);
  return CheckValueInPlace(*def, *f, value);
}

}  // namespace

Result<json> CheckRemoteOp(const RemoteOp& op) {
  json value = op.value;
  if (Status s = CheckRemoteOpInto(op, value); !s) return s;
  return value;
}

Status NormaliseRemoteOp(RemoteOp& op) { return CheckRemoteOpInto(op, op.value); }

}  // namespace gocua
