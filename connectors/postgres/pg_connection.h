// A libpq connection (regular or logical replication) with errors that name the server, and the
// checks the connector runs at validation: reachability, credentials, database, wal_level, the
// REPLICATION attribute, and whether the replication slot is busy.
//
// Threading: a Connection belongs to one thread at a time (its owner), which alone calls exec(),
// raw() and error() and destroys it. Any other thread may call cancel() while the Connection
// lives, to interrupt the statement the owner is blocked in: a stopping task must not wait for a
// snapshot's SELECT or a CREATE_REPLICATION_SLOT waiting for running transactions to end.
#pragma once

#include <libpq-fe.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "tributary/config.h"

namespace tributary::pg {

/// Connection settings from the connector's database.* keys.
struct ConnectionSettings {
  std::string host;
  int port = 5432;
  std::string user;
  std::string password;
  std::string dbname;
  std::string sslmode = "prefer";
  std::string sslcert, sslkey, sslpassword, sslrootcert;  // libpq's, when set
  bool keepalives = true;
  int connect_timeout_s = 10;

  static ConnectionSettings from(const ConfigMap& props);
  std::string where() const;  // "host:port/dbname"
};

/// A statement the server refused, with its SQLSTATE ("55006": object in use, e.g. a replication
/// slot another session streams from; "57014": canceled).
struct DbError : std::runtime_error {
  DbError(const std::string& message, std::string sqlstate)
      : std::runtime_error(message), sqlstate(std::move(sqlstate)) {}
  std::string sqlstate;
};

/// Which connector key a connection failure is about.
struct ConnectError : std::runtime_error {
  ConnectError(std::string key, const std::string& message)
      : std::runtime_error(message), key(std::move(key)) {}
  std::string key;
};

class Result {
 public:
  explicit Result(PGresult* r) : r_(r, &PQclear) {}
  int rows() const { return PQntuples(r_.get()); }
  int columns() const { return PQnfields(r_.get()); }
  bool is_null(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  std::string get(int row, int col) const {
    return std::string(PQgetvalue(r_.get(), row, col),
                       static_cast<size_t>(PQgetlength(r_.get(), row, col)));
  }
  PGresult* raw() const { return r_.get(); }

 private:
  std::unique_ptr<PGresult, decltype(&PQclear)> r_;
};

class Connection {
 public:
  /// Connects; throws ConnectError naming the key at fault (host, password, user, dbname).
  /// `replication`: a walsender connection for the replication protocol (replication=database).
  Connection(const ConnectionSettings& s, bool replication,
             const std::string& application_name = "tributary");
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  /// Runs SQL (or a replication command); throws DbError with the server's message. cancel()
  /// interrupts it (DbError, SQLSTATE 57014 "canceling statement due to user request").
  Result exec(const std::string& sql);
  /// exec() with text parameters $1, $2, ...
  Result exec(const std::string& sql, const std::vector<std::optional<std::string>>& params);
  PGconn* raw() const { return c_.get(); }
  std::string error() const;
  const ConnectionSettings& settings() const { return settings_; }

  /// Any thread: asks the server to cancel what the owner is blocked in — exec(), or a call on
  /// raw() marked with a Blocking. Does nothing when no such call is under way, so that it never
  /// ends a replication stream between polls nor a statement the owner starts later. Blocks for
  /// the cancel request's own connection to the server (PQcancel: a new TCP connection, so on a
  /// black-holed host up to the kernel's connect timeout); a thread that must not wait calls it
  /// from a thread of its own. Returns whether a request was sent; when sending failed, false
  /// and the reason in `error`. The server may still finish the statement: the request is a
  /// hint, racing with its completion; one that arrives when the backend is idle is ignored.
  bool cancel(std::string* error = nullptr);

  /// Marks a blocking call the owner makes through raw() (reading a COPY, START_REPLICATION) as
  /// one cancel() interrupts, for the guard's lifetime.
  class Blocking {
   public:
    explicit Blocking(Connection& c) : c_(c) { c_.blocking_.fetch_add(1); }
    ~Blocking() { c_.blocking_.fetch_sub(1); }
    Blocking(const Blocking&) = delete;
    Blocking& operator=(const Blocking&) = delete;

   private:
    Connection& c_;
  };

 private:
  Result check(PGresult* r, const std::string& sql);

  ConnectionSettings settings_;
  std::unique_ptr<PGconn, decltype(&PQfinish)> c_;
  // The cancel request (server address and the backend's key; PQgetCancel), made once connected
  // and used by other threads: guarded by cancel_mu_, freed by the destructor under it.
  std::mutex cancel_mu_;
  PGcancel* cancel_ = nullptr;
  std::atomic<int> blocking_{0};  // calls of the owner under way that cancel() interrupts
};

/// application_name of a task's replication connection for `slot` (seen in pg_stat_activity).
std::string stream_application_name(const std::string& slot);

/// The connector's validation against the server: per-key error messages, empty when it can
/// stream (server reachable, credentials good, wal_level=logical, user with REPLICATION or
/// superuser, slot not active in another session).
std::map<std::string, std::vector<std::string>> check_server(const ConfigMap& props);

}  // namespace tributary::pg
