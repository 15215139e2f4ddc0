// Crash safety: a writer process is SIGKILLed at random moments while it commits visits and
// households; after each kill the database must be intact, hold every write the writer had
// reported as committed, and keep a dense change log (sync depends on seq having no gaps).
// The writer is tests/storage/core/crash_writer_main.cpp, built as gocua_crash_writer.
#ifdef GOCUA_CRASH_WRITER_PATH

#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "platform/clock.h"
#include "storage/core/change_log.h"
#include "storage/core/database.h"
#include "storage/device/households.h"
#include "storage/device/members.h"
#include "storage/device/persons.h"
#include "storage/device/places.h"
#include "storage/device/visits.h"

extern char** environ;

namespace gocua {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kRuns = 60;
constexpr uint32_t kDefaultSeed = 20240917;

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "gocua-crash-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// One line "committed <kind> <id> <last_seq>" from a writer.
struct Commit {
  std::string kind, id;
  int64_t seq = 0;
  // Every entry of this write's transaction has a seq above this: the writer's previous
  // report, or for its first report of a run, the LastSeq() seen before the run began.
  int64_t after_seq = 0;
};

// One writer process of a round.
struct Writer {
  pid_t pid = 0;
  int fd = -1;  // read end of its stdout
  Clock::time_point kill_at;
  // Set: the delay counts from the writer's first report, not from its start (see Round).
  std::optional<std::chrono::milliseconds> after_first_report;
  bool killed = false;
  int wait_status = 0;
  std::string out;
};

// Starts a writer on `db_path`, stdout to a pipe, stderr appended to `err_path`.
Writer Start(const std::string& db_path, const std::string& err_path) {
  int fds[2];
  REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  std::string exe = GOCUA_CRASH_WRITER_PATH;
  std::string arg = db_path;
  char* argv[] = {exe.data(), arg.data(), nullptr};
  Writer w;
  int rc = ::posix_spawn(&w.pid, exe.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) ::close(fds[0]);
  REQUIRE_MESSAGE(rc == 0, "cannot start " << exe << ": " << std::strerror(rc));
  w.fd = fds[0];
  return w;
}

// Reads what is there without blocking; false at EOF.
bool ReadSome(Writer& w) {
  char buf[4096];
  ssize_t n = ::read(w.fd, buf, sizeof buf);
  if (n > 0) w.out.append(buf, static_cast<size_t>(n));
  return n > 0 || (n < 0 && errno == EINTR);
}

// A writer that has not reported within this long is killed anyway (and the round's checks
// then say what it did not do).
constexpr std::chrono::seconds kFirstReportLimit{30};

// Starts one writer per delay, SIGKILLs each when its delay is up, reaps them all. The delay
// counts from the start, or with `after_first_report` from the writer's first report line.
// Their stdout is read all along so that a full pipe never slows a writer down.
std::vector<Writer> RunAndKill(const std::string& db_path, const std::string& err_path,
                               const std::vector<int>& delays_ms, bool after_first_report) {
  std::vector<Writer> ws;
  for (int delay : delays_ms) {
    ws.push_back(Start(db_path, err_path));
    Writer& w = ws.back();
    const std::chrono::milliseconds ms(delay);
    w.kill_at = Clock::now() + (after_first_report ? kFirstReportLimit : ms);
    if (after_first_report) w.after_first_report = ms;
  }
  for (;;) {
    std::vector<pollfd> fds;
    Clock::time_point next = Clock::time_point::max();
    for (Writer& w : ws) {
      if (w.killed) continue;
      if (Clock::now() >= w.kill_at) {
        ::kill(w.pid, SIGKILL);
        w.killed = true;
        continue;
      }
      next = std::min(next, w.kill_at);
      fds.push_back({w.fd, POLLIN, 0});
    }
    if (fds.empty()) break;
    auto wait = std::chrono::ceil<std::chrono::milliseconds>(next - Clock::now());
    if (::poll(fds.data(), fds.size(), static_cast<int>(wait.count())) <= 0) continue;
    for (const pollfd& p : fds) {
      if (!(p.revents & (POLLIN | POLLHUP))) continue;
      for (Writer& w : ws) {
        if (w.fd != p.fd) continue;
        if (!ReadSome(w)) {
          w.kill_at = Clock::now();  // gone; status says why
        } else if (w.after_first_report && w.out.find('\n') != std::string::npos) {
          w.kill_at = Clock::now() + *w.after_first_report;
          w.after_first_report.reset();
        }
      }
    }
  }
  for (Writer& w : ws) {
    while (::waitpid(w.pid, &w.wait_status, 0) < 0 && errno == EINTR) {
    }
    while (ReadSome(w)) {
    }
    ::close(w.fd);
  }
  return ws;
}

// The commits a writer reported. Only whole lines count: each is written with one write(2)
// after its commit, so a torn line cannot happen, but a half-read one must not count.
std::vector<Commit> Parse(const std::string& out, int64_t after_seq, std::string* bad_lines) {
  std::vector<Commit> commits;
  std::istringstream lines(out.substr(0, out.rfind('\n') + 1));
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string word;
    Commit c;
    if (words >> word >> c.kind >> c.id >> c.seq && word == "committed") {
      c.after_seq = commits.empty() ? after_seq : commits.back().seq;
      commits.push_back(c);
    } else {
      *bad_lines += line + "\n";
    }
  }
  return commits;
}

