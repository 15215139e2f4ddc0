#include "app/core/laptops_task.h"

#include "app/core/app_log.h"
#include "app/core/i18n.h"
#include "storage/device/replica.h"
#include "sync/client/curl_transport.h"
#include "sync/client/laptops_client.h"

namespace gocua::app {

namespace p = gocua::protocol;

// One call's outcome, made on the call's thread and read on the UI thread.
struct LaptopsTask::Answer {
  LaptopsView::Op op = LaptopsView::Op::kNone;
  Status status;
  int http_status = 0;  // 0: no reply came (or not asked: not enrolled)
  std::string hub_message;
  std::optional<std::vector<p::LaptopInfo>> laptops;  // a list came with the answer
  std::optional<p::LaptopCodeResponse> code;
  int64_t asked_at_ms = 0, answered_at_ms = 0;  // this laptop's clock
  std::string name;                             // the laptop renamed or revoked
};

namespace {

// One sentence for the screen: what went wrong and what to do next.
std::string Explain(const Status& s, int http_status, const std::string& hub_message) {
  if (s.code() == ErrorCode::kNotFound && http_status == 0) return Tr("laptops.err.not_enrolled");
  if (http_status == 0) return Tr("laptops.err.network");
  if (http_status == 401) return Tr("laptops.err.revoked");
  if (http_status == 403) return Fmt(Tr("laptops.err.refused"), {PlainText(hub_message)});
  if (http_status == 404) return Tr("laptops.err.old_hub");
  if (http_status == 429) return Fmt(Tr("laptops.err.too_many"), {PlainText(hub_message)});
  if (http_status >= 500) return Tr("laptops.err.hub_failing");
  if (http_status == 200) return Tr("laptops.err.bad_reply");  // a reply not the protocol's
  return Fmt(Tr("laptops.err.rejected"), {PlainText(hub_message)});
}

}  // namespace

LaptopsTask::~LaptopsTask() {
  *alive_ = false;
  if (thread_.joinable()) thread_.join();
}

bool LaptopsTask::List() { return Start(LaptopsView::Op::kList, "", "", 0); }
bool LaptopsTask::IssueCode(int64_t ttl_minutes) {
  return Start(LaptopsView::Op::kCode, "", "", ttl_minutes);
}
bool LaptopsTask::Rename(const std::string& device_id, const std::string& name) {
  return Start(LaptopsView::Op::kRename, device_id, name, 0);
}
bool LaptopsTask::Revoke(const std::string& device_id) {
  return Start(LaptopsView::Op::kRevoke, device_id, "", 0);
}

bool LaptopsTask::Start(LaptopsView::Op op, std::string device_id, std::string text,
                        int64_t ttl_minutes) {
  if (busy()) return false;
  if (thread_.joinable()) thread_.join();  // the last call's thread: it has ended
  view_.running = op;
  view_.error.clear();
  if (op == LaptopsView::Op::kCode) view_.code.reset();  // replaced, or gone if refused
  SyncState state;
  if (auto s = Replica(m_.db()).State()) state = *s;  // not enrolled: the client says so
  view_.hub_offset_ms = state.clock_offset_ms;
  client::CurlOptions curl;
  curl.ca_file = state.ca_file;
  if (m_.sync_worker()) curl.connect_timeout_s = m_.sync_worker()->options().connect_timeout_s;
  MainQueue& queue = m_.queue();
  const Clock& clock = m_.clock();
  thread_ = std::thread([this, alive = alive_, &queue, &clock, op, curl, state,
                         device_id = std::move(device_id), text = std::move(text), ttl_minutes] {
    client::CurlTransport transport(curl);
    client::LaptopsClient c(transport, state.hub_url, state.token);
    Answer a;
    a.op = op;
    a.asked_at_ms = clock.NowMs();
    auto list_after = [&] {  // a rename or revoke done: the list as the hub now has it
      if (auto l = c.List()) a.laptops = std::move(*l);
    };
    switch (op) {
      case LaptopsView::Op::kList:
        if (auto l = c.List()) {
          a.laptops = std::move(*l);
        } else {
          a.status = l.error();
        }
        break;
      case LaptopsView::Op::kCode:
        if (auto r = c.IssueMemberCode(ttl_minutes)) {
          a.code = std::move(*r);
        } else {
          a.status = r.error();
        }
        break;
      case LaptopsView::Op::kRename:
      case LaptopsView::Op::kRevoke: {
        auto r = op == LaptopsView::Op::kRename ? c.Rename(device_id, text) : c.Revoke(device_id);
        if (r) {
          a.name = r->name;
          list_after();
        } else {
          a.status = r.error();
        }
        break;
      }
      case LaptopsView::Op::kNone:
        break;
    }
    if (!a.status.ok()) {
      a.http_status = c.last_status();
      a.hub_message = c.last_hub_message();
    }
    a.answered_at_ms = clock.NowMs();
    queue.Post([this, alive, a = std::move(a)]() mutable {
      if (*alive) Ended(std::move(a));
    });
  });
  return true;
}

void LaptopsTask::Ended(Answer a) {
  view_.running = LaptopsView::Op::kNone;
  ++view_.answers;
  if (a.laptops) {
    view_.laptops = std::move(*a.laptops);
    view_.listed = true;
  }
  if (!a.status.ok()) {
    view_.error = Explain(a.status, a.http_status, a.hub_message);
    m_.LogDetail("laptops", a.status.message());
    return;
  }
  if (a.code) {
    // The hub's clock against this laptop's, halfway through the exchange.
    view_.hub_offset_ms = a.code->server_time - (a.asked_at_ms + a.answered_at_ms) / 2;
    view_.code = std::move(a.code);
  }
  if (a.op == LaptopsView::Op::kRename) m_.Info(Fmt(Tr("laptops.renamed"), {a.name}));
  if (a.op == LaptopsView::Op::kRevoke) m_.Info(Fmt(Tr("laptops.revoked_done"), {a.name}));
}

}  // namespace gocua::app
