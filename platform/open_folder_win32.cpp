// windows.h first: shellapi.h needs its definitions.
// clang-format off
#include <windows.h>
#include <shellapi.h>
// clang-format on

#include <string>

#include "platform/open_folder.h"
#include "platform/win32_text.h"

namespace gocua {

Status OpenFolder(const std::string& folder) {
  const std::wstring path = WideFromUtf8(folder);
  const DWORD attrs = GetFileAttributesW(path.c_str());
  if (attrs == INVALID_FILE_ATTRIBUTES || !(attrs & FILE_ATTRIBUTE_DIRECTORY))
    return Status(ErrorCode::kNotFound, "Không có thư mục " + folder + " — no such folder");
  // Explorer on the folder; ShellExecuteW returns a value above 32 on success.
  HINSTANCE r = ShellExecuteW(nullptr, L"open", path.c_str(), nullptr, nullptr, SW_SHOWNORMAL);
  const INT_PTR code = reinterpret_cast<INT_PTR>(r);
  if (code <= 32) {
    return Status(ErrorCode::kIo, "Không mở được thư mục " + folder + " (ShellExecute " +
                                      std::to_string(code) + ") — cannot open the folder");
  }
  return Status::Ok();
}

}  // namespace gocua
