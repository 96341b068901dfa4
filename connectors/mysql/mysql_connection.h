// Connections to MySQL / MariaDB through MariaDB Connector/C (libmariadb): settings from the
// connector's keys, failures that name the key at fault (an unreachable host names
// database.hostname, a refused login database.password), queries returning text rows, and
// check_server(): what PUT .../config/validate reports about the server before a task starts
// (binlog on, ROW format, FULL row image, the grants change data capture needs, a server id of
// its own).
//
// Threading: a Connection belongs to the thread that made it; interrupt() may be called from any
// other thread while that thread is blocked in a call (it shuts the socket down, so the call
// returns with an error at once). Every call has a deadline: connect.timeout.ms to connect, and
// the read timeout given at construction for each answer.
#pragma once

#include <mysql.h>

#include <atomic>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "tributary/config.h"

namespace tributary::mysql {

struct ConnectionSettings {
  std::string host;
  int port = 3306;
  std::string user;
  std::string password;
  std::string ssl_mode = "preferred";  // disabled, preferred, required, verify_ca, verify_identity
  int connect_timeout_ms = 30000;
  /// From database.hostname, .port, .user, .password, .ssl.mode and connect.timeout.ms; throws
  /// ConfigError naming a key whose value is not usable.
  static ConnectionSettings from(const ConfigMap& props);
  std::string where() const { return host + ":" + std::to_string(port); }
};

/// Connecting failed; `key` is the config key to fix.
struct ConnectError : std::runtime_error {
  ConnectError(std::string key, unsigned code, const std::string& message)
      : std::runtime_error(message), key(std::move(key)), code(code) {}
  std::string key;
  unsigned code;
};

/// A statement failed (server error `code`, or a client error such as a lost connection).
struct SqlError : std::runtime_error {
  SqlError(unsigned code, const std::string& message) : std::runtime_error(message), code(code) {}
  unsigned code;
};

class Connection {
 public:
  /// Connects; `read_timeout_s` bounds each answer (0: the library's default, none).
  explicit Connection(const ConnectionSettings& s, unsigned read_timeout_s = 60);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  struct Rows {
    std::vector<std::string> columns;
    std::vector<std::vector<std::optional<std::string>>> rows;
  };
  /// Runs `sql` and returns its rows as text (NULL as nullopt). Throws SqlError.
  Rows query(const std::string& sql);
  void exec(const std::string& sql);
  /// `text` as a quoted SQL string literal (mysql_real_escape_string).
  std::string literal(const std::string& text);
  /// A global variable's value (SHOW GLOBAL VARIABLES LIKE 'name'), or nullopt when unknown.
  std::optional<std::string> global_variable(const std::string& name);
  /// Shuts the socket down: a call blocked in another thread returns with an error at once.
  void interrupt();
  MYSQL* raw() { return mysql_; }
  const ConnectionSettings& settings() const { return settings_; }

 private:
  [[noreturn]] void fail(const std::string& what);
  ConnectionSettings settings_;
  MYSQL* mysql_ = nullptr;
  std::atomic<int> fd_{-1};
};

/// The privileges on *.* that SHOW GRANTS lists for the current user (upper case, MariaDB's
/// names: REPLICATION CLIENT is listed as BINLOG MONITOR since 10.5), with ALL PRIVILEGES
/// standing for every one. Pure: `grants` are SHOW GRANTS' lines (never echoed, they may hold a
/// password hash).
std::vector<std::string> global_privileges(const std::vector<std::string>& grants);

/// What validation reports about the server, by key: unreachable host or refused login, binlog
/// off, binlog_format not ROW, binlog_row_image not FULL, missing grants (REPLICATION SLAVE,
/// REPLICATION CLIENT, SELECT, RELOAD), database.server.id equal to the server's own.
std::map<std::string, std::vector<std::string>> check_server(const ConfigMap& props);

}  // namespace tributary::mysql
