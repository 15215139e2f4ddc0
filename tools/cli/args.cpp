#include "tools/cli/args.h"

#include <algorithm>
#include <charconv>

namespace gocua::cli {
namespace {

const OptionSpec* Find(const std::vector<OptionSpec>& options, const std::string& name) {
  for (const OptionSpec& o : options)
    if (o.name == name) return &o;
  for (const OptionSpec& o : GlobalOptions())
    if (o.name == name) return &o;
  return nullptr;
}

std::string Join(const std::vector<std::string>& words, const char* sep) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : sep) + w;
  return out;
}

// Checks `value` for option `o`; returns "" or the problem.
std::string CheckValue(const OptionSpec& o, const std::string& value) {
  const std::string opt = "--" + o.name;
  switch (o.kind) {
    case ValueKind::kFlag:
      return "";
    case ValueKind::kText:
      return "";
    case ValueKind::kInt: {
      long long v = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (ec != std::errc() || end != value.data() + value.size() || value.empty())
        return opt + " cần một số nguyên, không phải '" + value + "' — " + opt +
               " needs a whole number";
      if (v < o.min || v > o.max) {
        const std::string range = std::to_string(o.min) + ".." + std::to_string(o.max);
        return opt + " phải trong khoảng " + range + " — " + opt + " must be in " + range;
      }
      return "";
    }
    case ValueKind::kDate:
      if (IsDate(value)) return "";
      return opt + " cần ngày dạng YYYY-MM-DD, không phải '" + value + "' — " + opt +
             " needs a date YYYY-MM-DD";
    case ValueKind::kChoice:
      if (std::find(o.choices.begin(), o.choices.end(), value) != o.choices.end()) return "";
      return opt + " nhận " + Join(o.choices, "|") + ", không phải '" + value + "' — " + opt +
             " must be " + Join(o.choices, "|");
  }
  return "";
}

}  // namespace

OptionSpec Flag(std::string name, std::string help) {
  OptionSpec o{std::move(name), ValueKind::kFlag, "", std::move(help)};
  return o;
}

OptionSpec Text(std::string name, std::string value_name, std::string help, bool required,
                bool repeatable) {
  OptionSpec o{std::move(name), ValueKind::kText, std::move(value_name), std::move(help)};
  o.required = required;
  o.repeatable = repeatable;
  return o;
}

OptionSpec Int(std::string name, std::string value_name, std::string help, long long min,
               long long max, bool required) {
  OptionSpec o{std::move(name), ValueKind::kInt, std::move(value_name), std::move(help)};
  o.min = min;
  o.max = max;
  o.required = required;
  return o;
}

OptionSpec Date(std::string name, std::string help) {
  return {std::move(name), ValueKind::kDate, "YYYY-MM-DD", std::move(help)};
}

OptionSpec Choice(std::string name, std::vector<std::string> choices, std::string help,
                  bool required) {
  OptionSpec o{std::move(name), ValueKind::kChoice, Join(choices, "|"), std::move(help)};
  o.required = required;
  o.choices = std::move(choices);
  return o;
}

std::string ParsedArgs::Get(const std::string& name, const std::string& fallback) const {
  auto it = options.find(name);
  return it == options.end() || it->second.empty() ? fallback : it->second.back();
}

std::vector<std::string> ParsedArgs::All(const std::string& name) const {
  auto it = options.find(name);
  return it == options.end() ? std::vector<std::string>{} : it->second;
}

long long ParsedArgs::GetInt(const std::string& name, long long fallback) const {
  if (!Has(name)) return fallback;
  const std::string v = Get(name);
  long long n = fallback;
  std::from_chars(v.data(), v.data() + v.size(), n);
  return n;
}

const std::vector<OptionSpec>& GlobalOptions() {
  static const std::vector<OptionSpec> globals = {
      Text("data", "DIR", "thư mục dữ liệu — data folder (holds gocua.db)"),
      Flag("json", "in kết quả dạng JSON — machine-readable output"),
      Flag("help", "hướng dẫn lệnh này — show this help"),
  };
  return globals;
}

bool IsDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  const int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2)),
            d = std::stoi(s.substr(8, 2));
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return false;  // as storage
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

bool ParseArgs(const std::vector<std::string>& args, const std::vector<OptionSpec>& options,
               const std::vector<PositionalSpec>& positionals, ParsedArgs* out,
               std::string* error) {
  *out = ParsedArgs();
  std::string first_error;
  auto fail = [&](std::string m) {
    if (first_error.empty()) first_error = std::move(m);
  };
  std::vector<std::string> words;
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (options_done || a.size() < 2 || a[0] != '-') {
      words.push_back(a);
      continue;
    }
    if (a == "--") {
      options_done = true;
      continue;
    }
    if (a == "-h") {
      out->help = true;
      continue;
    }
    if (a[1] != '-') {
      fail("không hiểu tuỳ chọn '" + a + "' — unknown option " + a);
      continue;
    }
    std::string name = a.substr(2), value;
    bool has_inline_value = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_inline_value = true;
    }
    const OptionSpec* o = Find(options, name);
    if (!o) {
      fail("không hiểu tuỳ chọn '--" + name + "' — unknown option --" + name);
      continue;
    }
    if (o->kind == ValueKind::kFlag) {
      if (has_inline_value) fail("--" + name + " không nhận giá trị — takes no value");
      if (name == "help") out->help = true;
      out->options[name] = {""};
      continue;
    }
    if (!has_inline_value) {
      if (i + 1 >= args.size()) {
        fail("--" + name + " cần giá trị " + o->value_name + " — --" + name + " needs a value");
        continue;
      }
      value = args[++i];
    }
    if (std::string bad = CheckValue(*o, value); !bad.empty()) {
      fail(bad);
      continue;
    }
    auto& values = out->options[name];
    if (!values.empty() && !o->repeatable)
      fail("--" + name + " chỉ được dùng một lần — --" + name + " may be given once");
    values.push_back(value);
  }
  if (out->help) return true;
  if (first_error.empty()) {
    for (const OptionSpec& o : options)
      if (o.required && !out->Has(o.name))
        fail("thiếu --" + o.name + " " + o.value_name + " — missing --" + o.name);
  }
  // Positionals: each takes one word, a `rest` one takes all that remain.
  size_t w = 0;
  for (const PositionalSpec& p : positionals) {
    if (w >= words.size()) {
      if (p.required) fail("thiếu " + p.name + " — missing " + p.name);
      break;
    }
    if (p.rest) {
      out->positionals.push_back(
          Join(std::vector<std::string>(words.begin() + static_cast<long>(w), words.end()), " "));
      w = words.size();
    } else {
      out->positionals.push_back(words[w++]);
    }
  }
  if (w < words.size()) fail("thừa đối số '" + words[w] + "' — unexpected argument " + words[w]);
  if (!first_error.empty()) {
    *error = first_error;
    return false;
  }
  return true;
}

}  // namespace gocua::cli
