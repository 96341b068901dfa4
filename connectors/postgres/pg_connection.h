// A libpq connection (regular or logical replication) with errors that name the server, and the
// checks the connector runs at validation: reachability, credentials, database, wal_level, the
// REPLICATION attribute, and whether the replication slot is busy.
#pragma once

#include <libpq-fe.h>

#include <map>
#include <memory>
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
  bool keepalives = true;
  int connect_timeout_s = 10;

  static ConnectionSettings from(const ConfigMap& props);
  std::string where() const;  // "host:port/dbname"
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

  /// Runs SQL (or a replication command); throws std::runtime_error with the server's message.
  Result exec(const std::string& sql);
  /// exec() with text parameters $1, $2, ...
  Result exec(const std::string& sql, const std::vector<std::optional<std::string>>& params);
  PGconn* raw() const { return c_.get(); }
  std::string error() const;
  const ConnectionSettings& settings() const { return settings_; }

 private:
  ConnectionSettings settings_;
  std::unique_ptr<PGconn, decltype(&PQfinish)> c_;
};

/// The connector's validation against the server: per-key error messages, empty when it can
/// stream (server reachable, credentials good, wal_level=logical, user with REPLICATION or
/// superuser, slot not active in another session).
std::map<std::string, std::vector<std::string>> check_server(const ConfigMap& props);

}  // namespace tributary::pg
