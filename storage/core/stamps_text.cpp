#include "storage/core/stamps_text.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>

#include "storage/core/varint.h"

namespace gocua {
namespace {

using json = nlohmann::json;

// Field indexes of `def` in the order std::map sorts their names (the order dump() writes).
std::vector<size_t> SortedOrder(const RecordDef& def) {
  std::vector<size_t> order(def.fields.size() + 1);
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::string_view(FieldName(def, a)) < std::string_view(FieldName(def, b));
  });
  return order;
}

const std::vector<size_t>& OrderOf(const RecordDef& def, std::vector<size_t>& scratch) {
  static const std::vector<std::vector<size_t>> orders = [] {
    std::vector<std::vector<size_t>> all;
    for (const RecordDef& d : RecordDefs()) all.push_back(SortedOrder(d));
    return all;
  }();
  const std::vector<RecordDef>& defs = RecordDefs();
  if (&def >= defs.data() && &def < defs.data() + defs.size())
    return orders[static_cast<size_t>(&def - defs.data())];
  scratch = SortedOrder(def);  // a RecordDef made elsewhere (tests)
  return scratch;
}

// FieldStamp's reading of one entry.
Stamp StampOf(const json& v) {
  if (!v.is_array() || v.size() != 2 || !v[0].is_number_integer() || !v[1].is_string()) return {};
  return {v[0].get<int64_t>(), v[1].get<std::string>()};
}

// Whether `v` is a stamp that by_field holds exactly (its hlc fits int64_t as given).
bool Typed(const json& v) {
  if (!v.is_array() || v.size() != 2 || !v[0].is_number_integer() || !v[1].is_string())
    return false;
  return !v[0].is_number_unsigned() ||
         v[0].get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
}

// A string the fast paths take as is: printable ASCII without quote or backslash (dump()
// writes it unescaped, and it parses to itself).
bool Plain(std::string_view s) {
  for (char c : s)
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
  return true;
}

// The fast path: exactly the text StampsText writes for fields of `def` (no spaces, plain
// strings, hlc 0 or up to 18 digits without a leading zero, each field once). False: not that
// shape, nothing decided (`out` must then be reset by the caller).
bool ParseFast(const RecordDef& def, std::string_view t, RowStamps& out) {
  size_t p = 0;
  auto eat = [&](char c) {
    if (p >= t.size() || t[p] != c) return false;
    ++p;
    return true;
  };
  auto plain_string = [&](std::string_view* s) {
    if (!eat('"')) return false;
    const size_t start = p;
    while (p < t.size() && t[p] != '"') {
      const char c = t[p];
      if (c < 0x20 || c > 0x7e || c == '\\') return false;
      ++p;
    }
    if (p >= t.size()) return false;
    *s = t.substr(start, p - start);
    ++p;
    return true;
  };
  if (!eat('{')) return false;
  if (eat('}')) return p == t.size();
  while (true) {
    std::string_view name, device;
    if (!plain_string(&name) || !eat(':') || !eat('[')) return false;
    const size_t i = FieldIndex(def, name);
    if (i == kNoField || (out.present >> i & 1)) return false;
    const size_t digits_start = p;
    while (p < t.size() && t[p] >= '0' && t[p] <= '9') ++p;
    const size_t digits = p - digits_start;
    if (digits == 0 || digits > 18 || (digits > 1 && t[digits_start] == '0')) return false;
    int64_t hlc = 0;
    std::from_chars(t.data() + digits_start, t.data() + p, hlc);
    if (!eat(',') || !plain_string(&device) || !eat(']')) return false;
    out.by_field[i].hlc = hlc;
    out.by_field[i].device.assign(device.data(), device.size());
    out.present |= uint64_t{1} << i;
    if (eat('}')) return p == t.size();
    if (!eat(',')) return false;
  }
}

// --- The binary form (kBinaryStamps first; see stamps_text.h) ---

// Bit of field index i in the mask: "deleted" (index def.fields.size()) is bit 0 and
// def.fields[i] bit i + 1, so a field appended to a RecordDef never moves another's bit.
uint64_t BitOf(const RecordDef& def, size_t i) {
  return i == def.fields.size() ? 1 : uint64_t{1} << (i + 1);
}

