#pragma once
// The console's words in Vietnamese (the default) and English. One table (strings.cpp); a key
// missing from it is a programmer's error and shows as the key itself.
#include <string>
#include <string_view>

namespace gocua::hub::console {

enum class Lang { kVi, kEn };

// The text of `key` in `lang` (static storage); "⟦?⟧" for a key not in the table.
const char* Tr(Lang lang, std::string_view key);

}  // namespace gocua::hub::console
