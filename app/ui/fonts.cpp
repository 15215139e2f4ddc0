#include "app/ui/fonts.h"

#include <imgui.h>

#include "platform/fonts.h"

namespace gocua::app {
namespace {

// The letters only Vietnamese needs (U+1EA0..U+1EF9: ạ ả ấ … ỹ) plus ơ ư đ: a font drawing these
// from its own glyphs, not ImGui's fallback, covers the language.
bool CoversVietnamese(const ImFont& font) {
  for (ImWchar c : {ImWchar{0x1EA0}, ImWchar{0x1EC7}, ImWchar{0x1EF9}, ImWchar{0x01A1},
                    ImWchar{0x01B0}, ImWchar{0x0111}}) {
    if (!font.FindGlyphNoFallback(c)) return false;
  }
  return true;
}

ImFont* g_code_font = nullptr;

}  // namespace

ImFont* CodeFont() { return g_code_font; }

void LoadFonts(float scale, std::string* warning) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  g_code_font = nullptr;
  // Ranges must outlive the atlas build: static.
  static ImVector<ImWchar> ranges;
  if (ranges.empty()) {
    ImFontGlyphRangesBuilder b;
    b.AddRanges(io.Fonts->GetGlyphRangesDefault());     // Basic Latin + Latin-1
    b.AddRanges(io.Fonts->GetGlyphRangesVietnamese());  // ă â đ ê ô ơ ư and every tone mark
    // – — ‘ ’ “ ” … •  (no arrows: Noto Sans has none; tests/app/lang_test.cpp checks that
    // every character of the language files has a glyph)
    static const ImWchar kPunctuation[] = {0x2010, 0x2027, 0};
    b.AddRanges(kPunctuation);
    b.BuildRanges(&ranges);
  }
  ImFontConfig config;
  config.OversampleH = 2;
  config.OversampleV = 1;
  for (const std::string& path : VietnameseFontFiles()) {
    // ImGui opens the UTF-8 path itself (wide on Windows).
    ImFont* font =
        io.Fonts->AddFontFromFileTTF(path.c_str(), kBaseFontPx * scale, &config, ranges.Data);
    if (font && io.Fonts->Build() && CoversVietnamese(*font)) {
      // Fonts[0] stays the UI font; the code font is only pushed where a code is shown.
      static const ImWchar kAscii[] = {0x0020, 0x007E, 0};
      ImFontConfig big;
      big.OversampleH = 1;
      big.OversampleV = 1;
      g_code_font = io.Fonts->AddFontFromFileTTF(path.c_str(), kCodeFontPx * scale, &big, kAscii);
      if (!g_code_font || !io.Fonts->Build()) g_code_font = nullptr;
      return;
    }
    io.Fonts->Clear();  // a font without the marks (Wine's own Tahoma): try the next file
  }
  ImFontConfig fallback;
  fallback.SizePixels = 13.0f * scale;
  io.Fonts->AddFontDefault(&fallback);
  io.Fonts->Build();
  *warning = MissingFontAdvice();
}

}  // namespace gocua::app
