#pragma once
// Loads the UI font: the first system font with full Vietnamese coverage
// (platform/fonts.h) with Vietnamese, Latin-1 and punctuation glyphs, at 18 px × `scale`.
// Falls back to ImGui's built-in font (no Vietnamese marks) and says so in `*warning`.
//
// Threading: UI thread, before the first frame (it builds the font atlas).
#include <string>

struct ImFont;

namespace gocua::app {

constexpr float kBaseFontPx = 18.0f;
// Also loads the code font (below) from the same file.
void LoadFonts(float scale, std::string* warning);
// The large font for an enrollment code read aloud over the phone: kCodeFontPx × scale, ASCII
// only. nullptr when the UI font is ImGui's built-in one (then draw the code scaled up).
constexpr float kCodeFontPx = 56.0f;
ImFont* CodeFont();

}  // namespace gocua::app
