#include "sync/hub/cli.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "platform/clock.h"
#include "storage/core/private_files.h"
#include "sync/hub/admin.h"
#include "sync/hub/api.h"
#include "sync/hub/args.h"
#include "sync/hub/console/accounts.h"
#include "sync/hub/console/console.h"
#include "sync/hub/http_server.h"
#include "sync/hub/migrate.h"
#include "sync/hub/serve_limits.h"
#include "platform/shutdown_signal.h"
#include "sync/hub/store/postgresql/pg_hub_store.h"
#include "sync/hub/store/sqlite/sqlite_hub_store.h"
#include "sync/protocol/protocol.h"

namespace gocua::hub {
namespace {

constexpr int kExitOk = 0, kExitFailed = 1, kExitUsage = 2;

struct Command {
  std::vector<std::string> name;        // "commune", "create"
  std::string usage;                    // after "gocua-hub "
  std::string help;                     // what it does, and its options
  std::vector<std::string> options;     // the options and flags it takes, besides --data/--help
  size_t min_words = 0, max_words = 0;  // words after the command's name
  // Runs the command on an open store; `words` are those after its name.
  std::function<int(HubStore&, const Args&, const std::vector<std::string>&, AdminIo&)> run;
};

const std::vector<Command>& Commands() {
  static const std::vector<Command> kCommands = {
      {{"serve"},
       "serve --data DIR --listen HOST:PORT [--tls-cert FILE --tls-key FILE] [--insecure-http]",
       "Serves the sync API (docs/sync-protocol.md) from DIR/hub.db until SIGTERM or SIGINT.\n"
       "Prints \"listening on http(s)://HOST:PORT\" once bound (port 0: a free port).\n"
       "Logs one line per request on stderr. --tls-cert/--tls-key (PEM) serve HTTPS only.\n"
       "Plain HTTP on a HOST other than loopback needs --insecure-http.\n"
       "--protocol-versions 1 (a comma-separated list) speaks only those protocol versions,\n"
       "as an older hub would: for testing apps against one. Default: every version it knows.\n"
       "Slow clients: --max-connections 4096, --max-connections-per-address 64,\n"
       "--header-timeout 10 (s), --keepalive-timeout 15 (s), --min-body-rate 1024 (bytes/s),\n"
       "--workers 8 (docs/architecture.md, \"Hub HTTP front\").\n"
       "Behind nginx: --trusted-proxy 127.0.0.1 (comma-separated addresses) believes\n"
       "X-Real-IP/X-Forwarded-For from those peers only (docs/deploy.md).\n"
       "On PostgreSQL: --pg-connections N (default: --workers) connections, one per request\n"
       "in progress, so a slow push never holds up the others.",
       {"--listen", "--tls-cert", "--tls-key", "--insecure-http", "--protocol-versions",
        "--max-connections", "--max-connections-per-address", "--header-timeout",
        "--keepalive-timeout", "--min-body-rate", "--workers", "--trusted-proxy",
        "--pg-connections"},
       0,
       0,
       nullptr},
      {{"commune", "create"},
       "commune create --data DIR --province P --commune C [--json]",
       "Creates commune C in province P (or finds it) and prints its id.",
       {"--province", "--commune", "--json"},
       0,
       0,
       [](HubStore& s, const Args& a, const std::vector<std::string>&, AdminIo& io) {
         return CommuneCreate(s, a, io);
       }},
      {{"commune", "list"},
       "commune list --data DIR [--json]",
       "Lists the communes: id and name.",
       {"--json"},
       0,
       0,
       [](HubStore& s, const Args& a, const std::vector<std::string>&, AdminIo& io) {
         return CommuneList(s, a, io);
       }},
      {{"village", "add"},
       "village add --data DIR --commune ID NAME [--json]",
       "Adds a village to commune ID and prints its id. The words of NAME are joined.",
       {"--commune", "--json"},
       1,
       100,
       [](HubStore& s, const Args& a, const std::vector<std::string>& w, AdminIo& io) {
         return VillageAdd(s, a, w, io);
       }},
      {{"member", "add"},
       "member add --data DIR --commune ID --name N --role member|leader --pin PIN [--json]",
       "Adds a member (or a leader) to commune ID and prints the member's id.",
       {"--commune", "--name", "--role", "--pin", "--json"},
       0,
       0,
       [](HubStore& s, const Args& a, const std::vector<std::string>&, AdminIo& io) {
         return MemberAdd(s, a, io);
       }},
      {{"enroll-code"},
       "enroll-code --data DIR --commune ID [--role member|leader] [--ttl-minutes 60] [--json]",
       "Makes a one-time code that enrolls one device into commune ID, valid for the given\n"
       "minutes (fractions allowed: 0.5 is 30 seconds), and prints it. The hub keeps only its\n"
       "hash: write it down now. --role leader (default member) makes the device a leader's:\n"
       "only such a device may decide reviews, approve or return visits, resolve conflicts,\n"
       "add members, change roles or set another member's PIN (docs/security.md).",
       {"--commune", "--role", "--ttl-minutes", "--json"},
       0,
       0,
       [](HubStore& s, const Args& a, const std::vector<std::string>&, AdminIo& io) {
         return EnrollCode(s, a, io);
       }},
      {{"devices"},
       "devices --data DIR [--json]",
       "Lists the enrolled devices: id, state (active, revoked, or replaced by the id a laptop\n"
       "took with reset-device), role, commune, times, acknowledged seq, name.",
       {"--json"},
       0,
       0,
       [](HubStore& s, const Args&, const std::vector<std::string>&, AdminIo& io) {
         return DeviceList(s, io);
       }},
      {{"revoke"},
       "revoke --data DIR DEVICE_ID [--json]",
       "Revokes a device's token: its requests get 401 from now on. Enroll it again with a\n"
       "new code to let it sync.",
       {"--json"},
       1,
       1,
       [](HubStore& s, const Args&, const std::vector<std::string>& w, AdminIo& io) {
         return Revoke(s, w[0], io);
       }},
      {{"device-role"},
       "device-role --data DIR DEVICE_ID member|leader [--json]",
       "Sets what an enrolled device may do: a leader's laptop enrolled before codes had roles\n"
       "(hub schema 7) is a member's until set here; a laptop handed to a member goes back.",
       {"--json"},
       2,
       2,
       [](HubStore& s, const Args&, const std::vector<std::string>& w, AdminIo& io) {
         return DeviceRole(s, w[0], w[1], io);
       }},
      {{"quarantine"},
       "quarantine --data DIR [--json]",
       "Lists the quarantined ops (invalid or not allowed), with who sent them and why.",
       {"--json"},
       0,
       0,
       [](HubStore& s, const Args&, const std::vector<std::string>&, AdminIo& io) {
         return QuarantineList(s, io);
       }},
      {{"conflicts"},
       "conflicts --data DIR [--json]",
       "Lists the conflict records (concurrent edits of one field) for leaders to review.",
       {"--json"},
       0,
       0,
       [](HubStore& s, const Args&, const std::vector<std::string>&, AdminIo& io) {
         return ConflictList(s, io);
       }},
      {{"admin", "add"},
       "admin add --data DIR NAME",
       "Makes an account NAME for the web console (https://HOST:PORT/console/). The password\n"
       "is asked twice on the terminal without echo (or read from stdin's first line when it\n"
       "is not a terminal), at least 10 characters; only its PBKDF2 hash is kept.",
       {},
       1,
       1,
       [](HubStore& s, const Args&, const std::vector<std::string>& w, AdminIo& io) {
         auto password = console::ReadNewPassword(io.err);
         Status st = password ? console::AddAdmin(s, w[0], *password) : password.error();
         if (!st) {
           std::fprintf(io.err, "gocua-hub: %s\n", st.message().c_str());
           return kExitFailed;
         }
         std::fprintf(io.out, "Đã tạo tài khoản %s — account %s added\n", w[0].c_str(),
                      w[0].c_str());
         return kExitOk;
       }},
      {{"export"},
       "export --data DIR [--format json]",
       "Prints every record the hub holds as canonical JSON (the same bytes as a device with\n"
       "the same records would print).",
       {"--format"},
       0,
       0,
       [](HubStore& s, const Args& a, const std::vector<std::string>&, AdminIo& io) {
         return Export(s, a, io);
       }},
  };
  return kCommands;
}

void PrintHelp(std::FILE* out) {
  std::fprintf(out, "gocua-hub — the Gõ Cửa sync hub and its administration.\n\nUsage:\n");
  for (const Command& c : Commands()) std::fprintf(out, "  gocua-hub %s\n", c.usage.c_str());
  std::fprintf(out,
               "  gocua-hub migrate --from DIR --to postgresql://USER@HOST:PORT/DB\n"
               "      copies a stopped SQLite hub into an empty PostgreSQL database, in one\n"
               "      transaction; laptops keep syncing without enrolling again.\n");
  std::fprintf(out,
               "\nEvery command takes --data DIR (the hub's folder; its database is DIR/hub.db)\n"
               "or --store postgresql://USER@HOST:PORT/DB (a PostgreSQL database, which several\n"
               "hubs may serve at once), and --help. Exit codes: 0 done, 1 failed, 2 usage error.\n");
}

void PrintCommandHelp(const Command& c, std::FILE* out) {
  std::fprintf(out, "Usage: gocua-hub %s\n\n%s\n", c.usage.c_str(), c.help.c_str());
}

// The command `words` start with, or nullptr.
const Command* FindCommand(const std::vector<std::string>& words) {
  for (const Command& c : Commands()) {
    if (words.size() < c.name.size()) continue;
    bool match = true;
    for (size_t i = 0; i < c.name.size(); ++i) match = match && words[i] == c.name[i];
    if (match) return &c;
  }
  return nullptr;
}

int UsageError(const std::string& message) {
  std::fprintf(stderr, "gocua-hub: %s\n", message.c_str());
  return kExitUsage;
}

// 127.0.0.0/8, ::1 and localhost: reachable from this machine only.
bool IsLoopback(const std::string& host) {
  if (host == "localhost" || host == "::1") return true;
  return host.rfind("127.", 0) == 0 && host.find_first_not_of("0123456789.") == std::string::npos;
}

// "HOST:PORT" or "[V6]:PORT" → host (no brackets) and port (0..65535).
bool ParseListen(const std::string& text, std::string* host, int* port) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return false;
  std::string h = text.substr(0, colon);
  const std::string p = text.substr(colon + 1);
  if (p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos) return false;
  const int n = std::stoi(p);
  if (n > 65535) return false;
  if (h.front() == '[') {
    if (h.size() < 3 || h.back() != ']') return false;
    h = h.substr(1, h.size() - 2);
  } else if (h.find(':') != std::string::npos) {
    return false;  // a bare IPv6 address: the port would be ambiguous
  }
  *host = h;
  *port = n;
  return true;
}

// The store that --store (a PostgreSQL database) or --data (a folder with hub.db) names; on
// PostgreSQL with up to `connections` connections (calls side by side).
Result<std::unique_ptr<HubStore>> OpenStore(const Args& args, const Clock& clock,
                                            int connections = 1) {
  if (const std::string store = args.Get("--store"); !store.empty())
    return OpenPostgresHubStore(store, clock, connections);
  const std::string dir = args.Get("--data");
  if (Status made = MakePrivateDir(dir); !made) return made;  // 0700, tightened if older
  return OpenSqliteHubStore((std::filesystem::path(dir) / "hub.db").string(), clock);
}

// "1,2" → {1, 2}: each a version this build speaks, at least one.
Result<std::vector<int>> ParseVersions(const std::string& list) {
  std::vector<int> out;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    const std::string item = list.substr(start, comma - start);
    int v = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size() ||
        !protocol::IsSupportedVersion(v))
      return InvalidInput(
          "--protocol-versions takes versions this hub speaks (1 or 2, comma-"
          "separated), not " +
          list);
    out.push_back(v);
    start = comma + 1;
  }
  return out;
}

