// libxlsxwriter from the prefix (OpenSSL MD5, static zlib): write a workbook with Vietnamese text
// and read back that the file is a zip archive of some size.
#include <xlsxwriter.h>

#include <cstdio>

int main() {
  const char* path = "check.xlsx";
  std::remove(path);
  lxw_workbook* wb = workbook_new(path);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Tháng 12");
  worksheet_write_string(ws, 0, 0, "Xã Yên Bình", nullptr);
  worksheet_write_number(ws, 0, 1, 42, nullptr);
  if (workbook_close(wb) != LXW_NO_ERROR) {
    std::printf("FAIL workbook_close\n");
    return 1;
  }
  std::FILE* f = std::fopen(path, "rb");
  char magic[2] = {0, 0};
  long size = 0;
  if (f) {
    size_t n = std::fread(magic, 1, 2, f);
    std::fseek(f, 0, SEEK_END);
    size = n == 2 ? std::ftell(f) : 0;
    std::fclose(f);
  }
  if (magic[0] != 'P' || magic[1] != 'K' || size < 1000) {
    std::printf("FAIL %s is not an xlsx (size %ld)\n", path, size);
    return 1;
  }
  std::remove(path);
  std::printf("ok libxlsxwriter %s, wrote %ld bytes\n", LXW_VERSION, size);
  return 0;
}
