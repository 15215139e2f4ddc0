#include "storage/core/value_text.h"

#include <cstdint>
#include <string>

#include "base/json_text.h"

namespace gocua {
namespace {

using nlohmann::json;

// Whether s[0..n) is a string's inside that needs no unescaping: no '"', '\\' or control
// character, and well-formed UTF-8 (as the parser checks it).
bool PlainInside(std::string_view s) {
  size_t i = 0;
  while (i + 8 <= s.size() && json_text::PlainAscii8(s.data() + i)) i += 8;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == '"' || c == '\\') return false;
      ++i;
      continue;
    }
    const size_t n = json_text::Utf8SequenceAt(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// "…" with a plain inside at text[p…]: its inside, p past the closing quote.
bool PlainString(std::string_view text, size_t& p, std::string_view& inside) {
  if (p >= text.size() || text[p] != '"') return false;
  const size_t close = text.find('"', p + 1);
  if (close == std::string_view::npos) return false;
  inside = text.substr(p + 1, close - p - 1);
  if (!PlainInside(inside)) return false;
  p = close + 1;
  return true;
}

// -?(0|[1-9][0-9]*) of at most 18 digits (no overflow), nothing else.
bool SmallInteger(std::string_view t, json& out) {
  const bool negative = !t.empty() && t[0] == '-';
  const std::string_view digits = t.substr(negative ? 1 : 0);
  if (digits.empty() || digits.size() > 18 || (digits[0] == '0' && digits.size() > 1)) return false;
  uint64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (negative)
    out = -static_cast<int64_t>(v);  // number_integer, as the parser makes "-0" too
  else
    out = v;  // number_unsigned
  return true;
}

bool Fast(std::string_view t, json& out) {
  if (t.empty()) return false;
  switch (t[0]) {
    case '"': {
      size_t p = 0;
      std::string_view inside;
      if (!PlainString(t, p, inside) || p != t.size()) return false;
      out = std::string(inside);
      return true;
    }
    case '[': {
      json a = json::array();
      size_t p = 1;
      if (t == "[]") {
        out = std::move(a);
        return true;
      }
      while (true) {
        std::string_view inside;
        if (!PlainString(t, p, inside)) return false;
        a.push_back(std::string(inside));
        if (p >= t.size()) return false;
        if (t[p] == ']') break;
        if (t[p++] != ',') return false;
      }
      if (p + 1 != t.size()) return false;
      out = std::move(a);
      return true;
    }
    case 't':
      if (t != "true") return false;
      out = true;
      return true;
    case 'f':
      if (t != "false") return false;
      out = false;
      return true;
    case 'n':
      if (t != "null") return false;
      out = nullptr;
      return true;
    default:
      return SmallInteger(t, out);
  }
}

}  // namespace

bool ParseValueText(std::string_view text, json& out) {
  if (Fast(text, out)) return true;
  out = json::parse(text, nullptr, false);
  return !out.is_discarded();
}

}  // namespace gocua