// --pg-connections: 1..256, `workers` when not given (one per request in progress).
Result<int> PgConnections(const Args& args, int workers) {
  const std::string text = args.Get("--pg-connections");
  if (text.empty()) return workers;
  int n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 1 || n > 256)
    return InvalidInput("--pg-connections takes a whole number from 1 to 256, not " + text);
  return n;
}

int Serve(const Args& args) {
  std::string host;
  int port = 0;
  const std::string listen = args.Get("--listen");
  if (listen.empty()) return UsageError("serve needs --listen HOST:PORT, e.g. 127.0.0.1:8080");
  if (!ParseListen(listen, &host, &port))
    return UsageError("--listen takes HOST:PORT (or [IPv6]:PORT), not " + listen);
  TlsFiles tls{args.Get("--tls-cert"), args.Get("--tls-key")};
  if (tls.cert_path.empty() != tls.key_path.empty())
    return UsageError("--tls-cert and --tls-key go together: the certificate and its key");
  if (!IsLoopback(host) && !tls.enabled() && !args.Has("--insecure-http"))
    return UsageError(
        "refusing to listen on " + host +
        " with plain HTTP: tokens and records would cross the network readable by anyone on "
        "it. Give --tls-cert FILE --tls-key FILE, or add --insecure-http on a network you trust");

  auto limits = ServeLimits(args);
  if (!limits) return UsageError(limits.error().message());
  auto connections = PgConnections(args, limits->workers);
  if (!connections) return UsageError(connections.error().message());
  SystemClock clock;
  auto store = OpenStore(args, clock, *connections);
  if (!store) {
    std::fprintf(stderr, "gocua-hub: %s\n", store.error().message().c_str());
    return kExitFailed;
  }
  HubApi api(**store, clock, stderr);
  if (const std::string list = args.Get("--protocol-versions"); !list.empty()) {
    auto versions = ParseVersions(list);
    if (!versions) return UsageError(versions.error().message());
    api.SpeakOnly(std::move(versions).value());
  }
  HttpServer server(api, stderr, tls, *limits);
  // The web console on a connection of its own (its sessions live in the database).
  auto console_store = OpenStore(args, clock);
  if (!console_store) {
    std::fprintf(stderr, "gocua-hub: %s\n", console_store.error().message().c_str());
    return kExitFailed;
  }
  console::Console web_console(**console_store, clock, tls.enabled());
  server.SetConsole(&web_console);
  Result<int> bound = server.Bind(host, port);
  if (!bound) {
    std::fprintf(stderr, "gocua-hub: %s\n", bound.error().message().c_str());
    return kExitFailed;
  }
  auto signals = ShutdownSignal::Install([&server] { server.Stop(); });
  if (!signals) {
    std::fprintf(stderr, "gocua-hub: %s\n", signals.error().message().c_str());
    return kExitFailed;
  }
  const std::string shown = host.find(':') == std::string::npos ? host : "[" + host + "]";
  std::fprintf(stdout, "listening on %s://%s:%d\n", tls.enabled() ? "https" : "http", shown.c_str(),
               *bound);
  std::fflush(stdout);
  const Status served = server.Serve();
  signals->reset();
  if (!served) {
    std::fprintf(stderr, "gocua-hub: %s\n", served.message().c_str());
    return kExitFailed;
  }
  std::fprintf(stderr, "gocua-hub: stopped\n");
  return kExitOk;
}

}  // namespace

