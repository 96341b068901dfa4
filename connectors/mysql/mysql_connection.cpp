#include "mysql_connection.h"

#include <errmsg.h>
#include <mysqld_error.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace tributary::mysql {
namespace {

std::string get(const ConfigMap& m, const std::string& k, const std::string& def = "") {
  auto it = m.find(k);
  return it == m.end() ? def : it->second;
}

int get_int(const ConfigMap& m, const std::string& key, int def, int min, int max) {
  const std::string text = get(m, key);
  if (text.empty()) return def;
  int v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < min || v > max)
    throw ConfigError(key, "Invalid value " + text + " for configuration " + key +
                               ": must be a number from " + std::to_string(min) + " to " +
                               std::to_string(max));
  return v;
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

}  // namespace

ConnectionSettings ConnectionSettings::from(const ConfigMap& props) {
  ConnectionSettings s;
  s.host = get(props, "database.hostname");
  s.port = get_int(props, "database.port", 3306, 1, 65535);
  s.user = get(props, "database.user");
  s.password = get(props, "database.password");
  s.ssl_mode = get(props, "database.ssl.mode", "preferred");
  s.connect_timeout_ms = get_int(props, "connect.timeout.ms", 30000, 1, 2147483647);
  return s;
}

Connection::Connection(const ConnectionSettings& s, unsigned read_timeout_s) : settings_(s) {
  mysql_ = mysql_init(nullptr);
  if (mysql_ == nullptr) throw std::bad_alloc();
  const unsigned connect_s =
      static_cast<unsigned>(std::max(1, (s.connect_timeout_ms + 999) / 1000));
  mysql_optionsv(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &connect_s);
  if (read_timeout_s > 0) {
    mysql_optionsv(mysql_, MYSQL_OPT_READ_TIMEOUT, &read_timeout_s);
    mysql_optionsv(mysql_, MYSQL_OPT_WRITE_TIMEOUT, &read_timeout_s);
  }
  mysql_optionsv(mysql_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  // database.ssl.mode: "preferred" takes TLS when the server offers it.
  const my_bool enforce =
      s.ssl_mode == "required" || s.ssl_mode == "verify_ca" || s.ssl_mode == "verify_identity";
  const my_bool verify = s.ssl_mode == "verify_ca" || s.ssl_mode == "verify_identity";
  if (s.ssl_mode != "disabled") mysql_optionsv(mysql_, MYSQL_OPT_SSL_ENFORCE, &enforce);
  mysql_optionsv(mysql_, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
  if (mysql_real_connect(mysql_, s.host.c_str(), s.user.c_str(), s.password.c_str(), nullptr,
                         static_cast<unsigned>(s.port), nullptr, CLIENT_MULTI_RESULTS) == nullptr) {
    const unsigned code = mysql_errno(mysql_);
    const std::string text = mysql_error(mysql_);
    mysql_close(mysql_);
    mysql_ = nullptr;
    std::string key = "database.hostname";
    if (code == ER_ACCESS_DENIED_ERROR || code == ER_DBACCESS_DENIED_ERROR)
      key = "database.password";
    else if (code == ER_HOST_NOT_PRIVILEGED)
      key = "database.user";
    throw ConnectError(key, code,
                       "Unable to connect to " + s.where() + " as " + s.user + ": " + text);
  }
  fd_ = static_cast<int>(mysql_get_socket(mysql_));
}

Connection::~Connection() {
  if (mysql_ != nullptr) mysql_close(mysql_);
}

void Connection::fail(const std::string& what) {
  throw SqlError(mysql_errno(mysql_),
                 what + " failed on " + settings_.where() + ": " + mysql_error(mysql_));
}

Connection::Rows Connection::query(const std::string& sql) {
  if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) fail(sql);
  Rows out;
  MYSQL_RES* res = mysql_store_result(mysql_);
  if (res == nullptr) {
    if (mysql_field_count(mysql_) != 0) fail(sql);
    return out;
  }
  const unsigned n = mysql_num_fields(res);
  MYSQL_FIELD* fields = mysql_fetch_fields(res);
  for (unsigned i = 0; i < n; ++i) out.columns.emplace_back(fields[i].name);
  while (MYSQL_ROW row = mysql_fetch_row(res)) {
    const unsigned long* lengths = mysql_fetch_lengths(res);
    std::vector<std::optional<std::string>> r(n);
    for (unsigned i = 0; i < n; ++i)
      if (row[i] != nullptr) r[i] = std::string(row[i], lengths[i]);
    out.rows.push_back(std::move(r));
  }
  mysql_free_result(res);
  // Further results of a CALL: read and dropped, so the connection stays usable.
  while (mysql_next_result(mysql_) == 0)
    if (MYSQL_RES* more = mysql_store_result(mysql_)) mysql_free_result(more);
  return out;
}

void Connection::exec(const std::string& sql) {
  query(sql);
}

std::optional<std::string> Connection::global_variable(const std::string& name) {
  const Rows r = query("SHOW GLOBAL VARIABLES LIKE '" + name + "'");
  if (r.rows.empty() || r.rows[0].size() < 2 || !r.rows[0][1]) return std::nullopt;
  return r.rows[0][1];
}

std::string Connection::literal(const std::string& text) {
  std::string out(text.size() * 2 + 1, '\0');
  out.resize(mysql_real_escape_string(mysql_, out.data(), text.data(), text.size()));
  return "'" + out + "'";
}

void Connection::interrupt() {
  const int fd = fd_.load();
  if (fd >= 0) ::shutdown(fd, SHUT_RDWR);
}

std::vector<std::string> global_privileges(const std::vector<std::string>& grants) {
  std::vector<std::string> out;
  for (const auto& line : grants) {
    const std::string u = upper(line);
    if (u.rfind("GRANT ", 0) != 0) continue;
    const auto on = u.find(" ON ");
    if (on == std::string::npos) continue;
    // Only *.*: a privilege on one database does not let the binlog be read.
    std::string target = u.substr(on + 4);
    target = target.substr(0, target.find(' '));
    if (target != "*.*") continue;
    std::string list = u.substr(6, on - 6);
    std::size_t start = 0;
    while (start <= list.size()) {
      const auto comma = std::min(list.find(',', start), list.size());
      std::string p = list.substr(start, comma - start);
      while (!p.empty() && p.front() == ' ') p.erase(0, 1);
      while (!p.empty() && p.back() == ' ') p.pop_back();
      if (p == "ALL" || p == "ALL PRIVILEGES")
        for (const char* all : {"SELECT", "RELOAD", "REPLICATION SLAVE", "REPLICATION CLIENT",
                                "BINLOG MONITOR", "LOCK TABLES", "SHOW DATABASES"})
          out.emplace_back(all);
      else if (!p.empty())
        out.push_back(p);
      start = comma + 1;
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::map<std::string, std::vector<std::string>> check_server(const ConfigMap& props) {
  std::map<std::string, std::vector<std::string>> errors;
  ConnectionSettings s;
  try {
    s = ConnectionSettings::from(props);
  } catch (const ConfigError& e) {
    errors[e.key()].push_back(e.what());
    return errors;
  }
  try {
    Connection c(s, 30);
    const std::string server = s.where();
    const auto log_bin = c.global_variable("log_bin");
    if (!log_bin || upper(*log_bin) != "ON")
      errors["database.hostname"].push_back(
          "The binlog of " + server +
          " is off (log_bin=OFF); change data capture reads the binlog: start the server with "
          "log_bin (and binlog_format=ROW)");
    const auto format = c.global_variable("binlog_format");
    if (format && upper(*format) != "ROW")
      errors["database.hostname"].push_back(
          "The binlog of " + server + " has binlog_format=" + *format +
          "; change data capture needs binlog_format=ROW (SET GLOBAL binlog_format=ROW, and in "
          "the server's configuration)");
    const auto image = c.global_variable("binlog_row_image");
    if (image && upper(*image) != "FULL")
      errors["database.hostname"].push_back(
          "The binlog of " + server + " has binlog_row_image=" + *image +
          "; change data capture needs binlog_row_image=FULL (before and after images of "
          "every column)");
    std::vector<std::string> grants;
    for (const auto& row : c.query("SHOW GRANTS FOR CURRENT_USER()").rows)
      if (!row.empty() && row[0]) grants.push_back(*row[0]);
    const auto have = global_privileges(grants);
    auto has = [&](const char* p) { return std::binary_search(have.begin(), have.end(), p); };
    std::vector<std::string> missing;
    if (!has("REPLICATION SLAVE")) missing.emplace_back("REPLICATION SLAVE");
    if (!has("REPLICATION CLIENT") && !has("BINLOG MONITOR"))
      missing.emplace_back("REPLICATION CLIENT");
    if (!has("SELECT")) missing.emplace_back("SELECT");
    if (!has("RELOAD")) missing.emplace_back("RELOAD");
    if (!missing.empty()) {
      std::string list;
      for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
      errors["database.user"].push_back("User " + s.user + " lacks " + list + " ON *.* on " +
                                        server + " (GRANT " + list + " ON *.* TO '" + s.user +
                                        "'@'%')");
    }
    const std::string wanted = get(props, "database.server.id");
    const auto own = c.global_variable("server_id");
    if (!wanted.empty() && own && wanted == *own)
      errors["database.server.id"].push_back(
          "database.server.id " + wanted + " is the server_id of " + server +
          " itself; each replica, and so each connector, needs a server id of its own");
  } catch (const ConnectError& e) {
    errors[e.key].push_back(e.what());
  } catch (const std::exception& e) {
    errors["database.hostname"].push_back(e.what());
  }
  return errors;
}

}  // namespace tributary::mysql
