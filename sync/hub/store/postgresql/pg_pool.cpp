// The PostgreSQL hub store's connection pool (pg_pool.h).
#include "sync/hub/store/postgresql/pg_pool.h"

#include <algorithm>
#include <cstdlib>

namespace gocua::pg {
namespace {

thread_local Conn* current = nullptr;

}  // namespace

ConnPool::ConnPool(std::string conninfo, int size, std::unique_ptr<Conn> first)
    : conninfo_(std::move(conninfo)), size_(std::max(size, 1)) {
  if (first) {
    idle_.push_back(std::move(first));
    open_ = 1;
  }
}

ConnPool::Lease::~Lease() {
  if (!pool_) return;
  if (c_->InTransaction()) c_->Rollback();
  pool_->Give(std::move(c_));
}

void ConnPool::Give(std::unique_ptr<Conn> c) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    idle_.push_back(std::move(c));
  }
  freed_.notify_one();
}

Result<ConnPool::Lease> ConnPool::Take() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    freed_.wait(lock, [&] { return !idle_.empty() || open_ < size_; });
    if (!idle_.empty()) {
      std::unique_ptr<Conn> c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(c));
    }
    ++open_;  // a place for the connection opened below, outside the lock
  }
  auto c = Conn::Open(conninfo_);
  if (!c) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      --open_;
    }
    freed_.notify_one();
    return c.error();
  }
  return Lease(this, std::move(c).value());
}

Conn* CurrentConn::operator->() const {
  if (!current) std::abort();  // a store call outside Write/Read: a bug
  return current;
}

CurrentConn::Use::Use(Conn& c) : before_(current) { current = &c; }
CurrentConn::Use::~Use() { current = before_; }

}  // namespace gocua::pg