std::string DescribeStatus(int status) {
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
  return "status " + std::to_string(status);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Ok when the record of reported commit `c` is in `db`.
Status Present(Database& db, const Commit& c) {
  if (c.kind == "visit") return Visits(db).Get(c.id).error();
  if (c.kind == "household") return Households(db).Get(c.id).error();
  if (c.kind == "person") return Persons(db).Get(c.id).error();
  if (c.kind == "member") return Members(db).Get(c.id).error();
  if (c.kind == "village") return Places(db).FindVillage(c.id).error();
  if (c.kind == "commune") {
    auto commune = Places(db).LocalCommune();
    if (!commune) return commune.error();
    return commune->id == c.id ? Status::Ok() : NotFound("another commune: " + commune->id);
  }
  return {ErrorCode::kInternal, "unknown kind " + c.kind};
}

// Change-log entries of a record of `kind` the writer makes once and never edits: one per field
// written. 0 for the other kinds.
size_t FieldsWritten(const std::string& kind) {
  if (kind == "visit") return 10;     // 9 fields + created_by
  if (kind == "household") return 8;  // every field but "deleted"
  return 0;
}

// Opens the database at `db_path` after a kill and checks it: intact, a dense change log, and
// every write in `commits` present with its change-log entries. Returns LastSeq().
int64_t CheckDatabase(const std::string& db_path, const std::vector<Commit>& commits) {
  SystemClock clock;
  auto db = Database::Open(db_path, clock);
  REQUIRE_MESSAGE(db, "reopen after kill: " << db.error().message());

  auto integrity = (*db)->IntegrityCheck();
  REQUIRE(integrity);
  CHECK(*integrity == "ok");

  // Dense: seq 1..LastSeq, each once, in order (nothing is acknowledged in this test).
  auto last_seq = ChangeLog(**db).LastSeq();
  REQUIRE(last_seq);
  auto entries = ChangeLog(**db).Pending(0, std::numeric_limits<int>::max());
  REQUIRE(entries);
  CHECK(static_cast<int64_t>(entries->size()) == *last_seq);
  int64_t misplaced = 0;
  for (size_t i = 0; i < entries->size(); ++i)
    if ((*entries)[i].seq != static_cast<int64_t>(i) + 1) ++misplaced;
  CHECK_MESSAGE(misplaced == 0,
                misplaced << " change-log entries out of place in 1.." << *last_seq);

  std::map<std::string, std::vector<int64_t>> seqs_of;  // record id → its entries' seqs
  for (const ChangeEntry& e : *entries) seqs_of[e.record_id].push_back(e.seq);

  for (const Commit& c : commits) {
    INFO(c.kind, " ", c.id, " reported at seq ", c.seq, " (after seq ", c.after_seq, ")");
    Status present = Present(**db, c);
    CHECK_MESSAGE(present.ok(), "a reported commit is lost: " << present.message());
    CHECK(c.seq > c.after_seq);
    CHECK(*last_seq >= c.seq);
    // The record's first entries came from its own transaction, so they lie in
    // (after_seq, seq]. (A person is edited again later: visits raise its skills.)
    const std::vector<int64_t>& seqs = seqs_of[c.id];
    REQUIRE_FALSE(seqs.empty());
    CHECK(seqs.front() > c.after_seq);
    CHECK(seqs.front() <= c.seq);
    // Visits and households are written once, whole, in one transaction.
    if (size_t want = FieldsWritten(c.kind); want != 0) {
      CHECK(seqs.size() == want);
      CHECK(seqs.back() <= c.seq);
    }
  }
  return *last_seq;
}

// A database in a fresh temp dir, the writers killed over it, and every commit they reported.
class CrashRig {
 public:
  CrashRig()
      : db_path_((dir_.path() / "gocua.db").string()),
        err_path_((dir_.path() / "writer.err").string()) {}

  // Starts one writer per delay, all at once, kills each after its delay, then checks the
  // database against what they reported. `after_first_report`: each delay counts from the
  // writer's first report instead of its start, so the kill lands after a commit however slowly
  // the writer started (a loaded machine, a sanitizer build).
  void Round(const std::vector<int>& delays_ms, bool after_first_report = false) {
    std::vector<Writer> ws = RunAndKill(db_path_, err_path_, delays_ms, after_first_report);
    std::vector<Commit> fresh;
    for (const Writer& w : ws) {
      INFO("writer stderr: ", ReadFile(err_path_));
      // A writer never stops by itself: anything but our SIGKILL is a failure in it.
      const bool killed = WIFSIGNALED(w.wait_status) && WTERMSIG(w.wait_status) == SIGKILL;
      REQUIRE_MESSAGE(killed, "the writer " << DescribeStatus(w.wait_status));
      std::string bad;
      std::vector<Commit> reported = Parse(w.out, last_seq_, &bad);
      CHECK_MESSAGE(bad.empty(), "unexpected writer output: " << bad);
      ++kills_;
      if (!reported.empty()) ++kills_while_writing_;
      fresh.insert(fresh.end(), reported.begin(), reported.end());
    }
    const int64_t seq = CheckDatabase(db_path_, fresh);
    CHECK(seq >= last_seq_);  // a reopen never loses what the previous check saw
    last_seq_ = seq;
    commits_.insert(commits_.end(), fresh.begin(), fresh.end());
  }

  // Checks every commit of every round again: a later recovery must not undo earlier ones.
  void CheckAll() { CheckDatabase(db_path_, commits_); }

  const std::vector<Commit>& commits() const { return commits_; }
  int kills() const { return kills_; }
  int kills_while_writing() const { return kills_while_writing_; }
  int64_t last_seq() const { return last_seq_; }

 private:
  TempDir dir_;
  std::string db_path_, err_path_;
  std::vector<Commit> commits_;
  int64_t last_seq_ = 0;
  int kills_ = 0, kills_while_writing_ = 0;
};

std::mt19937 SeededRng() {
  uint32_t seed = kDefaultSeed;
  if (const char* s = std::getenv("GOCUA_CRASH_SEED")) seed = static_cast<uint32_t>(std::atoll(s));
  MESSAGE("seed ", seed, " (set GOCUA_CRASH_SEED to change it)");
  return std::mt19937(seed);
}

void Summarise(const CrashRig& rig, Clock::time_point start) {
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  MESSAGE(rig.kills(), " kills (", rig.kills_while_writing(), " after a commit), ",
          rig.commits().size(), " commits reported, last seq ", rig.last_seq(), ", ", secs, " s");
}

TEST_CASE("Crash: SIGKILL during writes loses no committed write") {
  const auto start = Clock::now();
  std::mt19937 rng = SeededRng();
  std::uniform_int_distribution<int> delay_ms(5, 150);
  CrashRig rig;
  for (int i = 0; i < kRuns; ++i) {
    // Odd runs count the delay from the writer's first report, so at least half the kills
    // land while it is writing however long it takes to start; even runs count from its
    // start, so kills also land while it opens the file and sets up (an ASan writer takes
    // ~70 ms to start on an idle machine, much longer on a loaded one).
    const int delay = delay_ms(rng);
    const bool after_first_report = i % 2 == 1;
    INFO("run ", i, ", killed after ", delay, " ms",
         after_first_report ? " after its first report" : "");
    rig.Round({delay}, after_first_report);
  }
  rig.CheckAll();
  Summarise(rig, start);
  CHECK(rig.commits().size() > 0);
  // Every kill found the writer alive (Round checks that), and every odd run's writer had
  // reported a commit first.
  CHECK(rig.kills_while_writing() >= kRuns / 2);
}

// The UI and the sync worker each hold a connection to the same file (STYLE rule 6); the seq
// and clock are read inside the write lock, so two writers never hand out the same seq.
TEST_CASE("Crash: SIGKILL of two writers sharing a database keeps the change log dense") {
  const auto start = Clock::now();
  std::mt19937 rng = SeededRng();
  // Longer than above: two writers share the write lock, so each commits half as often.
  std::uniform_int_distribution<int> delay_ms(30, 250);
  CrashRig rig;
  // One writer alone first, until it has set up the commune and saved a visit: two writers
  // setting up the same empty file would race each other for the commune.
  auto saved_a_visit = [&] {
    for (const Commit& c : rig.commits())
      if (c.kind == "visit") return true;
    return false;
  };
  // 2 s a round, doubling up to 30 s: its setup hashes a member's PIN (~0.3 s of PBKDF2,
  // docs/security.md), and a loaded machine can take longer than 2 s to start a sanitized writer.
  for (int i = 0; i < 20 && !saved_a_visit(); ++i)
    rig.Round({std::min(2000 << std::min(i, 4), 30000)});
  REQUIRE(saved_a_visit());
  constexpr int kRounds = 25;
  for (int i = 0; i < kRounds; ++i) {
    const int a = delay_ms(rng), b = delay_ms(rng);
    const bool after_first_report = i % 2 == 1;  // as in the test above
    INFO("round ", i, ", killed after ", a, " and ", b, " ms",
         after_first_report ? " after their first reports" : "");
    rig.Round({a, b}, after_first_report);
  }
  rig.CheckAll();
  Summarise(rig, start);
  // Both writers of every odd round had reported a commit before their kill.
  CHECK(rig.kills_while_writing() >= kRounds / 2 * 2);
}

}  // namespace
}  // namespace gocua

#endif  // GOCUA_CRASH_WRITER_PATH
