// gocua-hub migrate (migrate.h).
#include "sync/hub/migrate.h"

#include <filesystem>
#include <string>
#include <vector>

#include "platform/clock.h"
#include "storage/core/schema.h"
#include "sync/hub/store/postgresql/pg_dump.h"
#include "sync/hub/store/postgresql/pg_hub_store.h"
#include "sync/hub/store/sqlite/hub_dump.h"

namespace gocua::hub {
namespace {

constexpr int kLogChunk = 2000;  // ops read and appended at a time

Status Copy(SqliteHubSource& from, PgHubTarget& to, std::FILE* out) {
  auto ids = from.Ids();
  if (!ids) return ids.error();
  if (Status s = to.SetIds(*ids); !s) return s;
  for (const char* name : kDumpTables) {
    auto table = from.Table(name);
    if (!table) return table.error();
    if (Status s = to.Table(*table); !s) return s;
    std::fprintf(out, "  %s: %zu dòng — rows\n", name, table->rows.size());
    std::fflush(out);
  }
  for (const RecordDef& def : RecordDefs()) {
    auto record_ids = from.RecordIds(def);
    if (!record_ids) return record_ids.error();
    for (const std::string& id : *record_ids) {
      auto row = from.Record(def, id);
      if (!row) return row.error();
      if (Status s = to.Record(def, id, *row); !s) return s;
    }
    std::fprintf(out, "  %s: %zu bản ghi — records\n", def.table, record_ids->size());
    std::fflush(out);
  }
  auto total = from.LogOps();
  if (!total) return total.error();
  int64_t after = 0, copied = 0;
  std::vector<hub_internal::LogEntry> chunk;
  for (;;) {
    chunk.clear();
    if (Status s = from.LogAfter(after, kLogChunk, &chunk); !s) return s;
    if (chunk.empty()) break;
    after = chunk.back().server_seq;
    copied += static_cast<int64_t>(chunk.size());
    if (Status s = to.AppendLog(chunk); !s) return s;
    std::fprintf(out, "  nhật ký — log: %lld/%lld\n", static_cast<long long>(copied),
                 static_cast<long long>(*total));
    std::fflush(out);
  }
  if (copied != *total)
    return Status(ErrorCode::kInternal, "read " + std::to_string(copied) + " log ops of " +
                                            std::to_string(*total) + "; nothing was kept");
  return Status::Ok();
}

}  // namespace

int Migrate(const Args& args, std::FILE* out, std::FILE* err) {
  const std::string from = args.Get("--from"), to = args.Get("--to");
  if (from.empty() || to.empty() || !IsPostgresUri(to) || args.words.size() != 1 ||
      args.options.size() != 2) {
    std::fprintf(err,
                 "gocua-hub: migrate takes --from DIR (the SQLite hub's --data folder) and --to "
                 "postgresql://USER@HOST:PORT/DB (an empty database), nothing else\n");
    return 2;
  }
  SystemClock clock;
  const std::string path = (std::filesystem::path(from) / "hub.db").string();
  auto source = SqliteHubSource::Open(path, clock);
  if (!source) {
    std::fprintf(err, "gocua-hub: %s\n", source.error().message().c_str());
    return 1;
  }
  auto target = PgHubTarget::Open(to, clock);
  if (!target) {
    std::fprintf(err, "gocua-hub: %s\n", target.error().message().c_str());
    return 1;
  }
  std::fprintf(out, "Đang chép máy chủ %s sang PostgreSQL — copying the hub, in one transaction\n",
               path.c_str());
  std::fflush(out);
  Status st = Copy(**source, **target, out);
  if (st) st = (*target)->Commit();
  if (!st) {
    std::fprintf(err,
                 "gocua-hub: %s\nKhông có gì được chép; sửa lỗi rồi chạy lại — nothing was kept; "
                 "fix it and run migrate again\n",
                 st.message().c_str());
    return 1;
  }
  std::fprintf(out,
               "Xong: máy chủ đã chuyển sang PostgreSQL; chạy gocua-hub serve --store %s, các "
               "laptop đồng bộ tiếp không cần đăng ký lại — done\n",
               to.c_str());
  return 0;
}

}  // namespace gocua::hub