uint64_t ZigZag(uint64_t delta) {  // two's complement difference, small either way
  return (delta << 1) ^ (0 - (delta >> 63));
}
uint64_t UnZigZag(uint64_t z) { return (z >> 1) ^ (0 - (z & 1)); }

// Field indexes in mask order: "deleted", then def.fields in order.
template <typename F>
void ForEachInMaskOrder(const RecordDef& def, F&& f) {
  f(def.fields.size());
  for (size_t i = 0; i < def.fields.size(); ++i) f(i);
}

// Reads the binary form into `out` (reset). False: malformed (the caller then holds none).
bool ParseBinary(const RecordDef& def, std::string_view t, RowStamps& out) {
  size_t p = 1;  // the tag
  uint64_t n_devices = 0, mask = 0;
  if (!GetVarint(t, p, n_devices) || n_devices == 0 || n_devices > 64) return false;
  std::string_view devices[64];
  for (uint64_t k = 0; k < n_devices; ++k) {
    uint64_t len = 0;
    if (!GetVarint(t, p, len) || len > t.size() - p) return false;
    devices[k] = t.substr(p, len);
    p += len;
  }
  if (!GetVarint(t, p, mask)) return false;
  if (def.fields.size() + 1 < 64 && mask >> (def.fields.size() + 1) != 0) return false;
  uint64_t hlc = 0;
  bool ok = true;
  ForEachInMaskOrder(def, [&](size_t i) {
    if (!ok || !(mask & BitOf(def, i))) return;
    uint64_t z = 0, device = 0;
    ok = GetVarint(t, p, z) && (n_devices == 1 || (GetVarint(t, p, device) && device < n_devices));
    if (!ok) return;
    hlc += UnZigZag(z);
    out.by_field[i].hlc = static_cast<int64_t>(hlc);
    out.by_field[i].device.assign(devices[device].data(), devices[device].size());
    out.present |= uint64_t{1} << i;
  });
  return ok && p == t.size();
}

// The binary form of `s`, whose `other` is empty.
std::string BinaryText(const RecordDef& def, const RowStamps& s) {
  std::string out;
  out.reserve(64);
  out.push_back(static_cast<char>(kBinaryStamps));
  const std::string* devices[64];
  size_t n_devices = 0;
  uint64_t mask = 0;
  auto device_of = [&](const std::string& d) {
    for (size_t k = 0; k < n_devices; ++k)
      if (*devices[k] == d) return k;
    devices[n_devices] = &d;
    return n_devices++;
  };
  std::vector<uint8_t> device_index(s.by_field.size());
  for (size_t i = 0; i < s.by_field.size(); ++i)
    if (s.present >> i & 1) {
      mask |= BitOf(def, i);
      device_index[i] = static_cast<uint8_t>(device_of(s.by_field[i].device));
    }
  static const std::string kNone;
  if (n_devices == 0) devices[n_devices++] = &kNone;  // no stamps: one "" slot
  PutVarint(out, n_devices);
  for (size_t k = 0; k < n_devices; ++k) {
    PutVarint(out, devices[k]->size());
    out.append(*devices[k]);
  }
  PutVarint(out, mask);
  uint64_t hlc = 0;
  ForEachInMaskOrder(def, [&](size_t i) {
    if (!(s.present >> i & 1)) return;
    const auto now = static_cast<uint64_t>(s.by_field[i].hlc);
    PutVarint(out, ZigZag(now - hlc));
    hlc = now;
    if (n_devices > 1) PutVarint(out, device_index[i]);
  });
  return out;
}

}  // namespace

size_t FieldIndex(const RecordDef& def, std::string_view name) {
  if (const FieldDef* f = def.Field(name)) return static_cast<size_t>(f - def.fields.data());
  return name == "deleted" ? def.fields.size() : kNoField;
}

const char* FieldName(const RecordDef& def, size_t i) {
  return i < def.fields.size() ? def.fields[i].name : "deleted";
}

void RowStamps::Reset(const RecordDef& def) {
  by_field.resize(def.fields.size() + 1);
  present = 0;
  other = nullptr;
}

