// enroll, sync: this device and the hub (sync/client over libcurl).
#include <atomic>
#include <csignal>
#include <filesystem>
#include <ostream>

#include "platform/clock.h"
#include "platform/utf8_path.h"
#include "storage/device/replica.h"
#include "sync/client/curl_transport.h"
#include "sync/client/sync_engine.h"
#include "tools/cli/commands.h"

namespace gocua::cli {
namespace {

// Ctrl-C cancels the sync between requests (and aborts a transfer in flight): what was
// acknowledged or applied stays, the next sync goes on from there.
std::atomic<bool> g_cancel{false};
static_assert(std::atomic<bool>::is_always_lock_free);
extern "C" void OnInterrupt(int) { g_cancel.store(true); }

class InterruptCancels {
 public:
  InterruptCancels() : previous_(std::signal(SIGINT, OnInterrupt)) { g_cancel = false; }
  ~InterruptCancels() { std::signal(SIGINT, previous_ == SIG_ERR ? SIG_DFL : previous_); }
  InterruptCancels(const InterruptCancels&) = delete;
  InterruptCancels& operator=(const InterruptCancels&) = delete;

 private:
  void (*previous_)(int);
};

// --ca-file as an absolute path (it is kept with the enrollment), or `fallback`.
std::string CaFile(const ParsedArgs& a, const std::string& fallback) {
  return a.Has("ca-file") ? PathToUtf8(std::filesystem::absolute(PathFromUtf8(a.Get("ca-file"))))
                          : fallback;
}

// Progress lines on stderr, one per batch or page (stdout stays the result).
client::ProgressFn ProgressTo(Context& ctx) {
  if (ctx.json()) return {};
  return [&ctx](client::SyncPhase phase, int64_t done, int64_t total) {
    if (phase == client::SyncPhase::kPush && total > 0)
      ctx.err() << "Đang gửi — pushing: " << done << "/" << total << "\n";
    else if (phase == client::SyncPhase::kPull && done > 0)
      ctx.err() << "Đang nhận — pulling: " << done << "\n";
  };
}

nlohmann::json Counts(const client::SyncResult& r) {
  nlohmann::json j = {{"pushed", r.pushed},
                      {"pulled", r.pulled},
                      {"conflicts", r.conflicts},
                      {"quarantined", r.quarantined},
                      {"pending", r.pending}};
  if (!r.ok())
    j["error"] = {{"kind", client::FailureName(r.failure)}, {"message", r.error.message()}};
  return j;
}

void PrintCounts(std::ostream& o, const client::SyncResult& r) {
  o << "Đã gửi — pushed:               " << r.pushed << "\n";
  o << "Đã nhận — pulled:              " << r.pulled << "\n";
  o << "Xung đột — conflicts:          " << r.conflicts << "\n";
  o << "Bị giữ lại — quarantined:      " << r.quarantined << "\n";
  if (r.pending >= 0) o << "Còn chờ gửi — still pending:   " << r.pending << "\n";
}

// Prints the outcome; a failure also goes to stderr and exits 1.
int Report(Context& ctx, const client::SyncResult& r, const nlohmann::json& extra) {
  if (ctx.json()) {
    nlohmann::json j = Counts(r);
    j.update(extra);
    ctx.PrintJson(j);
  } else if (r.ok() || r.pushed > 0 || r.pulled > 0) {
    if (extra.contains("commune_id"))
      ctx.out() << "Xã — commune:                  " << extra["commune_id"].get<std::string>()
                << "\n";
    PrintCounts(ctx.out(), r);
  }
  return r.ok() ? kExitOk : ctx.Fail(r.error);
}

int Enroll(Context& ctx, const ParsedArgs& a) {
  auto db = ctx.Db();
  if (!db) return ctx.Fail(db.error());
  Database& d = **db;
  SystemClock clock;
  client::CurlOptions curl;
  curl.ca_file = CaFile(a, "");
  client::CurlTransport transport(curl);
  client::SyncEngine engine(d, transport, clock);
  InterruptCancels interrupt;
  const std::string name = a.Get("name", "gocua-cli " + d.device_id().substr(0, 8));
  client::EnrollResult r =
      engine.Enroll(a.Get("hub"), a.Get("code"), name, ProgressTo(ctx), &g_cancel);
  if (r.commune_id.empty()) return ctx.Fail(r.sync.error);  // the hub did not take the code
  // Later syncs trust the same certificate without being told again.
  if (Status s = Replica(d).SaveCaFile(curl.ca_file); !s) return ctx.Fail(s);
  auto state = Replica(d).State();
  return Report(ctx, r.sync,
                {{"device_id", d.device_id()},
                 {"commune_id", r.commune_id},
                 {"hub", state ? state->hub_url : a.Get("hub")}});
}

int Sync(Context& ctx, const ParsedArgs& a) {
  auto db = ctx.Db();
  if (!db) return ctx.Fail(db.error());
  auto state = Replica(**db).State();
  if (!state) return ctx.Fail(state.error());
  SystemClock clock;
  client::CurlOptions curl;
  curl.ca_file = CaFile(a, state->ca_file);
  client::CurlTransport transport(curl);
  client::SyncEngine engine(**db, transport, clock);
  InterruptCancels interrupt;
  return Report(ctx, engine.Sync(ProgressTo(ctx), &g_cancel), nlohmann::json::object());
}

}  // namespace

std::vector<CommandSpec> SyncCommands() {
  return {
      {"enroll",
       "",
       "đăng ký máy với máy chủ đồng bộ bằng mã của tổ trưởng, rồi tải dữ liệu xã — enroll "
       "with a hub using a leader's code, then download the commune",
       {},
       {Text("hub", "URL", "địa chỉ máy chủ — hub address, http://host:port", true),
        Text("code", "CODE", "mã đăng ký một lần — one-time enrollment code", true),
        Text("name", "NAME", "tên máy hiện cho tổ trưởng — device name shown to leaders"),
        Text("ca-file", "FILE",
             "chứng chỉ của máy chủ https tự cấp (PEM), được nhớ cho các lần đồng bộ sau — "
             "the https hub's own certificate or CA (PEM) to trust; kept for later syncs")},
       {"gocua-cli enroll --hub http://192.168.1.10:8080 --code 7K2M-9QXP --name \"Laptop tổ 3\"",
        "gocua-cli enroll --hub https://192.168.1.10:8443 --code 7K2M-9QXP --ca-file hub.crt"},
       Enroll},
      {"sync",
       "",
       "đồng bộ với máy chủ: gửi thay đổi, nhận thay đổi — push local changes, pull the "
       "commune's",
       {},
       {Text("ca-file", "FILE",
             "tin chứng chỉ này thay cho chứng chỉ đã nhớ khi đăng ký — trust this PEM "
             "certificate instead of the one kept at enrollment")},
       {"gocua-cli sync", "gocua-cli sync --json"},
       Sync},
  };
}

}  // namespace gocua::cli
