#include <shellapi.h>
#include <windows.h>

#include <string>

#include "platform/open_folder.h"

namespace gocua {
namespace {

std::wstring Wide(const std::string& utf8) {
  const int n =
      MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), nullptr, 0);
  std::wstring out(static_cast<size_t>(n), L'\0');
  if (n > 0)
    MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), out.data(), n);
  return out;
}

}  // namespace

Status OpenFolder(const std::string& folder) {
  const std::wstring path = Wide(folder);
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
