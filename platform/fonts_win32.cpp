#include <windows.h>

#include <string>

#include "platform/fonts.h"
#include "platform/paths.h"
#include "platform/utf8_path.h"
#include "platform/win32_text.h"

namespace gocua {

// Segoe UI, Arial and Tahoma of real Windows all cover Vietnamese (Wine's own Tahoma does not:
// app/ui/fonts.cpp checks the glyphs and moves on to the next file).
std::vector<std::string> VietnameseFontFiles() {
  std::wstring windir(MAX_PATH, L'\0');
  const UINT n = GetWindowsDirectoryW(windir.data(), static_cast<UINT>(windir.size()));
  const std::string fonts =
      JoinPathUtf8(n > 0 && n < windir.size() ? Utf8FromWide(std::wstring_view(windir.data(), n))
                                              : std::string("C:\\Windows"),
                   "Fonts");
  return ExistingFontFiles({JoinPathUtf8(fonts, "segoeui.ttf"), JoinPathUtf8(fonts, "arial.ttf"),
                            JoinPathUtf8(fonts, "tahoma.ttf")},
                           ExecutableDir());
}

std::string MissingFontAdvice() {
  return "Không tìm thấy phông chữ tiếng Việt: hãy cài lại Gõ Cửa (thiếu tệp "
         "fonts\\DejaVuSans.ttf cạnh gocua.exe). / No Vietnamese font found: reinstall Gõ Cửa "
         "(fonts\\DejaVuSans.ttf next to gocua.exe is missing).";
}

}  // namespace gocua
