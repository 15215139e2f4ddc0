// The binary form of a run's `rest` (log_binary.h).
#include "sync/hub/store/log_binary.h"

#include "storage/core/stamps_text.h"
#include "storage/core/uuid_bytes.h"
#include "storage/core/value_check.h"
#include "storage/core/varint.h"
#include "sync/hub/store/log_runs.h"
#include "sync/hub/store/log_text.h"
#include "sync/hub/store/log_words.h"

namespace gocua::hub_internal {

bool PutUuid(std::string& out, std::string_view id) {
  unsigned char b[16];
  if (!PackUuid(id, b)) return false;
  out.append(reinterpret_cast<const char*>(b), 16);
  return true;
}

std::string UuidText(const char* b) { return UnpackUuid(std::string_view(b, 16)); }

namespace {

constexpr int64_t kDay0 = 10957;  // 2000-01-01 in days since 1970-01-01

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// "YYYY-MM-DD" of days since 1970-01-01 (civil_from_days).
std::string CivilText(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
  char buf[11];
  const unsigned yy = static_cast<unsigned>(y);
  buf[0] = static_cast<char>('0' + yy / 1000 % 10);
  buf[1] = static_cast<char>('0' + yy / 100 % 10);
  buf[2] = static_cast<char>('0' + yy / 10 % 10);
  buf[3] = static_cast<char>('0' + yy % 10);
  buf[4] = '-';
  buf[5] = static_cast<char>('0' + m / 10);
  buf[6] = static_cast<char>('0' + m % 10);
  buf[7] = '-';
  buf[8] = static_cast<char>('0' + d / 10);
  buf[9] = static_cast<char>('0' + d % 10);
  return std::string(buf, 10);
}

// The day number (since 2000-01-01, below kMaxBinaryDay) of `s` when it is a real date written
// "YYYY-MM-DD"; -1 otherwise.
int64_t DayOf(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return -1;
  unsigned v[3] = {};
  const int at[3][2] = {{0, 4}, {5, 2}, {8, 2}};
  for (int k = 0; k < 3; ++k)
    for (int j = 0; j < at[k][1]; ++j) {
      const char c = s[static_cast<size_t>(at[k][0] + j)];
      if (c < '0' || c > '9') return -1;
      v[k] = v[k] * 10 + static_cast<unsigned>(c - '0');
    }
  if (v[1] < 1 || v[1] > 12 || v[2] < 1) return -1;
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = v[0] % 4 == 0 && (v[0] % 100 != 0 || v[0] % 400 == 0);
  if (v[2] > kDays[v[1] - 1] + (v[1] == 2 && leap ? 1 : 0)) return -1;
  const int64_t day = DaysFromCivil(v[0], v[1], v[2]) - kDay0;
  return day >= 0 && day <= kMaxBinaryDay ? day : -1;
}

// A word's code (log_words.h) as one byte; false (`out` as it was) for a string not in the list.
bool PutWord(std::string& out, const nlohmann::json& v) {
  if (!v.is_string()) return false;
  const int code = LogWordCode(v.get_ref<const std::string&>());
  if (code < 0) return false;
  out += static_cast<char>(code);
  return true;
}

}  // namespace

void PutValue(std::string& out, const nlohmann::json& v, const std::string* author) {
  const size_t start = out.size();
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (author && s == *author) {
      out += '\x06';
      return;
    }
    out += '\x01';
    if (PutUuid(out, s)) return;
    out.back() = '\x04';
    if (PutWord(out, v)) return;
    if (const int64_t day = DayOf(s); day >= 0) {
      out.back() = '\x03';
      PutVarint(out, static_cast<uint64_t>(day));
      return;
    }
  } else if (v.is_array() && !v.empty()) {
    const bool first_author =
        author && v.front().is_string() && v.front().get_ref<const std::string&>() == *author;
    out += first_author ? '\x07' : '\x02';
    bool all = true;
    for (auto it = v.begin() + (first_author ? 1 : 0); it != v.end(); ++it)
      if (!it->is_string() || !PutUuid(out, it->get_ref<const std::string&>())) {
        all = false;
        break;
      }
    if (all) return;
  } else if (v.is_object() && !v.empty() && v.size() <= 64) {
    out.resize(start);
    out += '\x05';
    bool all = true;
    for (auto it = v.begin(); it != v.end() && all; ++it) {
      const int key = LogWordCode(it.key());
      all = key >= 0 && (out += static_cast<char>(key), PutWord(out, it.value()));
    }
    if (all) return;
  }
  out.resize(start);
  out += '\x00';
  AppendValueText(out, v);
}