int Main(int argc, const char* const* argv) {
  Result<Args> parsed = ParseArgs(argc, argv);
  if (!parsed) return UsageError(parsed.error().message());
  const Args& args = *parsed;
  if (args.words.empty()) {
    if (args.Has("--help")) {
      PrintHelp(stdout);
      return kExitOk;
    }
    PrintHelp(stderr);
    return kExitUsage;
  }
  if (args.words == std::vector<std::string>{"migrate"}) {
    if (!args.Has("--help"))
      return Migrate(args, stdout, stderr);  // migrate.h: two stores, neither --data nor --store
    std::fprintf(stdout,
                 "Usage: gocua-hub migrate --from DIR --to postgresql://USER@HOST:PORT/DB\n\n"
                 "Copies the stopped SQLite hub in DIR (DIR/hub.db) into an empty PostgreSQL\n"
                 "database, in one transaction: log, devices, tokens, cursors, quarantine,\n"
                 "conflicts and the console's accounts. Laptops keep syncing without enrolling\n"
                 "again. A database that already holds a hub is refused.\n");
    return kExitOk;
  }
  const Command* command = FindCommand(args.words);
  if (!command) {
    PrintHelp(stderr);
    return UsageError("unknown command " + args.words[0]);
  }
  if (args.Has("--help")) {
    PrintCommandHelp(*command, stdout);
    return kExitOk;
  }
  for (const auto& [option, value] : args.options) {
    bool known = option == "--data" || option == "--store";
    for (const std::string& o : command->options) known = known || o == option;
    if (!known) return UsageError(option + " is not an option of this command; see --help");
  }
  for (const std::string& flag : args.flags) {
    bool known = false;
    for (const std::string& o : command->options) known = known || o == flag;
    if (!known) return UsageError(flag + " is not an option of this command; see --help");
  }
  const std::vector<std::string> words(args.words.begin() + command->name.size(), args.words.end());
  if (words.size() < command->min_words || words.size() > command->max_words) {
    PrintCommandHelp(*command, stderr);
    return UsageError("wrong number of arguments");
  }
  const std::string store_uri = args.Get("--store");
  if (store_uri.empty() == args.Get("--data").empty())
    return UsageError(
        "give --data DIR (a hub on SQLite) or --store postgresql://USER@HOST:PORT/DB, one of "
        "them; see --help");
  if (!store_uri.empty() && !IsPostgresUri(store_uri))
    return UsageError("--store takes postgresql://USER@HOST:PORT/DB, not " + store_uri);

  if (!command->run) return Serve(args);
  SystemClock clock;
  auto store = OpenStore(args, clock);
  if (!store) {
    std::fprintf(stderr, "gocua-hub: %s\n", store.error().message().c_str());
    return kExitFailed;
  }
  AdminIo io{stdout, stderr, args.Has("--json")};
  const int rc = command->run(**store, args, words, io);
  std::fflush(stdout);
  return rc;
}

}  // namespace gocua::hub
