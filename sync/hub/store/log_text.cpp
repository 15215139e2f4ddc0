// The JSON text of a hub_log row read without a json tree (log_text.h).
#include "sync/hub/store/log_text.h"

namespace gocua::hub_internal {
namespace {

using nlohmann::json;

// Whether `s` is valid UTF-8 (as nlohmann's lexer checks it: no overlong forms, surrogates or
// code points past U+10FFFF) with no byte that JSON escapes ('"', '\\', controls). Such a
// string is its own JSON text between quotes, both ways.
bool PlainUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  auto cont = [&](const unsigned char* q, unsigned char lo, unsigned char hi) {
    return q < end && *q >= lo && *q <= hi;
  };
  while (p < end) {
    if (end - p >= 8 && PlainAscii8(reinterpret_cast<const char*>(p))) {
      p += 8;
      continue;
    }
    const unsigned char c = *p;
    if (c < 0x80) {
      if (c < 0x20 || c == '"' || c == '\\') return false;
      ++p;
    } else if (c >= 0xC2 && c <= 0xDF) {
      if (!cont(p + 1, 0x80, 0xBF)) return false;
      p += 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
      if (!cont(p + 1, lo, hi) || !cont(p + 2, 0x80, 0xBF)) return false;
      p += 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
      const unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
      if (!cont(p + 1, lo, hi) || !cont(p + 2, 0x80, 0xBF) || !cont(p + 3, 0x80, 0xBF))
        return false;
      p += 4;
    } else {
      return false;
    }
  }
  return true;
}

// `t` as -?(0|[1-9][0-9]{0,17}), which int64 holds exactly; "-0" is left to nlohmann.
bool ShortInt(std::string_view t, int64_t* out) {
  size_t i = 0;
  const bool negative = !t.empty() && t[0] == '-';
  if (negative) i = 1;
  const size_t digits = t.size() - i;
  if (digits == 0 || digits > 18) return false;
  if (t[i] == '0' && (digits > 1 || negative)) return false;
  int64_t v = 0;
  for (; i < t.size(); ++i) {
    if (t[i] < '0' || t[i] > '9') return false;
    v = v * 10 + (t[i] - '0');
  }
  *out = negative ? -v : v;
  return true;
}

// Deeper values are left to nlohmann.
constexpr int kMaxCompactDepth = 8;

// The compact value at t[pos] — plain strings, short integers, literals, and arrays and
// objects of them without whitespace or repeated keys — as json::parse gives it; `pos` moves
// past it. Such text is the same size as its value's dump() (an object's keys may come in
// another order there). False for anything else.
bool CompactValue(std::string_view t, size_t& pos, json* out, int depth) {
  if (pos >= t.size()) return false;
  const char c = t[pos];
  auto plain_string = [&](std::string_view* s) {
    if (pos >= t.size() || t[pos] != '"') return false;
    const size_t close = t.find('"', pos + 1);
    if (close == std::string_view::npos) return false;
    *s = t.substr(pos + 1, close - pos - 1);
    if (!PlainUtf8(*s)) return false;
    pos = close + 1;
    return true;
  };
  if (c == '"') {
    std::string_view s;
    if (!plain_string(&s)) return false;
    *out = std::string(s);
    return true;
  }
  if (c == '[' || c == '{') {
    if (depth >= kMaxCompactDepth) return false;
    const bool object = c == '{';
    const char close = object ? '}' : ']';
    *out = object ? json::object() : json::array();
    ++pos;
    if (pos < t.size() && t[pos] == close) {
      ++pos;
      return true;
    }
    for (;;) {
      json v;
      if (object) {
        std::string_view key;
        if (!plain_string(&key) || pos >= t.size() || t[pos] != ':') return false;
        ++pos;
        std::string k(key);
        if (out->find(k) != out->end()) return false;  // nlohmann keeps the last one
        if (!CompactValue(t, pos, &v, depth + 1)) return false;
        (*out)[std::move(k)] = std::move(v);
      } else {
        if (!CompactValue(t, pos, &v, depth + 1)) return false;
        out->push_back(std::move(v));
      }
      if (pos >= t.size()) return false;
      if (t[pos] == close) {
        ++pos;
        return true;
      }
      if (t[pos] != ',') return false;
      ++pos;
    }
  }
  size_t end = pos;
  while (end < t.size() && t[end] != ',' && t[end] != ']' && t[end] != '}') ++end;
  const std::string_view token = t.substr(pos, end - pos);
  if (int64_t v = 0; ShortInt(token, &v))
    *out = v < 0 ? json(v) : json(static_cast<uint64_t>(v));  // as nlohmann types them
  else if (token == "true" || token == "false")
    *out = token == "true";
  else if (token == "null")
    *out = nullptr;
  else
    return false;
  pos = end;
  return true;
}

}  // namespace

bool ScalarText(std::string_view text) {
  int64_t n = 0;
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
    return PlainUtf8(text.substr(1, text.size() - 2));
  return text == "true" || text == "false" || text == "null" || ShortInt(text, &n);
}

ReadValue ParseValueText(std::string_view text) {
  ReadValue r;
  if (size_t pos = 0; CompactValue(text, pos, &r.value, 0) && pos == text.size()) {
    r.dumped_bytes = text.size();
    return r;
  }
  r.value = json::parse(text, nullptr, false);
  r.dumped_bytes = r.value.dump().size();
  return r;
}

bool RestReader::Expect(char c) {
  if (pos_ >= text_.size() || text_[pos_] != c) return false;
  ++pos_;
  return true;
}

bool RestReader::String(std::string* out) {
  if (!Expect('"')) return false;
  const size_t close = text_.find('"', pos_);
  if (close == std::string_view::npos) return false;
  const std::string_view s = text_.substr(pos_, close - pos_);
  if (!PlainUtf8(s)) return false;  // an escape, a control or bad UTF-8: nlohmann decides
  out->assign(s);
  pos_ = close + 1;
  return true;
}

bool RestReader::Int(int64_t* out) {
  size_t end = pos_;
  while (end < text_.size() && text_[end] != ',' && text_[end] != ']') ++end;
  if (!ShortInt(text_.substr(pos_, end - pos_), out)) return false;
  pos_ = end;
  return true;
}

bool RestReader::Value(ReadValue* out) {
  if (size_t end = pos_; CompactValue(text_, end, &out->value, 0) && end < text_.size() &&
                         (text_[end] == ',' || text_[end] == ']')) {
    out->dumped_bytes = end - pos_;
    pos_ = end;
    return true;
  }
  // The value's extent: up to ',' or ']' at depth 0, strings skipped. A wrong guess (bad
  // brackets) is text nlohmann refuses below.
  size_t end = pos_;
  int depth = 0;
  for (; end < text_.size(); ++end) {
    const char c = text_[end];
    if (c == '"') {
      for (++end; end < text_.size() && text_[end] != '"'; ++end)
        if (text_[end] == '\\') ++end;
      if (end >= text_.size()) return false;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      if (depth == 0) break;
      --depth;
    } else if (c == ',' && depth == 0) {
      break;
    }
  }
  if (end >= text_.size()) return false;
  out->value = json::parse(text_.substr(pos_, end - pos_), nullptr, false);
  if (out->value.is_discarded()) return false;
  out->dumped_bytes = out->value.dump().size();
  pos_ = end;
  return true;
}

}  // namespace gocua::hub_internal
