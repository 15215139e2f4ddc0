// SQLite from the prefix: open a database whose path holds Vietnamese letters through the wide-char
// API, create an FTS5 table, find a row by a Vietnamese word, then see the file under its exact
// wide name on disk. Prints "ok <sqlite version>" and exits 0 only if every step held.
#include <sqlite3.h>
#include <windows.h>

#include <cstdio>
#include <string>

static int fail(const char* what, sqlite3* db) {
  std::printf("FAIL %s: %s\n", what, db ? sqlite3_errmsg(db) : "-");
  return 1;
}

int main() {
  const wchar_t* name = L"D\u1eef li\u1ec7u m\u00e1y 2.db";  // "Dữ liệu máy 2.db"
  DeleteFileW(name);
  sqlite3* db = nullptr;
  if (sqlite3_open16(name, &db) != SQLITE_OK) return fail("open16", db);
  const char* sql =
      "CREATE VIRTUAL TABLE notes USING fts5(body);"
      "INSERT INTO notes(body) VALUES ('Thăm hộ gia đình ở xã Yên Bình'), ('Hướng dẫn cài ứng dụng');";
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return fail("fts5 table", db);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT body FROM notes WHERE notes MATCH 'ứng'", -1, &st, nullptr) !=
      SQLITE_OK)
    return fail("prepare", db);
  int rows = 0;
  std::string found;
  while (sqlite3_step(st) == SQLITE_ROW) {
    ++rows;
    found = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  if (rows != 1 || found != "Hướng dẫn cài ứng dụng") return fail("fts5 match", db);
  if (!sqlite3_compileoption_used("ENABLE_FTS5")) return fail("compileoption FTS5", db);
  sqlite3_close(db);
  WIN32_FIND_DATAW fd;
  HANDLE h = FindFirstFileW(L"D*.db", &fd);
  bool same = h != INVALID_HANDLE_VALUE && std::wstring(fd.cFileName) == name;
  if (h != INVALID_HANDLE_VALUE) FindClose(h);
  if (!same) return fail("file on disk under its wide name", nullptr);
  DeleteFileW(name);
  std::printf("ok sqlite %s, FTS5, wide path\n", sqlite3_libversion());
  return 0;
}