bool GetValue(std::string_view op, size_t q, nlohmann::json& value, size_t& bytes,
              const std::string* author) {
  if (q >= op.size()) return false;
  const char tag = op[q++];
  const std::string_view v = op.substr(q);
  auto word = [](char c) -> const std::string_view* {
    const auto i = static_cast<unsigned char>(c);
    return i < kLogWordCount ? &kLogWords[i] : nullptr;
  };
  if (tag == 0) {
    ReadValue r = ParseValueText(v);
    if (r.value.is_discarded()) return false;
    value = std::move(r.value);
    bytes = r.dumped_bytes;
  } else if (tag == 1 && v.size() == 16) {
    value = UuidText(v.data());
    bytes = 38;
  } else if ((tag == 2 && !v.empty() && v.size() % 16 == 0) ||
             (tag == 7 && author && v.size() % 16 == 0)) {
    const size_t k = v.size() / 16;
    value = nlohmann::json::array();
    if (tag == 7) value.push_back(*author);
    for (size_t j = 0; j < k; ++j) value.push_back(UuidText(v.data() + 16 * j));
    bytes = 2 + 38 * value.size() + (value.size() - 1);
  } else if (tag == 6 && author && v.empty()) {
    value = *author;
    bytes = 38;
  } else if (tag == 3) {
    size_t p = 0;
    uint64_t day = 0;
    if (!GetVarint(v, p, day) || p != v.size() || day > static_cast<uint64_t>(kMaxBinaryDay))
      return false;
    value = CivilText(static_cast<int64_t>(day) + kDay0);
    bytes = 12;
  } else if (tag == 4 && v.size() == 1 && word(v[0])) {
    value = std::string(*word(v[0]));
    bytes = word(v[0])->size() + 2;
  } else if (tag == 5 && !v.empty() && v.size() % 2 == 0) {
    value = nlohmann::json::object();
    bytes = 1;
    for (size_t j = 0; j < v.size(); j += 2) {
      const std::string_view* k = word(v[j]);
      const std::string_view* w = word(v[j + 1]);
      if (!k || !w || value.contains(*k)) return false;
      value[std::string(*k)] = std::string(*w);
      bytes += k->size() + w->size() + 6;
    }
  } else {
    return false;
  }
  return true;
}

bool GetValueText(std::string_view op, size_t q, std::string& text, std::string_view author) {
  if (q >= op.size()) return false;
  const char tag = op[q++];
  const std::string_view v = op.substr(q);
  const size_t start = text.size();
  auto uuid = [&text](const char* b) {
    char quoted[38];
    quoted[0] = quoted[37] = '"';
    UnpackUuidTo(std::string_view(b, 16), quoted + 1);
    text.append(quoted, sizeof quoted);
  };
  auto quoted = [&text](std::string_view s) {
    text += '"';
    text += s;
    text += '"';
  };
  if (tag == 1 && v.size() == 16) {
    uuid(v.data());
  } else if ((tag == 2 && !v.empty() && v.size() % 16 == 0) ||
             (tag == 7 && !author.empty() && v.size() % 16 == 0)) {
    text += '[';
    if (tag == 7) quoted(author);
    for (size_t j = 0; j < v.size(); j += 16) {
      if (j > 0 || tag == 7) text += ',';
      uuid(v.data() + j);
    }
    text += ']';
  } else if (tag == 6 && !author.empty() && v.empty()) {
    quoted(author);
  } else if (tag == 3) {
    size_t p = 0;
    uint64_t day = 0;
    if (!GetVarint(v, p, day) || p != v.size() || day > static_cast<uint64_t>(kMaxBinaryDay))
      return false;
    quoted(CivilText(static_cast<int64_t>(day) + kDay0));
  } else if (tag == 4 && v.size() == 1 && static_cast<unsigned char>(v[0]) < kLogWordCount) {
    quoted(kLogWords[static_cast<unsigned char>(v[0])]);
  } else if (tag == 5 && !v.empty() && v.size() % 2 == 0) {
    // An object of words whose keys come in increasing order (as a json object holds them,
    // so as PutValue wrote them); any other order is left to GetValue.
    text += '{';
    for (size_t j = 0; j < v.size(); j += 2) {
      const auto k = static_cast<unsigned char>(v[j]), w = static_cast<unsigned char>(v[j + 1]);
      if (k >= kLogWordCount || w >= kLogWordCount ||
          (j > 0 && kLogWords[static_cast<unsigned char>(v[j - 2])] >= kLogWords[k])) {
        text.resize(start);
        return false;
      }
      if (j > 0) text += ',';
      quoted(kLogWords[k]);
      text += ':';
      quoted(kLogWords[w]);
    }
    text += '}';
  } else {
    text.resize(start);
    return false;
  }
  return true;
}

