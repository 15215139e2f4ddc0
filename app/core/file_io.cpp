#include "app/core/file_io.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "platform/utf8_path.h"

namespace gocua::app {

std::optional<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(PathFromUtf8(path), std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

Status WriteFileAtomically(const std::string& path, const std::string& text, const std::string& what) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(PathFromUtf8(tmp), std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) return Status(ErrorCode::kIo, "Không lưu được " + what + ": " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(PathFromUtf8(tmp), PathFromUtf8(path), ec);
  if (ec) return Status(ErrorCode::kIo, "Không lưu được " + what + ": " + path);
  return Status::Ok();
}

}  // namespace gocua::app
