#include "tests/support/fault_vfs.h"

#include <cstring>

namespace gocua::test {
namespace {

// A file opened through the fault VFS: our header, then the real VFS's file in the same
// allocation (szOsFile covers both).
struct FaultFile {
  sqlite3_file base;
  FaultVfs* owner;
  sqlite3_file* real;
};

FaultVfs* Owner(sqlite3_vfs* vfs) { return static_cast<FaultVfs*>(vfs->pAppData); }
FaultFile* Cast(sqlite3_file* f) { return reinterpret_cast<FaultFile*>(f); }
sqlite3_file* Real(sqlite3_file* f) { return Cast(f)->real; }

int Close(sqlite3_file* f) { return Real(f)->pMethods->xClose(Real(f)); }

int Read(sqlite3_file* f, void* buf, int amount, sqlite3_int64 offset) {
  int error = 0;
  if (Cast(f)->owner->ShouldFail(FaultKind::kRead, &error)) return error;
  return Real(f)->pMethods->xRead(Real(f), buf, amount, offset);
}

int Write(sqlite3_file* f, const void* buf, int amount, sqlite3_int64 offset) {
  int error = 0;
  if (Cast(f)->owner->ShouldFail(FaultKind::kWrite, &error)) return error;
  return Real(f)->pMethods->xWrite(Real(f), buf, amount, offset);
}

int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  int error = 0;
  if (Cast(f)->owner->ShouldFail(FaultKind::kTruncate, &error)) return error;
  return Real(f)->pMethods->xTruncate(Real(f), size);
}

int Sync(sqlite3_file* f, int flags) {
  int error = 0;
  if (Cast(f)->owner->ShouldFail(FaultKind::kSync, &error)) return error;
  return Real(f)->pMethods->xSync(Real(f), flags);
}

int FileSize(sqlite3_file* f, sqlite3_int64* size) {
  return Real(f)->pMethods->xFileSize(Real(f), size);
}
int Lock(sqlite3_file* f, int level) { return Real(f)->pMethods->xLock(Real(f), level); }
int Unlock(sqlite3_file* f, int level) { return Real(f)->pMethods->xUnlock(Real(f), level); }
int CheckReservedLock(sqlite3_file* f, int* out) {
  return Real(f)->pMethods->xCheckReservedLock(Real(f), out);
}
int FileControl(sqlite3_file* f, int op, void* arg) {
  return Real(f)->pMethods->xFileControl(Real(f), op, arg);
}
int SectorSize(sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); }
int DeviceCharacteristics(sqlite3_file* f) {
  return Real(f)->pMethods->xDeviceCharacteristics(Real(f));
}
int ShmMap(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return Real(f)->pMethods->xShmMap(Real(f), region, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) { Real(f)->pMethods->xShmBarrier(Real(f)); }
int ShmUnmap(sqlite3_file* f, int delete_flag) {
  return Real(f)->pMethods->xShmUnmap(Real(f), delete_flag);
}
// No memory-mapped pages: every read goes through xRead, where a fault can meet it.
int Fetch(sqlite3_file*, sqlite3_int64, int, void** out) {
  *out = nullptr;
  return SQLITE_OK;
}
int Unfetch(sqlite3_file*, sqlite3_int64, void*) { return SQLITE_OK; }

const sqlite3_io_methods kMethods = {
    3,
    Close,
    Read,
    Write,
    Truncate,
    Sync,
    FileSize,
    Lock,
    Unlock,
    CheckReservedLock,
    FileControl,
    SectorSize,
    DeviceCharacteristics,
    ShmMap,
    ShmLock,
    ShmBarrier,
    ShmUnmap,
    Fetch,
    Unfetch,
};

int Open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  FaultFile* p = Cast(f);
  p->base.pMethods = nullptr;
  p->owner = Owner(vfs);
  p->real = reinterpret_cast<sqlite3_file*>(p + 1);
  sqlite3_vfs* real = p->owner->real();
  const int rc = real->xOpen(real, name, p->real, flags, out_flags);
  if (p->real->pMethods) p->base.pMethods = &kMethods;
  return rc;
}

