#include "storage/io/household_import.h"

#include <algorithm>
#include <map>
#include <unordered_set>

#include "storage/core/sqlite_db.h"
#include "storage/core/text.h"
#include "storage/device/households.h"
#include "storage/device/places.h"
#include "storage/io/csv.h"

namespace gocua {
namespace {

enum Column {
  kVillage,
  kAddress,
  kHead,
  kPhone,
  kMembers,
  kWorkingAge,
  kSmartphones,
  kInternet,
  kColumnCount
};

// Folded header spellings for each column, most specific first.
const std::vector<std::vector<std::string>>& Aliases() {
  static const std::vector<std::vector<std::string>> a = {
      {"thon", "thon ap", "thon ap ban", "ap", "ban", "to dan pho", "thon xom", "village"},
      {"so nha dia chi", "so nha", "dia chi", "address", "house number"},
      {"chu ho", "ho ten chu ho", "ten chu ho", "head", "head of household", "household head"},
      {"so dien thoai", "sdt", "dien thoai", "phone", "phone number"},
      {"so nhan khau", "nhan khau", "so thanh vien", "so nguoi", "members", "household size"},
      {"so nguoi trong do tuoi lao dong", "trong do tuoi lao dong", "do tuoi lao dong",
       "so nguoi do tuoi lao dong", "working age"},
      {"so dien thoai thong minh", "dien thoai thong minh", "smartphone", "smartphones"},
      {"internet tai nha", "internet", "co internet", "home internet", "internet at home"},
  };
  return a;
}

const char* kColumnNames[] = {"Thôn",
                              "Số nhà/Địa chỉ",
                              "Chủ hộ",
                              "Số điện thoại",
                              "Số nhân khẩu",
                              "Số người trong độ tuổi lao động",
                              "Số điện thoại thông minh",
                              "Internet tại nhà"};

Result<int> ParseCount(const std::string& cell, const char* column) {
  if (cell.empty()) return 0;
  int v = 0;
  for (char c : cell) {
    if (c < '0' || c > '9' || v > 100000)
      return InvalidInput(std::string("cột ") + column + ": '" + cell +
                          "' không phải số — not a number");
    v = v * 10 + (c - '0');
  }
  return v;
}

Result<bool> ParseYesNo(const std::string& cell) {
  const std::string f = FoldForSearch(cell);
  if (f == "co" || f == "x" || f == "1" || f == "yes" || f == "true" || f == "y") return true;
  if (f.empty() || f == "khong" || f == "0" || f == "no" || f == "false" || f == "n") return false;
  return InvalidInput("cột Internet tại nhà: '" + cell +
                      "' phải là Có hoặc Không — must be yes/no");
}

std::string DedupKey(const Household& h) {
  return h.village_id + "|" + FoldForSearch(h.head_name) + "|" + FoldForSearch(h.address);
}

// One read transaction over the checks of an import: the households already present and every
// lookup see one snapshot, and SQLite takes its file locks once rather than per statement
// (tens of thousands of fcntl calls for a large file). Ended before the write transaction.
class ReadTransaction {
 public:
  explicit ReadTransaction(Database& db) : d_(db.impl()), open_(d_.Exec("BEGIN").ok()) {}
  ~ReadTransaction() { End(); }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;
  void End() {
    if (open_) d_.Exec("COMMIT");  // nothing was written: ending a read cannot lose data
    open_ = false;
  }

 private:
  Database::Impl& d_;
  bool open_;
};

}  // namespace

Result<ImportReport> ImportHouseholdsCsv(Database& db, std::string_view csv,
                                         const ImportOptions& options) {
  auto table = ParseCsv(csv);
  if (!table) return table.error();
  // Map columns by header.
  int col[kColumnCount];
  std::fill(std::begin(col), std::end(col), -1);
  for (size_t i = 0; i < table->header.size(); ++i) {
    const std::string h = FoldForSearch(table->header[i]);
    for (int c = 0; c < kColumnCount; ++c)
      for (const std::string& alias : Aliases()[static_cast<size_t>(c)])
        if (h == alias && col[c] < 0) col[c] = static_cast<int>(i);
  }
  for (int required : {kVillage, kHead})
    if (col[required] < 0)
      return InvalidInput(std::string("Tệp thiếu cột '") + kColumnNames[required] +
                          "' ở dòng tiêu đề — missing column " + kColumnNames[required]);

  ReadTransaction read(db);
  Places places(db);
  Households households(db);
  auto villages = places.Villages();
  if (!villages) return villages.error();
  std::map<std::string, std::string> village_by_name;  // folded name → id
  for (const Village& v : *villages) village_by_name[FoldForSearch(v.name)] = v.id;

  // Households already present, for duplicate detection.
  std::unordered_set<std::string> seen;
  for (int offset = 0;; offset += 5000) {
    auto page = households.List({"", 5000, offset});
    if (!page) return page.error();
    for (const Household& h : *page) seen.insert(DedupKey(h));
    if (page->size() < 5000) break;
  }

  ImportReport report;
  report.rows = table->rows.size();
  std::vector<Household> good;
  good.reserve(table->rows.size());
  const size_t width = table->header.size();
  for (const CsvRow& row : table->rows) {
    auto problem = [&](const std::string& why) { report.problems.push_back({row.line, why}); };
    if (row.cells.size() < width) {
      problem("thiếu ô: có " + std::to_string(row.cells.size()) + ", cần " + std::to_string(width) +
              " — missing cells");
      continue;
    }
    auto cell = [&](Column c) {
      return col[c] < 0 ? std::string() : row.cells[static_cast<size_t>(col[c])];
    };
    Household h;
    const std::string village = cell(kVillage);
    auto v = village_by_name.find(FoldForSearch(village));
    if (v == village_by_name.end()) {
      problem("không có thôn '" + village +
              "' trong xã; thêm bằng 'gocua-cli village add' — unknown village");
      continue;
    }
    h.village_id = v->second;
    h.address = cell(kAddress);
    h.head_name = cell(kHead);
    h.phone = cell(kPhone);
    auto members = ParseCount(cell(kMembers), kColumnNames[kMembers]);
    auto working = ParseCount(cell(kWorkingAge), kColumnNames[kWorkingAge]);
    auto phones = ParseCount(cell(kSmartphones), kColumnNames[kSmartphones]);
    auto internet = ParseYesNo(cell(kInternet));
    for (const Status* st :
         {&members.error(), &working.error(), &phones.error(), &internet.error()})
      if (!st->ok()) problem(st->message());
    if (!members || !working || !phones || !internet) continue;
    h.members_count = *members;
    h.working_age_count = *working;
    h.smartphones = *phones;
    h.home_internet = *internet;
    auto checked = households.Validate(h, /*village_known=*/true);
    if (!checked) {
      // A bad line is bad input; a read that failed is the database's error, not the line's.
      const ErrorCode code = checked.error().code();
      if (code != ErrorCode::kInvalidInput && code != ErrorCode::kNotFound) return checked.error();
      problem(checked.error().message());
      continue;
    }
    if (!seen.insert(DedupKey(*checked)).second) {
      problem("hộ '" + checked->head_name + "' (" + checked->address +
              ") đã có trong dữ liệu hoặc lặp lại trong tệp — duplicate household");
      continue;
    }
    good.push_back(std::move(*checked));
  }
  read.End();
  if (!report.problems.empty() && !options.skip_bad_lines) return report;
  auto ids = households.AddAll(good, options.progress, /*validated=*/true);
  if (!ids) return ids.error();
  report.imported = ids->size();
  return report;
}

}  // namespace gocua
