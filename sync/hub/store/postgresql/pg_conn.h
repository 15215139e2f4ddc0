#pragma once
// One libpq connection of the PostgreSQL hub store, and its results. Internal to
// sync/hub/store/postgresql/: no libpq type leaves this folder.
//
// Statements are prepared once per connection (by their text) and run with text parameters.
// Errors come back as values: a lost server is kIo ("PostgreSQL unreachable"), anything else
// kInternal with PostgreSQL's message; sqlstate() says which (e.g. "40001", a serialization
// failure that the caller retries). A connection found broken is reset at the next Begin.
//
// Threading: one thread at a time: the store's pool (pg_pool.h) lends it to one call.
#include <libpq-fe.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.h"

namespace gocua::pg {

// A query's rows, as text.
class Rows {
 public:
  explicit Rows(PGresult* r) : r_(r, &PQclear) {}
  int size() const { return PQntuples(r_.get()); }
  bool empty() const { return size() == 0; }
  std::string Text(int row, int col) const {
    return std::string(PQgetvalue(r_.get(), row, col),
                       static_cast<size_t>(PQgetlength(r_.get(), row, col)));
  }
  std::string_view View(int row, int col) const {
    return {PQgetvalue(r_.get(), row, col), static_cast<size_t>(PQgetlength(r_.get(), row, col))};
  }
  int64_t Int(int row, int col) const;
  bool Bool(int row, int col) const { return View(row, col) == "t"; }
  bool Null(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> r_;
};

// Text parameters; Int() spells a number.
using Params = std::vector<std::string>;
inline std::string Int(int64_t v) { return std::to_string(v); }

class Conn {
 public:
  // Connects to `conninfo` (a postgresql:// URI or key=value words). kIo if the server cannot
  // be reached, with what to do next.
  static Result<std::unique_ptr<Conn>> Open(const std::string& conninfo);
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  // Runs `sql` (prepared on first use) with `params`; `what` names it in errors.
  Result<Rows> Query(const std::string& sql, const Params& params, const char* what);
  // The same for a statement whose rows do not matter; *affected (if given) its row count.
  Status Exec(const std::string& sql, const Params& params, const char* what,
              int64_t* affected = nullptr);
  // Runs `sql` as it is (no parameters, several statements allowed): DDL and BEGIN/COMMIT.
  Status Simple(const char* sql, const char* what);

  // Opens a transaction ("BEGIN ISOLATION LEVEL ..."), resetting a broken connection first.
  Status Begin(const char* begin_sql);
  Status Commit() { return Simple("COMMIT", "commit"); }
  // Rolls back whatever is open; errors are ignored (a lost connection has nothing open).
  void Rollback();
  // Whether a transaction is open (or failed and not yet rolled back) on a live connection.
  bool InTransaction() const {
    return PQstatus(c_) == CONNECTION_OK && PQtransactionStatus(c_) != PQTRANS_IDLE;
  }

  // The SQLSTATE of the last error ("" if it was not the server's).
  const std::string& sqlstate() const { return sqlstate_; }
  // Whether an error since the last Begin is one a transaction retries: a serialization
  // failure, a deadlock or a unique key taken by a concurrent transaction.
  bool Retryable() const { return retryable_; }

 private:
  explicit Conn(PGconn* c, std::string conninfo) : c_(c), conninfo_(std::move(conninfo)) {}
  Status Error(PGresult* r, const char* what);
  Status BeginOnce(const char* begin_sql);
  Result<PGresult*> Run(const std::string& sql, const Params& params, const char* what);

  PGconn* c_;
  std::string conninfo_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL → statement name
  std::string sqlstate_;
  bool retryable_ = false;
};

// The message of a lost or refused connection, said to a person.
std::string UnreachableMessage(const std::string& detail);

}  // namespace gocua::pg
