// Every text key the app uses exists in both languages (STYLE.md rule 15), and the two files
// hold the same keys. Keys are found in the sources: Tr("…") literals, and the families the
// screens build at run time from a code (status., level., result., sync.failure., skill., nav.).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "app/core/i18n.h"
#include "storage/core/records.h"
#include "storage/core/schema.h"
#include "sync/client/sync_engine.h"

namespace gocua::test {
namespace {

std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::set<std::string> KeysOf(const std::string& lang) {
  const auto j = nlohmann::json::parse(
      ReadAll(std::filesystem::path(GOCUA_SOURCE_ASSETS) / "lang" / (lang + ".json")), nullptr,
      false);
  REQUIRE_FALSE(j.is_discarded());
  std::set<std::string> keys;
  for (const auto& [k, v] : j.items()) {
    CHECK_MESSAGE(v.is_string(), lang << ".json: " << k);
    CHECK_MESSAGE(!v.get<std::string>().empty(), lang << ".json: " << k << " is empty");
    keys.insert(k);
  }
  return keys;
}

// Keys written as literals in Tr("…") or in the tables the screens pass to Tr().
std::set<std::string> KeysUsedInSources() {
  std::set<std::string> used;
  const std::regex tr(R"re(Tr\("([a-z_]+\.[a-z_.]+)"\))re");
  // The navigation and skill tables hold keys that reach Tr() through a variable.
  const std::regex table(R"re("((?:nav|skill)\.[a-z_]+)")re");
  for (const auto& e :
       std::filesystem::recursive_directory_iterator(std::filesystem::path(GOCUA_SOURCE_DIR) / "app")) {
    if (e.path().extension() != ".cpp" && e.path().extension() != ".h") continue;
    const std::string text = ReadAll(e.path());
    for (std::sregex_iterator it(text.begin(), text.end(), tr), end; it != end; ++it) {
      used.insert((*it)[1]);
    }
    for (std::sregex_iterator it(text.begin(), text.end(), table), end; it != end; ++it) {
      used.insert((*it)[1]);
    }
  }
  return used;
}

// Keys the screens build from a code at run time.
std::set<std::string> DynamicKeys() {
  std::set<std::string> keys;
  for (const char* s : {kStatusPending, kStatusApproved, kStatusReturned}) {
    keys.insert(std::string("status.") + s);
  }
  for (const char* level : {"none", "guided", "proficient"}) keys.insert(std::string("level.") + level);
  for (const char* r : kTopicResults) keys.insert(std::string("result.") + r);
  // Conflicts name the field: every synced field of every record type, and "deleted".
  for (const RecordDef& def : RecordDefs()) {
    for (const FieldDef& field : def.fields) keys.insert("field." + std::string(field.name));
  }
  keys.insert("field.deleted");
  for (int f = 0; f <= static_cast<int>(client::SyncFailure::kLocal); ++f) {
    keys.insert("sync.failure." + std::string(client::FailureName(static_cast<client::SyncFailure>(f))));
  }
  return keys;
}

}  // namespace

TEST_CASE("App languages: vi.json and en.json hold the same keys") {
  const auto vi = KeysOf("vi"), en = KeysOf("en");
  for (const auto& k : vi) CHECK_MESSAGE(en.count(k), "missing in en.json: " << k);
  for (const auto& k : en) CHECK_MESSAGE(vi.count(k), "missing in vi.json: " << k);
}

TEST_CASE("App languages: every key the app uses exists in both files") {
  const auto vi = KeysOf("vi"), en = KeysOf("en");
  auto used = KeysUsedInSources();
  CHECK(used.size() > 100);  // the scan found the app's keys
  const auto dynamic = DynamicKeys();
  used.insert(dynamic.begin(), dynamic.end());
  for (const auto& k : used) {
    CHECK_MESSAGE(vi.count(k), "used but missing in vi.json: " << k);
    CHECK_MESSAGE(en.count(k), "used but missing in en.json: " << k);
  }
}

TEST_CASE("App languages: Tr falls back to Vietnamese, then to the key, and Fmt fills places") {
  REQUIRE(app::LoadLanguage(GOCUA_SOURCE_ASSETS, "en").ok());
  CHECK(std::string(app::Tr("nav.today")) == "Today");
  CHECK(std::string(app::Tr("no.such_key")) == "no.such_key");
  REQUIRE(app::LoadLanguage(GOCUA_SOURCE_ASSETS, "vi").ok());
  CHECK(std::string(app::Tr("nav.today")) == "Hôm nay");
  CHECK(app::Fmt("{0} / {1} / {0}", {"a", "b"}) == "a / b / a");
  CHECK(app::Fmt("{2} left", {"a"}) == " left");
  CHECK_FALSE(app::LoadLanguage(GOCUA_SOURCE_ASSETS, "fr").ok());
  CHECK(app::CurrentLanguage() == "vi");  // a failed load keeps the language
}

}  // namespace gocua::test

#include <imgui.h>
#include <imgui_internal.h>  // ImTextCharFromUtf8

#include <cstring>

#include "app/ui/fonts.h"
#include "platform/fonts.h"

namespace gocua::test {

TEST_CASE("App languages: the font the app loads has a glyph for every character of both files") {
  REQUIRE_FALSE(VietnameseFontFiles().empty());  // tools/deps.sh installs fonts-noto-core
  ImGui::CreateContext();
  std::string warning;
  app::LoadFonts(1.0f, &warning);
  CHECK(warning.empty());
  ImFont* font = ImGui::GetIO().Fonts->Fonts[0];
  int checked = 0;
  for (const char* lang : {"vi", "en"}) {
    const auto j = nlohmann::json::parse(
        ReadAll(std::filesystem::path(GOCUA_SOURCE_ASSETS) / "lang" / (std::string(lang) + ".json")));
    for (const auto& [key, value] : j.items()) {
      const std::string text = value.get<std::string>();
      const char* p = text.c_str();
      const char* end = p + text.size();
      while (p < end) {
        unsigned int c = 0;
        p += ImTextCharFromUtf8(&c, p, end);
        if (c < 0x20) continue;
        ++checked;
        CHECK_MESSAGE(font->FindGlyphNoFallback(static_cast<ImWchar>(c)) != nullptr,
                      (std::string(lang) + ".json " + key + ": no glyph for code point " +
                       std::to_string(c)));
      }
    }
  }
  CHECK(checked > 5000);
  // And the letters Vietnamese needs beyond the files: every tone on every vowel, đ/Đ.
  for (const char* s : {"àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ",
                        "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"}) {
    const char* p = s;
    const char* end = s + std::strlen(s);
    while (p < end) {
      unsigned int c = 0;
      p += ImTextCharFromUtf8(&c, p, end);
      CHECK_MESSAGE(font->FindGlyphNoFallback(static_cast<ImWchar>(c)) != nullptr,
                    ("no glyph for code point " + std::to_string(c)));
    }
  }
  ImGui::DestroyContext();
}

}  // namespace gocua::test
