#include "storage/core/outbox_runs.h"

#include <algorithm>
#include <cstring>

#include "base/json_text.h"
#include "storage/core/schema.h"
#include "storage/core/stamps_text.h"
#include "storage/core/uuid_bytes.h"
#include "storage/core/value_text.h"
#include "storage/core/varint.h"

namespace gocua {
namespace {

using nlohmann::json;

bool GetBytes(std::string_view t, size_t& p, std::string_view& out) {
  uint64_t len;
  if (!GetVarint(t, p, len) || len > t.size() - p) return false;
  out = t.substr(p, len);
  p += len;
  return true;
}

uint64_t ZigZag(int64_t a, int64_t b) {  // a − b, two's complement, small either way
  const uint64_t delta = static_cast<uint64_t>(a) - static_cast<uint64_t>(b);
  return (delta << 1) ^ (0 - (delta >> 63));
}
int64_t Delta(uint64_t z) {  // the a − b of ZigZag(a, b)
  return static_cast<int64_t>((z >> 1) ^ (0 - (z & 1)));
}

constexpr uint8_t kBase = 1, kSeen = 2;

// An id in the canonical lowercase UUID form (8-4-4-4-12 hex) is stored as its 16 bytes, a
// BLOB; anything else (the empty author, another form) as TEXT. Reading gives the text back.
void BindId(sqlite3_stmt* s, int i, const std::string& id) {
  unsigned char packed[16];
  if (PackUuid(id, packed))
    sqlite3_bind_blob(s, i, packed, 16, SQLITE_TRANSIENT);
  else
    sqlite3_bind_text(s, i, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
}

std::string ColumnId(Stmt& q, int col) {
  if (sqlite3_column_type(q.raw(), col) == SQLITE_BLOB) {
    const std::string_view b = q.Bytes(col);
    if (b.size() == 16) return UnpackUuid(b);
  }
  return q.Text(col);
}

// A value's JSON text, written as: tag 1 and 16 bytes for a string that is a canonical UUID
// ("…", 38 characters of text); tag 2, varint count and 16 bytes each for an array of them as
// json::dump() writes it (["…","…"], no spaces; not empty); tag 0, varint length and the text
// for anything else.
constexpr uint8_t kTextValue = 0, kUuidValue = 1, kUuidArray = 2;

void PutValue(std::string& out, std::string_view v) {
  unsigned char packed[16];
  if (v.size() == 38 && v.front() == '"' && v.back() == '"' && PackUuid(v.substr(1, 36), packed)) {
    out.push_back(static_cast<char>(kUuidValue));
    out.append(reinterpret_cast<const char*>(packed), 16);
    return;
  }
  // [ then n times "uuid" separated by commas, then ]: 2 + 38n + (n − 1) characters.
  if (v.size() >= 40 && v.front() == '[' && v.back() == ']' && (v.size() - 1) % 39 == 0) {
    const size_t n = (v.size() - 1) / 39;
    std::string bytes;
    bool ok = true;
    for (size_t k = 0; ok && k < n; ++k) {
      const std::string_view item = v.substr(1 + 39 * k, 38);
      const char after = v[1 + 39 * k + 38];
      ok = item.front() == '"' && item.back() == '"' && after == (k + 1 == n ? ']' : ',') &&
           PackUuid(item.substr(1, 36), packed);
      if (ok) bytes.append(reinterpret_cast<const char*>(packed), 16);
    }
    if (ok) {
      out.push_back(static_cast<char>(kUuidArray));
      PutVarint(out, n);
      out += bytes;
      return;
    }
  }
  out.push_back(static_cast<char>(kTextValue));
  PutVarint(out, v.size());
  out += v;
}

// The value's JSON text back, as PutValue was given it.
bool GetValue(std::string_view t, size_t& p, std::string& out) {
  if (p >= t.size()) return false;
  const auto tag = static_cast<uint8_t>(t[p++]);
  if (tag == kTextValue) {
    std::string_view text;
    if (!GetBytes(t, p, text)) return false;
    out.assign(text);
    return true;
  }
  uint64_t n = 1;
  if (tag == kUuidArray && (!GetVarint(t, p, n) || n == 0 || n > (t.size() - p) / 16)) return false;
  if (tag != kUuidArray && tag != kUuidValue) return false;
  if (16 * n > t.size() - p) return false;
  // "…" is 38 characters; an array adds its brackets and a comma between items.
  const bool array = tag == kUuidArray;
  out.assign(array ? 39 * n + 1 : 38, ',');
  char* w = out.data();
  if (array) *w++ = '[';
  for (uint64_t k = 0; k < n; ++k) {
    w[0] = '"';
    UnpackUuidTo(t.substr(p, 16), w + 1);
    w[37] = '"';
    w += 39;  // past the comma (or where the bracket goes)
    p += 16;
  }
  if (array) out.back() = ']';
  return true;
}

int64_t MaxHlc(const std::vector<RunEntry>& entries) {
  int64_t m = entries[0].hlc;
  for (const RunEntry& e : entries) m = std::max(m, e.hlc);
  return m;
}

std::string EncodeRun(const RecordDef* def, const std::vector<RunEntry>& entries) {
  std::vector<std::string_view> devices;
  auto device_index = [&](std::string_view id) {
    for (size_t k = 0; k < devices.size(); ++k)
      if (devices[k] == id) return k;
    devices.push_back(id);
    return devices.size() - 1;
  };
  std::string body;
  int64_t prev = MaxHlc(entries);  // the row's hlc column
  for (const RunEntry& e : entries) {
    const size_t i = def ? FieldIndex(*def, e.field) : kNoField;
    if (i == kNoField) {
      PutVarint(body, 0);
      PutVarint(body, std::strlen(e.field));
      body += e.field;
    } else {
      PutVarint(body, i + 1);
    }
    PutVarint(body, ZigZag(e.hlc, prev));
    prev = e.hlc;
    PutValue(body, e.value);
    const bool base = e.base_hlc != 0 || !e.base_device.empty();
    const bool seen = e.seen_hlc != 0 || !e.seen_device.empty();
    body.push_back(static_cast<char>((base ? kBase : 0) | (seen ? kSeen : 0)));
    if (base) {
      PutVarint(body, device_index(e.base_device));
      PutVarint(body, ZigZag(e.hlc, e.base_hlc));
    }
    if (seen) {
      PutVarint(body, device_index(e.seen_device));
      PutVarint(body, ZigZag(e.hlc, e.seen_hlc));
    }
  }
  std::string out;
  out.reserve(body.size() + 40 * devices.size() + 2);
  PutVarint(out, devices.size());
  for (std::string_view id : devices) {
    PutVarint(out, id.size());
    out += id;
  }
  out += body;
  return out;
}

// Appends the entries of one row to `out`, those with seq > after_seq, until `out` holds
// `limit` (limit < 0: no limit).
Status DecodeRun(Stmt& q, int64_t after_seq, int limit, std::vector<ChangeEntry>& out) {
  const int64_t first = q.Int(0), n = q.Int(1), hlc0 = q.Int(5);
  const std::string type = q.Text(2), id = ColumnId(q, 3), author = ColumnId(q, 4);
  const std::string_view t = q.Bytes(6);
  const RecordDef* def = FindRecordDef(type);
  const Status bad{ErrorCode::kCorrupt,
                   "change log: the run at seq " + std::to_string(first) + " is damaged"};
  size_t p = 0;
  uint64_t n_devices;
  if (!GetVarint(t, p, n_devices) || n_devices > 1024) return bad;
  std::vector<std::string_view> devices(n_devices);
  for (auto& dv : devices)
    if (!GetBytes(t, p, dv)) return bad;
  int64_t prev = hlc0;
  std::string value;
  for (int64_t k = 0; k < n; ++k) {
    ChangeEntry e;
    e.seq = first + k;
    uint64_t code, z;
    if (!GetVarint(t, p, code)) return bad;
    if (code == 0) {
      std::string_view name;
      if (!GetBytes(t, p, name)) return bad;
      e.field = std::string(name);
    } else {
      if (!def || code - 1 > def->fields.size()) return bad;
      e.field = FieldName(*def, code - 1);
    }
    if (!GetVarint(t, p, z)) return bad;
    e.hlc = prev + Delta(z);
    prev = e.hlc;
    if (!GetValue(t, p, value) || p >= t.size()) return bad;
    const auto flags = static_cast<uint8_t>(t[p++]);
    uint64_t dev;
    if (flags & kBase) {
      if (!GetVarint(t, p, dev) || dev >= n_devices || !GetVarint(t, p, z)) return bad;
      e.base_device = std::string(devices[dev]);
      e.base_hlc = e.hlc - Delta(z);
    }
    if (flags & kSeen) {
      if (!GetVarint(t, p, dev) || dev >= n_devices || !GetVarint(t, p, z)) return bad;
      e.seen_device = std::string(devices[dev]);
      e.seen_hlc = e.hlc - Delta(z);
    }
    if (e.seq <= after_seq) continue;
    if (limit >= 0 && out.size() >= static_cast<size_t>(limit)) return Status::Ok();
    if (!ParseValueText(value, e.value))
      return Status{ErrorCode::kCorrupt, "outbox seq " + std::to_string(e.seq) + ": bad value"};
    e.record_type = type;
    e.record_id = id;
    e.author = author;
    out.push_back(std::move(e));
  }
  if (p != t.size()) return bad;
  return Status::Ok();
}

constexpr const char* kSelect =
    "SELECT seq, n, record_type, record_id, author, hlc, entries FROM outbox_runs ";

}  // namespace

Status AppendRun(Database::Impl& d, const char* type, const std::string& id,
                 const std::string& author, int64_t first_seq,
                 const std::vector<RunEntry>& entries) {
  if (entries.empty()) return Status::Ok();
  const std::string blob = EncodeRun(FindRecordDef(type), entries);
  Status st;
  auto q = d.Prepare(
      "INSERT INTO outbox_runs(seq, n, record_type, record_id, author, hlc, entries) "
      "VALUES(?, ?, ?, ?, ?, ?, ?)",
      &st);
  if (!q) return st;
  sqlite3_stmt* s = q->raw();
  sqlite3_bind_int64(s, 1, first_seq);
  sqlite3_bind_int64(s, 2, static_cast<int64_t>(entries.size()));
  sqlite3_bind_text(s, 3, type, -1, SQLITE_STATIC);
  BindId(s, 4, id);
  BindId(s, 5, author);
  sqlite3_bind_int64(s, 6, MaxHlc(entries));
  sqlite3_bind_blob(s, 7, blob.data(), static_cast<int>(blob.size()), SQLITE_STATIC);
  const int rc = q->Step();
  q.reset();  // unbind before `blob` goes
  return rc == SQLITE_DONE ? Status::Ok() : d.Error("change log", rc);
}

Result<std::vector<ChangeEntry>> ReadRunEntries(Database::Impl& d, int64_t after_seq, int limit) {
  std::vector<ChangeEntry> out;
  if (limit == 0) return out;
  Status st;
  // From the run holding after_seq + 1 (the last run starting at or before it), by rowid.
  auto q = d.Prepare(std::string(kSelect) +
                         "WHERE seq >= coalesce((SELECT max(seq) FROM outbox_runs "
                         "WHERE seq <= ?1), ?1) ORDER BY seq",
                     &st);
  if (!q) return st;
  q->Bind(1, after_seq);
  int rc = SQLITE_DONE;
  while ((limit < 0 || out.size() < static_cast<size_t>(limit)) && (rc = q->Step()) == SQLITE_ROW) {
    if (Status s = DecodeRun(*q, after_seq, limit, out); !s) return s;
  }
  if (limit >= 0 && out.size() >= static_cast<size_t>(limit)) return out;
  if (rc != SQLITE_DONE) return d.Error("outbox", rc);
  return out;
}

Status ReplaceRunEntries(Database::Impl& d, const std::vector<ChangeEntry>& entries) {
  if (Status s = d.Exec("DELETE FROM outbox_runs"); !s) return s;
  std::vector<std::string> texts(entries.size());
  for (size_t i = 0; i < entries.size(); ++i)
    json_text::AppendValueText(texts[i], entries[i].value, json::error_handler_t::strict);
  size_t begin = 0;
  while (begin < entries.size()) {
    const ChangeEntry& a = entries[begin];
    size_t end = begin + 1;
    while (end < entries.size() && entries[end].record_type == a.record_type &&
           entries[end].record_id == a.record_id && entries[end].author == a.author &&
           entries[end].seq == a.seq + static_cast<int64_t>(end - begin))
      ++end;
    std::vector<RunEntry> run;
    for (size_t i = begin; i < end; ++i) {
      const ChangeEntry& e = entries[i];
      run.push_back(
          {e.field.c_str(), texts[i], e.hlc, e.base_hlc, e.base_device, e.seen_hlc, e.seen_device});
    }
    if (Status s = AppendRun(d, a.record_type.c_str(), a.record_id, a.author, a.seq, run); !s)
      return s;
    begin = end;
  }
  return Status::Ok();
}

Status DropRunEntriesThrough(Database::Impl& d, int64_t seq) {
  // The run holding seq + 1 and starting at or before seq keeps its later entries.
  std::vector<ChangeEntry> kept;
  {
    Status st;
    auto q = d.Prepare(std::string(kSelect) + "WHERE seq <= ?1 AND seq + n > ?1 + 1", &st);
    if (!q) return st;
    q->Bind(1, seq);
    int rc = SQLITE_DONE;
    while ((rc = q->Step()) == SQLITE_ROW)
      if (Status s = DecodeRun(*q, seq, -1, kept); !s) return s;
    if (rc != SQLITE_DONE) return d.Error("acknowledge", rc);
  }
  Status st;
  auto del = d.Prepare("DELETE FROM outbox_runs WHERE seq <= ?", &st);
  if (!del) return st;
  del->Bind(1, seq);
  if (int rc = del->Step(); rc != SQLITE_DONE) return d.Error("acknowledge", rc);
  del.reset();
  if (kept.empty()) return Status::Ok();
  std::vector<std::string> texts(kept.size());
  std::vector<RunEntry> run;
  for (size_t i = 0; i < kept.size(); ++i) {
    const ChangeEntry& e = kept[i];
    json_text::AppendValueText(texts[i], e.value, json::error_handler_t::strict);
    run.push_back(
        {e.field.c_str(), texts[i], e.hlc, e.base_hlc, e.base_device, e.seen_hlc, e.seen_device});
  }
  return AppendRun(d, kept[0].record_type.c_str(), kept[0].record_id, kept[0].author, kept[0].seq,
                   run);
}

Status CompactOldChangeLog(Database::Impl& d) {
  Status st;
  {
    auto has =
        d.Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox'", &st);
    if (!has) return st;
    const int rc = has->Step();
    if (rc == SQLITE_DONE) return Status::Ok();
    if (rc != SQLITE_ROW) return d.Error("outbox", rc);
  }
  auto q = d.Prepare(
      "SELECT seq, record_type, record_id, field, value, base_hlc, base_device, hlc, author, "
      "seen_hlc, seen_device FROM outbox ORDER BY seq",
      &st);
  if (!q) return st;
  // The run being gathered: its rows' text kept here (RunEntry holds views).
  struct Held {
    int64_t seq;
    std::string field, value, base_device, seen_device;
    int64_t hlc, base_hlc, seen_hlc;
  };
  std::string type, id, author;
  std::vector<Held> held;
  auto flush = [&]() -> Status {
    if (held.empty()) return Status::Ok();
    std::vector<RunEntry> run;
    run.reserve(held.size());
    for (const Held& h : held)
      run.push_back(
          {h.field.c_str(), h.value, h.hlc, h.base_hlc, h.base_device, h.seen_hlc, h.seen_device});
    Status s = AppendRun(d, type.c_str(), id, author, held[0].seq, run);
    held.clear();
    return s;
  };
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW) {
    Held h{q->Int(0),   q->Text(3), q->Text(4), q->Text(6),
           q->Text(10), q->Int(7),  q->Int(5),  q->Int(9)};
    std::string t = q->Text(1), i = q->Text(2), a = q->Text(8);
    const bool joins = !held.empty() && t == type && i == id && a == author &&
                       h.seq == held[0].seq + static_cast<int64_t>(held.size());
    if (!joins) {
      if (Status s = flush(); !s) return s;
      type = std::move(t);
      id = std::move(i);
      author = std::move(a);
    }
    held.push_back(std::move(h));
  }
  if (rc != SQLITE_DONE) return d.Error("outbox", rc);
  q.reset();
  if (Status s = flush(); !s) return s;
  return d.Exec("DROP TABLE outbox");
}

Result<bool> AnyRunEntryAfter(Database::Impl& d, int64_t hlc) {
  Status st;
  auto q = d.Prepare("SELECT 1 FROM outbox_runs WHERE hlc > ? LIMIT 1", &st);
  if (!q) return st;
  q->Bind(1, hlc);
  const int rc = q->Step();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return d.Error("outbox", rc);
  return rc == SQLITE_ROW;
}

Result<int64_t> CountRunEntries(Database::Impl& d) {
  Status st;
  auto q = d.Prepare("SELECT coalesce(sum(n), 0) FROM outbox_runs", &st);
  if (!q) return st;
  if (int rc = q->Step(); rc != SQLITE_ROW) return d.Error("outbox", rc);
  return q->Int(0);
}

}  // namespace gocua
