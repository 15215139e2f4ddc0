#include "app/ui/fonts.h"

#include <imgui.h>

#include "platform/fonts.h"

namespace gocua::app {

void LoadFonts(float scale, std::string* warning) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
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
    if (io.Fonts->AddFontFromFileTTF(path.c_str(), kBaseFontPx * scale, &config, ranges.Data)) {
      io.Fonts->Build();
      return;
    }
  }
  ImFontConfig fallback;
  fallback.SizePixels = 13.0f * scale;
  io.Fonts->AddFontDefault(&fallback);
  io.Fonts->Build();
  *warning =
      "Không tìm thấy phông chữ tiếng Việt (cài fonts-noto-core). / No Vietnamese font found "
      "(install fonts-noto-core).";
}

}  // namespace gocua::app
