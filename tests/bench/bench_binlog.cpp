// The binlog read path of the MySQL / MariaDB connector against its ceiling (issue 15): the same
// binlog events drained (1) by mariadb-binlog --read-from-remote-server to /dev/null, the server's
// own client; (2) by BinlogClient alone (Connector/C's framing, checksums and event parsing); and
// (3) by BinlogClient plus the row-image decoder (binlog_rows.h) on every ROWS event. CPU per row
// is the figure (steadier than rows/s on this machine); ratios are within one run.
//   bench_binlog HOST:PORT ROWS COLS      (ROWS changes in 1000-row transactions; COLS 5 or 30)
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "binlog_client.h"
#include "binlog_rows.h"
#include "mysql_connection.h"

using namespace tributary::mysql;

namespace {

double cpu_seconds(int who) {
  rusage u{};
  getrusage(who, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Drain {
  std::uint64_t events = 0, rows = 0;
};

Drain drain(const ConnectionSettings& s, const std::string& file, std::uint64_t pos, bool decode) {
  BinlogClient::Options o;
  o.server_id = 7001;
  o.stop_at_end = true;
  BinlogClient c(s, o);
  c.open(file, pos);
  Drain d;
  std::vector<BinlogColumn> columns;
  while (const MARIADB_RPL_EVENT* ev = c.next()) {
    ++d.events;
    if (!decode) continue;
    if (ev->event_type == TABLE_MAP_EVENT) {
      const auto& tm = ev->event.table_map;
      const std::string_view types = view(tm.column_types);
      const auto numeric = signedness_columns(types);
      columns = parse_table_columns(
          types, view(tm.metadata),
          std::string_view(reinterpret_cast<const char*>(tm.null_indicator),
                           (tm.column_count + 7) / 8),
          tm.signed_indicator ? std::string_view(reinterpret_cast<const char*>(tm.signed_indicator),
                                                 (numeric + 7) / 8)
                              : std::string_view());
    } else if (ev->event_type == WRITE_ROWS_EVENT_V1) {
      const auto& r = ev->event.rows;
      d.rows += decode_rows(columns,
                            std::string_view(reinterpret_cast<const char*>(r.column_bitmap),
                                             (r.column_count + 7) / 8),
                            std::string_view(static_cast<const char*>(r.row_data), r.row_data_size))
                    .size();
    }
  }
  return d;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: bench_binlog HOST:PORT ROWS COLS\n";
    return 2;
  }
  const std::string addr = argv[1];
  const long rows = std::atol(argv[2]);
  const int cols = std::atoi(argv[3]);
  const auto colon = addr.rfind(':');
  const auto s = ConnectionSettings::from({{"database.hostname", addr.substr(0, colon)},
                                           {"database.port", addr.substr(colon + 1)},
                                           {"database.user", "root"}});
  Connection c(s, 600);
  const std::string table = "inventory.bench" + std::to_string(cols);
  std::string ddl = "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY";
  for (int i = 1; i < cols; ++i)
    ddl += i % 3 == 0 ? ", c" + std::to_string(i) + " VARCHAR(32)"
                      : (i % 3 == 1 ? ", c" + std::to_string(i) + " INT"
                                    : ", c" + std::to_string(i) + " DECIMAL(12,2)");
  c.exec("DROP TABLE IF EXISTS " + table);
  c.exec(ddl + ")");
  const auto status = c.query("SHOW MASTER STATUS");
  const std::string file = *status.rows[0][0];
  const std::uint64_t pos = std::stoull(*status.rows[0][1]);
  // The changes: ROWS inserts in transactions of 1000 rows.
  for (long done = 0; done < rows; done += 1000) {
    std::string sql = "INSERT INTO " + table + " VALUES ";
    for (long r = done; r < done + 1000 && r < rows; ++r) {
      if (r > done) sql += ',';
      sql += "(" + std::to_string(r);
      for (int i = 1; i < cols; ++i)
        sql += i % 3 == 0 ? ",'value-" + std::to_string(r % 997) + "'"
                          : (i % 3 == 1 ? "," + std::to_string(r * i % 100000)
                                        : "," + std::to_string(r % 10000) + ".25");
      sql += ")";
    }
    c.exec(sql);
  }
  std::printf("rows %ld, columns %d, binlog from %s:%llu\n", rows, cols, file.c_str(),
              static_cast<unsigned long long>(pos));
  // (1) mariadb-binlog, in a child process; its CPU from RUSAGE_CHILDREN.
  const double child0 = cpu_seconds(RUSAGE_CHILDREN), w0 = wall_seconds();
  const std::string cmd =
      "mariadb-binlog --no-defaults --read-from-remote-server --host=" + addr.substr(0, colon) +
      " --port=" + addr.substr(colon + 1) + " --user=root --start-position=" + std::to_string(pos) +
      " --to-last-log " + file + " > /dev/null";
  if (std::system(cmd.c_str()) != 0) {
    std::cerr << "mariadb-binlog failed: " << cmd << "\n";
    return 1;
  }
  const double child_cpu = cpu_seconds(RUSAGE_CHILDREN) - child0, child_wall = wall_seconds() - w0;
  auto run = [&](bool decode, const char* name) {
    const double c0 = cpu_seconds(RUSAGE_SELF), t0 = wall_seconds();
    const Drain d = drain(s, file, pos, decode);
    const double cpu = cpu_seconds(RUSAGE_SELF) - c0, wall = wall_seconds() - t0;
    std::printf("%-34s events %8llu rows %8llu  wall %7.3f s  cpu %7.3f s  %7.1f ns cpu/row\n",
                name, static_cast<unsigned long long>(d.events),
                static_cast<unsigned long long>(d.rows), wall, cpu,
                cpu * 1e9 / static_cast<double>(rows));
    return cpu;
  };
  std::printf("%-34s %41s wall %7.3f s  cpu %7.3f s  %7.1f ns cpu/row\n",
              "mariadb-binlog to /dev/null", "", child_wall, child_cpu,
              child_cpu * 1e9 / static_cast<double>(rows));
  const double framing = run(false, "BinlogClient (library framing)");
  const double decoded = run(true, "BinlogClient + row decoder");
  std::printf("decoder cpu / mariadb-binlog cpu: %.2f; decoder cpu / framing cpu: %.2f\n",
              decoded / child_cpu, decoded / framing);
  c.exec("DROP TABLE " + table);
  return 0;
}
