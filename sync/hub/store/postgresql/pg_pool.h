#pragma once
// A small pool of libpq connections to one database, so that a hub's HTTP workers run their
// store calls side by side: each call (one transaction) takes a connection of its own, and
// gives it back when it ends. Internal to sync/hub/store/postgresql/.
//
// Contract:
// - At most `size` connections exist; they are opened on demand (the first is the one that
//   migrated the schema). A call that finds none free waits until one is given back.
// - A connection lost to a PostgreSQL restart is reset by its next Begin (pg_conn.h); one that
//   cannot be opened makes Take fail with kIo (PostgreSQL unreachable, the hub answers 503), and
//   the next Take tries again. Nothing needs a hub restart.
// - A connection comes back outside any transaction (a lease still in one is rolled back).
//
// Threading: Take from any thread; a Lease is used by the thread that took it.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/result.h"
#include "sync/hub/store/postgresql/pg_conn.h"

namespace gocua::pg {

class ConnPool {
 public:
  // A connection lent for one call; back in the pool when the lease goes.
  class Lease {
   public:
    Lease(Lease&& o) noexcept : pool_(o.pool_), c_(std::move(o.c_)) { o.pool_ = nullptr; }
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Conn& operator*() const { return *c_; }
    Conn* operator->() const { return c_.get(); }

   private:
    friend class ConnPool;
    Lease(ConnPool* pool, std::unique_ptr<Conn> c) : pool_(pool), c_(std::move(c)) {}
    ConnPool* pool_;
    std::unique_ptr<Conn> c_;
  };

  // A pool of at most `size` (>= 1) connections to `conninfo`, `first` among them.
  ConnPool(std::string conninfo, int size, std::unique_ptr<Conn> first);
  ConnPool(const ConnPool&) = delete;
  ConnPool& operator=(const ConnPool&) = delete;

  // A free connection, waiting for one if all `size` are lent. kIo if a new one cannot be
  // opened (PostgreSQL unreachable).
  Result<Lease> Take();
  int size() const { return size_; }

 private:
  void Give(std::unique_ptr<Conn> c);

  const std::string conninfo_;
  const int size_;
  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Conn>> idle_;  // guarded by mu_
  int open_ = 0;  // connections idle, lent or being opened; guarded by mu_
};

// The connection of the calling thread's current store call, for code written against one
// connection (`c_->Query(...)`, `*c_`). REQUIRES: inside a Use on this thread.
class CurrentConn {
 public:
  Conn* operator->() const;
  Conn& operator*() const { return *operator->(); }

  // Makes `c` the calling thread's connection until the Use goes (the one before comes back).
  class Use {
   public:
    explicit Use(Conn& c);
    ~Use();
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;

   private:
    Conn* before_;
  };
};

}  // namespace gocua::pg
