// A binlog stream through MariaDB Connector/C's replication API: connects as a replica with
// `database.server.id`, asks for CRC32-checked events (COM_BINLOG_DUMP) from a file and position
// (or, on MariaDB, from a GTID state through @slave_connect_state), and hands out one event at a
// time. The library frames the events and parses headers, TABLE_MAP, GTID, QUERY,
// XID and ROTATE; next() checks each event's CRC32 (libdeflate); row images are decoded by
// binlog_rows.h.
//
// Threading: one thread opens and reads; interrupt() (any thread) shuts the socket down, so a
// blocked next() returns with an error at once. next() blocks at most the read timeout; a
// heartbeat period below it keeps a quiet stream alive.
#pragma once

#include <mysql.h>
// (mariadb_rpl.h needs mysql.h first)
#include <mariadb_rpl.h>

#include <cctype>
#include <cstdint>
#include <memory>
#include <string>

#include "mysql_connection.h"

namespace tributary::mysql {

class BinlogClient {
 public:
  struct Options {
    std::uint32_t server_id = 0;  // database.server.id
    unsigned heartbeat_ms = 0;    // 0: none
    unsigned read_timeout_s = 60;
    bool stop_at_end = false;    // end of the binlog: next() returns nullptr
    bool annotate_rows = false;  // ask for Annotate_rows events (the statement of row events)
  };
  BinlogClient(const ConnectionSettings& settings, Options options);
  ~BinlogClient();
  BinlogClient(const BinlogClient&) = delete;
  BinlogClient& operator=(const BinlogClient&) = delete;

  /// Starts streaming at `file` / `position` (an empty file: the first binlog), or at the
  /// MariaDB GTID state `gtids` ("0-1-42,1-2-7") when it is not empty. Throws SqlError.
  void open(const std::string& file, std::uint64_t position, const std::string& gtids = "");
  /// The next event (valid until the next call), or nullptr at the end with stop_at_end.
  /// Throws SqlError for a lost connection or a server error (1236: the position is gone), and
  /// BinlogFormatError for an event the library cannot read.
  const MARIADB_RPL_EVENT* next();
  void interrupt() { conn_.interrupt(); }

 private:
  Connection conn_;
  Options options_;
  MARIADB_RPL* rpl_ = nullptr;
  MARIADB_RPL_EVENT* event_ = nullptr;
};

/// Checks the CRC32 in the last 4 bytes of a binlog event of `length` bytes (header, body,
/// checksum); throws BinlogFormatError naming `where` and the event's end position when it does
/// not match.
void check_event_checksum(const unsigned char* event, std::size_t length, const std::string& where);

/// A MARIADB_STRING / MARIADB_CONST_DATA as a view.
inline std::string_view view(const MARIADB_STRING& s) {
  return {s.str, s.length};
}

}  // namespace tributary::mysql