int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  sqlite3_vfs* real = Owner(vfs)->real();
  return real->xDelete(real, name, sync_dir);
}
int Access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  sqlite3_vfs* real = Owner(vfs)->real();
  return real->xAccess(real, name, flags, out);
}
int FullPathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  sqlite3_vfs* real = Owner(vfs)->real();
  return real->xFullPathname(real, name, n, out);
}
void* DlOpen(sqlite3_vfs* vfs, const char* name) {
  sqlite3_vfs* real = Owner(vfs)->real();
  return real->xDlOpen(real, name);
}
void DlError(sqlite3_vfs* vfs, int n, char* out) {
  sqlite3_vfs* real = Owner(vfs)->real();
  real->xDlError(real, n, out);
}
void (*DlSym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  sqlite3_vfs* real = Owner(vfs)->real();
  return real->xDlSym(real, handle, symbol);
}
void DlClose(sqlite3_vfs* vfs, void* handle) {
  sqlite3_vfs* real = Owner(vfs)->real();
  real->xDlClose(real, handle);
}
int Randomness(sqlite3_vfs* vfs, int n, char* out) {
  sqlite3_vfs* real = Owner(vfs)->real();
  return real->xRandomness(real, n, out);
}
int Sleep(sqlite3_vfs* vfs, int micros) {
  sqlite3_vfs* real = Owner(vfs)->real();
  return real->xSleep(real, micros);
}
int CurrentTime(sqlite3_vfs* vfs, double* out) {
  sqlite3_vfs* real = Owner(vfs)->real();
  return real->xCurrentTime(real, out);
}
int GetLastError(sqlite3_vfs* vfs, int n, char* out) {
  sqlite3_vfs* real = Owner(vfs)->real();
  return real->xGetLastError ? real->xGetLastError(real, n, out) : 0;
}
int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  sqlite3_vfs* real = Owner(vfs)->real();
  return real->xCurrentTimeInt64(real, out);
}

}  // namespace

FaultVfs::FaultVfs() {
  real_ = sqlite3_vfs_find(nullptr);
  vfs_.iVersion = 2;
  vfs_.szOsFile = static_cast<int>(sizeof(FaultFile)) + real_->szOsFile;
  vfs_.mxPathname = real_->mxPathname;
  vfs_.zName = kName;
  vfs_.pAppData = this;
  vfs_.xOpen = Open;
  vfs_.xDelete = Delete;
  vfs_.xAccess = Access;
  vfs_.xFullPathname = FullPathname;
  vfs_.xDlOpen = DlOpen;
  vfs_.xDlError = DlError;
  vfs_.xDlSym = DlSym;
  vfs_.xDlClose = DlClose;
  vfs_.xRandomness = Randomness;
  vfs_.xSleep = Sleep;
  vfs_.xCurrentTime = CurrentTime;
  vfs_.xGetLastError = GetLastError;
  vfs_.xCurrentTimeInt64 = CurrentTimeInt64;
  sqlite3_vfs_register(&vfs_, 0);
}

FaultVfs::~FaultVfs() { sqlite3_vfs_unregister(&vfs_); }

void FaultVfs::Arm(FaultKind kind, int nth, int error, bool persistent) {
  armed_ = false;
  for (auto& c : counts_) c = 0;
  fired_ = false;
  kind_ = static_cast<int>(kind);
  nth_ = nth;
  error_ = error;
  persistent_ = persistent;
  armed_ = true;
}

void FaultVfs::Disarm() { armed_ = false; }

bool FaultVfs::ShouldFail(FaultKind kind, int* error) {
  const int n = ++counts_[static_cast<int>(kind)];
  if (!armed_ || kind_ != static_cast<int>(kind)) return false;
  if (n < nth_ || (n > nth_ && !persistent_)) return false;
  fired_ = true;
  *error = error_;
  return true;
}

DefaultVfsScope::DefaultVfsScope(FaultVfs& vfs) : previous_(sqlite3_vfs_find(nullptr)) {
  sqlite3_vfs_register(vfs.vfs(), 1);
}

DefaultVfsScope::~DefaultVfsScope() { sqlite3_vfs_register(previous_, 1); }

}  // namespace gocua::test
