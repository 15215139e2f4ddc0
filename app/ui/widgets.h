#pragma once
// Dear ImGui widgets as the screens use them: labels come translated, ImGui ids come from a
// stable name (never from the translated text, so switching language keeps focus and state),
// and every item is noted for the UI probe under that name.
//
// Threading: UI thread only.
#include <string>
#include <vector>

namespace gocua::app::ui {

// Stable-named widgets: `name` is the ImGui id and the probe name, `label` what a person sees.
bool Button(const char* name, const char* label);
bool InputText(const char* name, const char* label, std::string* value, int flags = 0);
// A text field without a label beside it: `hint` shows inside while it is empty.
bool InputTextHint(const char* name, const char* hint, std::string* value, int flags = 0);
bool InputMultiline(const char* name, const char* label, std::string* value, float height);
bool InputInt(const char* name, const char* label, int* value, int flags = 0);
bool Checkbox(const char* name, const char* label, bool* value);
// A drop-down over `items`; `*index` is the chosen one (-1 = none).
bool Combo(const char* name, const char* label, int* index, const std::vector<std::string>& items);
bool Selectable(const char* name, const char* label, bool selected);
// A check box whose label wraps at the column's edge (long topic names); the label toggles too.
bool CheckboxWrapped(const char* name, const char* label, bool* value);
// A radio button; true when clicked.
bool Radio(const char* name, const char* label, bool active);
// After an item: the next one goes on the same line if `width` still fits, else below.
void SameLineIfFits(float width);
// Wrapped text the UI probe can find under `name` (red when `error`).
void NamedText(const char* name, const std::string& text, bool error);
void NamedError(const char* name, const std::string& text);
// Plain text in a table cell (or any narrow place) that wraps at the cell's edge rather than
// being cut off, noted under `name` so the layout test checks it (tests/app/layout_test.cpp).
void CellText(const std::string& name, const std::string& text);

// Headings and messages.
void Heading(const char* text);
void ErrorText(const std::string& text);  // an inline validation message, red
void HintText(const std::string& text);   // grey help text
// A message band laid over the page at (x, y), `width` wide (screen coordinates), as tall as its
// wrapped text; the page under it does not move. Call it outside any other window (after the
// page's End). True when its Close was pressed.
bool Banner(const std::string& text, bool error, float x, float y, float width);

// Ctrl+S was pressed this frame (the app's "save").
bool SaveShortcut();

}  // namespace gocua::app::ui
