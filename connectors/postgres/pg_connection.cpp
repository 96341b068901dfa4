#include "pg_connection.h"

namespace tributary::pg {
namespace {

std::string get(const ConfigMap& m, const std::string& k, const std::string& def = "") {
  auto it = m.find(k);
  return it == m.end() ? def : it->second;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

bool contains(const std::string& s, const char* what) {
  return s.find(what) != std::string::npos;
}

}  // namespace

ConnectionSettings ConnectionSettings::from(const ConfigMap& props) {
  ConnectionSettings s;
  s.host = get(props, "database.hostname");
  s.port = std::stoi(get(props, "database.port", "5432"));
  s.user = get(props, "database.user");
  s.password = get(props, "database.password");
  s.dbname = get(props, "database.dbname");
  s.sslmode = get(props, "database.sslmode", "prefer");
  s.sslcert = get(props, "database.sslcert");
  s.sslkey = get(props, "database.sslkey");
  s.sslpassword = get(props, "database.sslpassword");
  s.sslrootcert = get(props, "database.sslrootcert");
  s.keepalives = get(props, "database.tcpKeepAlive", "true") != "false";
  return s;
}

std::string ConnectionSettings::where() const {
  return host + ":" + std::to_string(port) + "/" + dbname;
}

Connection::Connection(const ConnectionSettings& s, bool replication,
                       const std::string& application_name)
    : settings_(s), c_(nullptr, &PQfinish) {
  const std::string port = std::to_string(s.port);
  const std::string timeout = std::to_string(s.connect_timeout_s);
  std::vector<const char*> keys = {
      "host",      "port", "user", "dbname", "sslmode", "application_name", "connect_timeout",
      "keepalives"};
  std::vector<const char*> values = {s.host.c_str(),    port.c_str(),
                                     s.user.c_str(),    s.dbname.c_str(),
                                     s.sslmode.c_str(), application_name.c_str(),
                                     timeout.c_str(),   s.keepalives ? "1" : "0"};
  if (!s.password.empty()) {
    keys.push_back("password");
    values.push_back(s.password.c_str());
  }
  const std::pair<const char*, const std::string*> tls[] = {{"sslcert", &s.sslcert},
                                                            {"sslkey", &s.sslkey},
                                                            {"sslpassword", &s.sslpassword},
                                                            {"sslrootcert", &s.sslrootcert}};
  for (const auto& [key, value] : tls) {
    if (value->empty()) continue;
    keys.push_back(key);
    values.push_back(value->c_str());
  }
  // Text formats the decoders expect, whatever the server's or the role's settings.
  keys.push_back("options");
  values.push_back(
      "-c datestyle=ISO -c intervalstyle=postgres -c timezone=UTC -c extra_float_digits=1");
  if (replication) {
    keys.push_back("replication");
    values.push_back("database");
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  c_.reset(PQconnectdbParams(keys.data(), values.data(), 0));
  if (c_ && PQstatus(c_.get()) == CONNECTION_OK) {
    // Made now, while only this thread knows the connection: cancel() then only reads it.
    cancel_ = PQgetCancel(c_.get());
    return;
  }
  const std::string err = c_ ? trim(PQerrorMessage(c_.get())) : "out of memory";
  const std::string what = "Cannot connect to PostgreSQL at " + s.where() + " as " + s.user +
                           (replication ? " (replication connection)" : "") + ": " + err;
  if (contains(err, "password authentication failed") || contains(err, "no password supplied") ||
      contains(err, "password is required"))
    throw ConnectError("database.password", what);
  if (contains(err, "database \"") && contains(err, "does not exist"))
    throw ConnectError("database.dbname", what);
  if (contains(err, "role \"") && contains(err, "does not exist"))
    throw ConnectError("database.user", what);
  if (contains(err, "no pg_hba.conf entry") && replication)
    throw ConnectError("database.user",
                       what + " (pg_hba.conf must allow replication connections for this user)");
  if (contains(err, "must have replication") || contains(err, "must be superuser or replication"))
    throw ConnectError("database.user", what);
  throw ConnectError("database.hostname", what);
}

Connection::~Connection() {
  // A cancel() of another thread finishes before the request is freed (the mutex); c_ closes
  // after this body.
  std::lock_guard lk(cancel_mu_);
  if (cancel_ != nullptr) PQfreeCancel(cancel_);
  cancel_ = nullptr;
}

std::string Connection::error() const {
  return trim(PQerrorMessage(c_.get()));
}

bool Connection::cancel(std::string* error) {
  std::lock_guard lk(cancel_mu_);
  if (cancel_ == nullptr || blocking_.load() == 0) return false;
  // PQcancel is documented safe to call from another thread than the connection's (it uses only
  // the PGcancel); 256 bytes is what libpq's documentation recommends for its message.
  char buf[256] = {0};
  if (PQcancel(cancel_, buf, sizeof(buf)) == 1) return true;
  if (error != nullptr) *error = trim(buf);
  return false;
}

Result Connection::check(PGresult* raw, const std::string& sql) {
  Result r(raw);
  const auto st = PQresultStatus(r.raw());
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return r;
  const char* state = r.raw() != nullptr ? PQresultErrorField(r.raw(), PG_DIAG_SQLSTATE) : nullptr;
  throw DbError("PostgreSQL at " + settings_.where() + ": " + error() + " (in: " + sql + ")",
                state != nullptr ? state : "");
}

Result Connection::exec(const std::string& sql) {
  const Blocking busy(*this);
  return check(PQexec(c_.get(), sql.c_str()), sql);
}

Result Connection::exec(const std::string& sql,
                        const std::vector<std::optional<std::string>>& params) {
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  const Blocking busy(*this);
  return check(PQexecParams(c_.get(), sql.c_str(), static_cast<int>(values.size()), nullptr,
                            values.data(), nullptr, nullptr, 0),
               sql);
}

std::string stream_application_name(const std::string& slot) {
  return "tributary-" + slot + "-stream";
}

std::map<std::string, std::vector<std::string>> check_server(const ConfigMap& props) {
  std::map<std::string, std::vector<std::string>> errors;
  ConnectionSettings s;
  try {
    s = ConnectionSettings::from(props);
  } catch (const std::exception&) {
    errors["database.port"].push_back("Invalid value " + get(props, "database.port") +
                                      " for configuration database.port");
    return errors;
  }
  try {
    Connection c(s, false, "tributary-validate");
    const std::string wal = c.exec("show wal_level").get(0, 0);
    if (wal != "logical")
      errors["database.hostname"].push_back(
          "PostgreSQL at " + s.where() + " has wal_level=" + wal +
          "; change data capture needs wal_level=logical (set it in postgresql.conf and "
          "restart the server)");
    auto role =
        c.exec("select rolreplication or rolsuper from pg_roles where rolname = $1", {s.user});
    if (role.rows() == 1 && role.get(0, 0) != "t")
      errors["database.user"].push_back("User " + s.user +
                                        " lacks the REPLICATION attribute (ALTER ROLE " + s.user +
                                        " REPLICATION) needed to stream changes from " + s.where());
    const std::string slot = get(props, "slot.name", "debezium");
    // A slot held by a Tributary stream of that slot is this connector's own running task when
    // its config is being updated (PUT .../config on a running connector): the task that
    // replaces it waits for the slot (slot.max.retries), so only other holders are an error.
    auto active = c.exec(
        "select s.active_pid, coalesce(a.application_name, '') from pg_replication_slots s "
        "left join pg_stat_activity a on a.pid = s.active_pid "
        "where s.slot_name = $1 and s.active",
        {slot});
    if (active.rows() > 0 && active.get(0, 1) != stream_application_name(slot))
      errors["slot.name"].push_back("Replication slot '" + slot + "' on " + s.where() +
                                    " is active in another session (pid " + active.get(0, 0) +
                                    "); each connector needs a slot of its own");
  } catch (const ConnectError& e) {
    errors[e.key].push_back(e.what());
  } catch (const std::exception& e) {
    errors["database.hostname"].push_back(e.what());
  }
  return errors;
}

}  // namespace tributary::pg
