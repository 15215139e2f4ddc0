// The PostgreSQL hub store's connection (pg_conn.h).
#include "sync/hub/store/postgresql/pg_conn.h"

#include <charconv>

namespace gocua::pg {

int64_t Rows::Int(int row, int col) const {
  const std::string_view v = View(row, col);
  int64_t out = 0;
  std::from_chars(v.data(), v.data() + v.size(), out);
  return out;
}

std::string UnreachableMessage(const std::string& detail) {
  return "Không kết nối được PostgreSQL; kiểm tra máy chủ cơ sở dữ liệu rồi thử lại — "
         "PostgreSQL unreachable: " +
         detail;
}

Result<std::unique_ptr<Conn>> Conn::Open(const std::string& conninfo) {
  PGconn* c = PQconnectdb(conninfo.c_str());
  if (!c || PQstatus(c) != CONNECTION_OK) {
    std::string why = c ? PQerrorMessage(c) : "out of memory";
    while (!why.empty() && why.back() == '\n') why.pop_back();
    if (c) PQfinish(c);
    return Status(ErrorCode::kIo, UnreachableMessage(why));
  }
  // Quiet: NOTICEs (e.g. "relation already exists, skipping") are not a person's business.
  PQsetNoticeProcessor(
      c, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<Conn>(new Conn(c, conninfo));
}

Conn::~Conn() { PQfinish(c_); }

Status Conn::Error(PGresult* r, const char* what) {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  sqlstate_ = state ? state : "";
  if (sqlstate_ == "40001" || sqlstate_ == "40P01" || sqlstate_ == "23505") retryable_ = true;
  std::string msg = r ? PQresultErrorMessage(r) : "";
  if (msg.empty()) msg = PQerrorMessage(c_);
  while (!msg.empty() && msg.back() == '\n') msg.pop_back();
  if (r) PQclear(r);
  // Class 08 is a connection failure; 57P0x the server shutting down; no state at all is
  // libpq's own (the socket went away).
  if (PQstatus(c_) != CONNECTION_OK || sqlstate_.rfind("08", 0) == 0 ||
      sqlstate_.rfind("57P0", 0) == 0 || sqlstate_.empty())
    return {ErrorCode::kIo, UnreachableMessage(std::string(what) + ": " + msg)};
  return {ErrorCode::kInternal, std::string(what) + ": " + msg};
}

Result<PGresult*> Conn::Run(const std::string& sql, const Params& params, const char* what) {
  sqlstate_.clear();
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    const std::string name = "s" + std::to_string(prepared_.size());
    PGresult* p = PQprepare(c_, name.c_str(), sql.c_str(), 0, nullptr);
    if (!p || PQresultStatus(p) != PGRES_COMMAND_OK) return Error(p, what);
    PQclear(p);
    it = prepared_.emplace(sql, name).first;
  }
  std::vector<const char*> values;
  std::vector<int> lengths;
  values.reserve(params.size());
  lengths.reserve(params.size());
  for (const std::string& p : params) {
    values.push_back(p.data());
    lengths.push_back(static_cast<int>(p.size()));
  }
  PGresult* r = PQexecPrepared(c_, it->second.c_str(), static_cast<int>(params.size()),
                               values.data(), lengths.data(), nullptr, 0);
  const ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Error(r, what);
  return r;
}

Result<Rows> Conn::Query(const std::string& sql, const Params& params, const char* what) {
  auto r = Run(sql, params, what);
  if (!r) return r.error();
  return Rows(*r);
}

Status Conn::Exec(const std::string& sql, const Params& params, const char* what,
                  int64_t* affected) {
  auto r = Run(sql, params, what);
  if (!r) return r.error();
  if (affected) {
    const char* n = PQcmdTuples(*r);
    *affected = n && *n ? std::stoll(n) : 0;
  }
  PQclear(*r);
  return Status::Ok();
}

Status Conn::Simple(const char* sql, const char* what) {
  sqlstate_.clear();
  PGresult* r = PQexec(c_, sql);
  const ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Error(r, what);
  PQclear(r);
  return Status::Ok();
}

Status Conn::Begin(const char* begin_sql) {
  Status st = BeginOnce(begin_sql);
  // A server restarted since the last call: libpq learns it only now, on the dead socket.
  // A new session, once.
  if (!st && PQstatus(c_) != CONNECTION_OK) st = BeginOnce(begin_sql);
  return st;
}

Status Conn::BeginOnce(const char* begin_sql) {
  if (PQstatus(c_) != CONNECTION_OK) {
    // The server went away (a restart, a failover): a new session, so statements are
    // prepared again.
    PQreset(c_);
    prepared_.clear();
    if (PQstatus(c_) != CONNECTION_OK) {
      std::string why = PQerrorMessage(c_);
      while (!why.empty() && why.back() == '\n') why.pop_back();
      return {ErrorCode::kIo, UnreachableMessage(why)};
    }
    PQsetNoticeProcessor(
        c_, [](void*, const char*) {}, nullptr);
  }
  if (PQtransactionStatus(c_) != PQTRANS_IDLE) Rollback();
  retryable_ = false;
  return Simple(begin_sql, "begin");
}

void Conn::Rollback() {
  if (PQstatus(c_) != CONNECTION_OK) return;
  PGresult* r = PQexec(c_, "ROLLBACK");
  if (r) PQclear(r);
}

}  // namespace gocua::pg
