#pragma once
// Loads the UI font: the first system font with full Vietnamese coverage
// (platform/fonts.h) with Vietnamese, Latin-1 and punctuation glyphs, at 18 px × `scale`.
// Falls back to ImGui's built-in font (no Vietnamese marks) and says so in `*warning`.
//
// Threading: UI thread, before the first frame (it builds the font atlas).
#include <string>

namespace gocua::app {

constexpr float kBaseFontPx = 18.0f;
void LoadFonts(float scale, std::string* warning);

}  // namespace gocua::app
