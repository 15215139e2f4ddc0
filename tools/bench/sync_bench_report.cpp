#include "tools/bench/sync_bench_report.h"

#include "tools/bench/table.h"

namespace gocua::bench {
namespace {

const char* Verdict(bool met, bool quick) {
  if (quick) return met ? "met (quick run)" : "missed (quick run)";
  return met ? "met" : "MISSED";
}

std::string Seconds(double s) { return Grouped(s, s < 10 ? 2 : 1) + " s"; }

std::string Rate(double n, double s, const char* unit) {
  return Grouped(s > 0 ? n / s : 0) + " " + unit + "/s";
}

double Per(int64_t bytes, double n) { return n > 0 ? static_cast<double>(bytes) / n : 0; }

// "1 healthz, 58 push".
std::string Requests(const std::map<std::string, WireTally>& wire) {
  std::string out;
  for (const char* kind : {"healthz", "push", "pull"}) {
    auto it = wire.find(kind);
    if (it == wire.end()) continue;
    out +=
        (out.empty() ? "" : ", ") + Grouped(static_cast<double>(it->second.requests)) + " " + kind;
    if (it->second.failed > 0)
      out += " (" + Grouped(static_cast<double>(it->second.failed)) + " failed)";
  }
  return out;
}

std::string Seconds3(double http_s, double client_s, double hub_s) {
  return Seconds(http_s) + " / " + Seconds(client_s) + " / " + Seconds(hub_s);
}

}  // namespace

std::string RenderSyncReport(const SyncBenchConfig& config, const SyncResults& r) {
  TextTable t({"Measure", "Result", "Target", "Verdict"});
  const bool quick = config.quick;

  if (const EndToEndResults& e = r.e2e; e.visits > 0) {
    const double visits = static_cast<double>(e.visits), ops = static_cast<double>(e.ops);
    t.AddSection("End to end: " + Grouped(visits) + " visits (" + Grouped(ops) +
                 " ops) from client A to the hub, then into client B; households and persons");
    t.AddSection("pushed and pulled before (" + Grouped(static_cast<double>(e.households)) +
                 " households, " + Grouped(static_cast<double>(e.persons)) + " persons, untimed)");
    const WireTally a_push = Sum(e.push.wire, {"healthz", "push"});
    t.AddRow({"  push: A's Sync until its pull starts",
              Seconds(e.push.push_s) + " (" + Rate(visits, e.push.push_s, "visits") + ", " +
                  Rate(ops, e.push.push_s, "ops") + ")"});
    t.AddRow({"    requests", Requests(e.push.wire)});
    t.AddRow({"    in HTTP exchanges / client CPU / hub CPU",
              Seconds3(std::chrono::duration<double>(a_push.waiting).count(),
                       e.push.client_cpu_push_s, e.push.hub_cpu_push_s)});
    t.AddRow({"  pull: B's whole Sync (healthz, pull)",
              Seconds(e.pull.wall_s) + " (" + Rate(visits, e.pull.wall_s, "visits") + ", " +
                  Rate(ops, e.pull.wall_s, "ops") + ")"});
    t.AddRow({"    requests", Requests(e.pull.wire)});
    t.AddRow({"    in HTTP exchanges / client CPU / hub CPU",
              Seconds3(std::chrono::duration<double>(Sum(e.pull.wire).waiting).count(),
                       e.pull.client_cpu_push_s + e.pull.client_cpu_pull_s,
                       e.pull.hub_cpu_push_s + e.pull.hub_cpu_pull_s)});
    const double e2e_s = e.push.push_s + e.pull.wall_s;
    t.AddRow({"  end to end: push + pull",
              Rate(visits, e2e_s, "visits") + " (" + Seconds(e2e_s) + ")",
              ">= " + Grouped(kEndToEndTargetVisitsPerSecond) + " visits/s",
              Verdict(visits / e2e_s >= kEndToEndTargetVisitsPerSecond, quick)});
    t.AddRow({"  A's pull of its own ops back (not counted)",
              Seconds(e.push.pull_s) + ", " +
                  Grouped(static_cast<double>(Sum(e.push.wire, {"pull"}).requests)) +
                  " pull requests"});
    t.AddRow({"  setup: Visits::Save on A, one transaction each",
              Rate(visits, e.save_s, "visits") + " (" + Seconds(e.save_s) + ")"});

    t.AddSection("Bytes on the wire per visit: HTTP bodies (headers not counted), " +
                 Grouped(ops / visits, 1) + " ops per visit");
    const WireTally push = Sum(e.push.wire, {"push"});
    const WireTally pull = Sum(e.pull.wire, {"pull"});
    const double push_sent = Per(push.request_sent + push.reply_sent, visits);
    const double pull_sent = Per(pull.request_sent + pull.reply_sent, visits);
    t.AddRow({"  push (request + reply), gzip as sent",
              Bytes(push_sent) + " (JSON " +
                  Bytes(Per(push.request_json + push.reply_json, visits)) + ")",
              "<= " + Bytes(kWireTargetBytesPerVisit),
              Verdict(push_sent <= kWireTargetBytesPerVisit, quick)});
    t.AddRow({"    request / reply, gzip",
              Bytes(Per(push.request_sent, visits)) + " / " + Bytes(Per(push.reply_sent, visits))});
    t.AddRow({"    request / reply, JSON",
              Bytes(Per(push.request_json, visits)) + " / " + Bytes(Per(push.reply_json, visits))});
    t.AddRow({"  pull (reply + request), gzip as sent",
              Bytes(pull_sent) + " (JSON " +
                  Bytes(Per(pull.request_json + pull.reply_json, visits)) + ")",
              "<= " + Bytes(kWireTargetBytesPerVisit),
              Verdict(pull_sent <= kWireTargetBytesPerVisit, quick)});
    t.AddRow({"  per op pushed, request gzip / JSON",
              Bytes(Per(push.request_sent, ops)) + " / " + Bytes(Per(push.request_json, ops))});
  }

  if (const IngestResults& g = r.ingest; g.clients > 0) {
    const double ops = static_cast<double>(g.ops);
    t.AddSection("Hub ingest: " + std::to_string(g.clients) +
                 " clients push at once, each with its own database, transport and engine");
    t.AddRow({"  ops/s at the hub, until the last push ended",
              Rate(ops, g.wall_s, "ops") + " (" + Grouped(ops) + " ops, " + Seconds(g.wall_s) + ")",
              ">= " + Grouped(kIngestTargetOpsPerSecond) + " ops/s",
              Verdict(ops / g.wall_s >= kIngestTargetOpsPerSecond, quick)});
    t.AddRow({"    first client done", Seconds(g.first_done_s)});
    t.AddRow({"    push requests, ops per request",
              Grouped(static_cast<double>(g.wire.requests)) + ", " +
                  Grouped(g.wire.requests > 0 ? ops / static_cast<double>(g.wire.requests) : 0)});
    t.AddRow({"    hub CPU / clients' CPU (all threads)",
              Seconds(g.hub_cpu_s) + " / " + Seconds(g.client_cpu_s)});
    t.AddRow({"    hub CPU per op", Grouped(g.hub_cpu_s * 1e6 / ops, 1) + " µs"});
  }
  return t.Render();
}

}  // namespace gocua::bench
