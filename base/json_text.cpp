#include "base/json_text.h"

#include <charconv>

namespace gocua::json_text {
namespace {

using nlohmann::json;

template <typename Int>
void AppendInt(std::string& out, Int v) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

// Utf8SequenceAt, inlined into the writer's loop.
inline size_t SequenceAt(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  auto cont = [&](size_t k, unsigned char lo, unsigned char hi) {
    return k < s.size() && byte(k) >= lo && byte(k) <= hi;
  };
  const unsigned char b = byte(i);
  if (b >= 0xC2 && b <= 0xDF) return cont(i + 1, 0x80, 0xBF) ? 2 : 0;
  if (b == 0xE0) return cont(i + 1, 0xA0, 0xBF) && cont(i + 2, 0x80, 0xBF) ? 3 : 0;
  if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF)
    return cont(i + 1, 0x80, 0xBF) && cont(i + 2, 0x80, 0xBF) ? 3 : 0;
  if (b == 0xED) return cont(i + 1, 0x80, 0x9F) && cont(i + 2, 0x80, 0xBF) ? 3 : 0;
  if (b == 0xF0)
    return cont(i + 1, 0x90, 0xBF) && cont(i + 2, 0x80, 0xBF) && cont(i + 3, 0x80, 0xBF) ? 4 : 0;
  if (b >= 0xF1 && b <= 0xF3)
    return cont(i + 1, 0x80, 0xBF) && cont(i + 2, 0x80, 0xBF) && cont(i + 3, 0x80, 0xBF) ? 4 : 0;
  if (b == 0xF4)
    return cont(i + 1, 0x80, 0x8F) && cont(i + 2, 0x80, 0xBF) && cont(i + 3, 0x80, 0xBF) ? 4 : 0;
  return 0;
}

}  // namespace

size_t Utf8SequenceAt(std::string_view s, size_t i) { return SequenceAt(s, i); }

void AppendStringText(std::string& out, std::string_view s, ErrorHandler handler) {
  static constexpr char kHex[] = "0123456789abcdef";
  const size_t start = out.size();
  out += '"';
  size_t plain = 0;  // s[plain, i) is yet to be copied as it is
  for (size_t i = 0; i < s.size();) {
    if (s.size() - i >= 8 && PlainAscii8(s.data() + i)) {
      i += 8;
      continue;
    }
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const size_t n = SequenceAt(s, i);
      if (n == 0) {  // not UTF-8: nlohmann decides where each U+FFFD goes (or throws)
        out.resize(start);
        out += json(std::string(s)).dump(-1, ' ', false, handler);
        return;
      }
      i += n;
      continue;
    }
    if (c >= 0x20 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    out.append(s.data() + plain, i - plain);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
    plain = ++i;
  }
  out.append(s.data() + plain, s.size() - plain);
  out += '"';
}

void AppendValueText(std::string& out, const json& v, ErrorHandler handler) {
  switch (v.type()) {
    case json::value_t::null:
      out += "null";
      return;
    case json::value_t::boolean:
      out += v.get<bool>() ? "true" : "false";
      return;
    case json::value_t::number_integer:
      AppendInt(out, v.get<int64_t>());
      return;
    case json::value_t::number_unsigned:
      AppendInt(out, v.get<uint64_t>());
      return;
    case json::value_t::string:
      AppendStringText(out, v.get_ref<const std::string&>(), handler);
      return;
    case json::value_t::array: {
      out += '[';
      bool first = true;
      for (const json& item : v) {
        if (!first) out += ',';
        first = false;
        AppendValueText(out, item, handler);
      }
      out += ']';
      return;
    }
    case json::value_t::object: {  // in the object's (key) order, as dump writes it
      out += '{';
      bool first = true;
      for (const auto& [key, item] : v.get_ref<const json::object_t&>()) {
        if (!first) out += ',';
        first = false;
        AppendStringText(out, key, handler);
        out += ':';
        AppendValueText(out, item, handler);
      }
      out += '}';
      return;
    }
    default:  // fractional numbers, binary, discarded: nlohmann's own text
      out += v.dump(-1, ' ', false, handler);
  }
}

}  // namespace gocua::json_text