namespace {

// The author of the run (op 0's, which its short ops share) when it is a canonical UUID (text
// that JSON writes without escapes): the one tags 6 and 7 stand for; nullptr otherwise.
const std::string* AuthorUuid(const LogEntry& head) {
  unsigned char b[16];
  return PackUuid(head.op.author, b) ? &head.op.author : nullptr;
}

// One op's bytes after its length: code, step (unless `head`), the value.
bool PutOp(std::string& out, std::string& body, const RecordDef& def, const LogEntry& e,
           int64_t step, bool head, const std::string* author) {
  const size_t f = FieldIndexLast(def, e.op.field);
  if (f == kNoField || f + 1 > 127) return false;
  body.clear();
  body += static_cast<char>(f + 1);
  if (!head) PutVarint(body, static_cast<uint64_t>(step));
  PutValue(body, e.op.value, author);
  if (body.size() >= 16384) return false;
  PutVarint(out, body.size());
  out += body;
  return true;
}

}  // namespace

bool AppendRestBinary(std::string& out, std::span<const LogEntry> run, bool head_too) {
  if (run.size() < 2) return false;  // a run of one op: "[]", as before
  const LogEntry& head = run.front();
  const RecordDef* def = FindRecordDefLast(head.op.record_type);
  if (!def) return false;
  const size_t start = out.size();
  out += head_too ? kRestBinaryHead : kRestBinary;
  thread_local std::string body;
  const std::string* author = AuthorUuid(head);
  if (head_too && !PutOp(out, body, *def, head, 0, true, author)) {
    out.resize(start);
    return false;
  }
  for (size_t i = 1; i < run.size(); ++i) {
    const LogEntry& e = run[i];
    if (!ShortForm(head, e) || e.op.hlc - head.op.hlc > kMaxBinaryStep ||
        !PutOp(out, body, *def, e, e.op.hlc - head.op.hlc, false, author)) {
      out.resize(start);
      return false;
    }
  }
  return true;
}

bool ReadRestBinary(std::string_view rest, int64_t n, std::vector<LogEntry>& out) {
  LogEntry& head = out.front();
  const RecordDef* def = FindRecordDefLast(head.op.record_type);
  size_t p = 1;
  auto fail = [&out] {
    out.resize(1);
    return false;
  };
  if (!def || head.op.hlc < 0) return fail();
  const size_t fields = def->fields.size() + 1;  // "deleted" last
  const std::string* author = AuthorUuid(head);
  if (rest[0] == kRestBinaryHead) {  // op 0's field and value first (no step)
    uint64_t len = 0;
    if (!GetVarint(rest, p, len) || len > rest.size() - p || len < 2) return fail();
    const std::string_view op = rest.substr(p, len);
    p += len;
    const auto code = static_cast<unsigned char>(op[0]);
    if (code < 1 || code > fields || !GetValue(op, 1, head.op.value, head.value_bytes, author))
      return fail();
    head.op.field = FieldName(*def, code - 1u);
  }
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
    if (!GetValue(op, q, e.op.value, e.value_bytes, author)) return fail();
  }
  if (p != rest.size()) return fail();
  return true;
}

}  // namespace gocua::hub_internal