void RowStamps::Set(const RecordDef& def, size_t i, int64_t hlc, const std::string& device) {
  by_field[i].hlc = hlc;
  by_field[i].device = device;
  present |= uint64_t{1} << i;
  if (other.is_object()) other.erase(FieldName(def, i));
}

void ParseStamps(const RecordDef& def, std::string_view text, RowStamps& out) {
  out.Reset(def);
  if (!text.empty() && static_cast<unsigned char>(text[0]) == kBinaryStamps) {
    if (!ParseBinary(def, text, out)) out.Reset(def);  // unreadable stamps are none
    return;
  }
  if (ParseFast(def, text, out)) return;
  out.Reset(def);
  json parsed = json::parse(text, nullptr, false);
  if (!parsed.is_object()) return;  // ReadRow: unreadable stamps are none
  for (auto& [name, v] : parsed.items()) {
    const size_t i = FieldIndex(def, name);
    if (i != kNoField && Typed(v)) {
      out.by_field[i] = StampOf(v);
      out.present |= uint64_t{1} << i;
    } else {
      if (!out.other.is_object()) out.other = json::object();
      out.other[name] = std::move(v);
    }
  }
}

json StampsJson(const RecordDef& def, const RowStamps& s) {
  json out = s.other.is_object() ? s.other : json::object();
  for (size_t i = 0; i < s.by_field.size(); ++i)
    if (s.present >> i & 1)
      out[FieldName(def, i)] = json::array({s.by_field[i].hlc, s.by_field[i].device});
  return out;
}

std::string StampsColumn(const RecordDef& def, const RowStamps& s) {
  if ((s.other.is_object() && !s.other.empty()) || def.fields.size() >= 63)
    return StampsJson(def, s).dump();
  return BinaryText(def, s);
}

void StampsFromJson(const RecordDef& def, const json& stamps, RowStamps& out) {
  out.Reset(def);
  if (!stamps.is_object()) return;
  for (const auto& [name, v] : stamps.items()) {
    const size_t i = FieldIndex(def, name);
    if (i != kNoField && Typed(v)) {
      out.by_field[i] = StampOf(v);
      out.present |= uint64_t{1} << i;
    } else {
      if (!out.other.is_object()) out.other = json::object();
      out.other[name] = v;
    }
  }
}

std::string StampsText(const RecordDef& def, const RowStamps& s) {
  if (s.other.is_object() && !s.other.empty()) return StampsJson(def, s).dump();
  // Sized first, then written in place: this runs for every record sync writes.
  size_t size = 2;
  const std::string* plain = nullptr;  // a device checked already (a record's are mostly one)
  for (size_t i = 0; i < s.by_field.size(); ++i) {
    if (!(s.present >> i & 1)) continue;
    const std::string& device = s.by_field[i].device;
    if (!(plain && *plain == device)) {
      if (!Plain(device)) return StampsJson(def, s).dump();  // escapes, or dump()'s UTF-8 error
      plain = &device;
    }
    size += std::strlen(FieldName(def, i)) + device.size() + 32;  // "":[,""], and 20 digits
  }
  std::string out(size, '\0');
  char* p = out.data();
  auto put = [&p](const char* text, size_t n) {
    std::memcpy(p, text, n);
    p += n;
  };
  *p++ = '{';
  std::vector<size_t> scratch;
  for (size_t i : OrderOf(def, scratch)) {
    if (!(s.present >> i & 1)) continue;
    if (p != out.data() + 1) *p++ = ',';
    const char* name = FieldName(def, i);
    *p++ = '"';
    put(name, std::strlen(name));
    put("\":[", 3);
    p = std::to_chars(p, p + 21, s.by_field[i].hlc).ptr;
    put(",\"", 2);
    put(s.by_field[i].device.data(), s.by_field[i].device.size());
    put("\"]", 2);
  }
  *p++ = '}';
  out.resize(static_cast<size_t>(p - out.data()));
  return out;
}

Stamp StampAt(const RecordDef& def, const RowStamps& s, size_t i) {
  if (s.present >> i & 1) return s.by_field[i];
  if (!s.other.is_object()) return {};
  auto it = s.other.find(FieldName(def, i));
  return it == s.other.end() ? Stamp{} : StampOf(*it);
}

}  // namespace gocua
