// Positions in a MySQL / MariaDB binlog, as Debezium's MySQL connector stores them in its source
// offsets (docs/MYSQL.md, tests/golden/mysql/source-and-offsets.txt): `file` and `pos` are where
// a restart reads from (the BEGIN of the transaction being read), `event` counts the events of
// that transaction to skip and `row` the rows of the next event, `gtids` is the GTID set
// completed so far, `server_id` the id of the server that wrote the event, `ts_sec` its time,
// and `snapshot` marks records of a snapshot (all but its last). MariaDB's GTIDs are
// <domain>-<server>-<sequence>; its GTID state keeps the last one per domain.
//
// Threading: pure values and functions.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "tributary/record.h"

namespace tributary::mysql {

/// MariaDB's GTID state: per replication domain, the last GTID (server id and sequence).
class GtidState {
 public:
  /// From "0-1-42,1-2-7" (spaces and newlines around entries allowed, as SHOW GLOBAL VARIABLES
  /// LIKE 'gtid_binlog_pos' gives them); throws std::invalid_argument naming the bad entry.
  static GtidState parse(const std::string& text);
  /// Records a GTID read from the binlog: it becomes the last of its domain.
  void update(std::uint32_t domain, std::uint32_t server, std::uint64_t sequence);
  /// Whether the GTID is at or before the state's position in its domain (already seen).
  bool contains(std::uint32_t domain, std::uint64_t sequence) const;
  /// Whether every GTID of `other` is at or before this state's position in its domain.
  bool includes(const GtidState& other) const;
  bool empty() const { return last_.empty(); }
  /// "0-1-42,1-2-7", domains in increasing order (MariaDB's own format). Kept up to date by
  /// update(): every record's offset carries it, a state changes once per transaction.
  const std::string& str() const { return text_; }

 private:
  struct Last {
    std::uint32_t server = 0;
    std::uint64_t sequence = 0;
  };
  std::map<std::uint32_t, Last> last_;
  std::string text_;
};

struct BinlogPosition {
  std::string file;
  std::uint64_t pos = 0;
  std::uint64_t event = 0;  // events of the transaction at `pos` already delivered
  std::uint64_t row = 0;    // rows of the next event already delivered
  std::string gtids;        // completed GTID set ("" when unknown)
  std::uint64_t server_id = 0;
  std::int64_t ts_sec = 0;
  bool snapshot = false;
};

/// The offset Debezium writes: file, pos, and the others only when set (server_id, gtids,
/// event, row when not 0 or empty; ts_sec; snapshot only while true), keys in the order of
/// Debezium's HashMap (cdc::java_hash_map_order).
OffsetMap to_offset(const BinlogPosition& p);
/// The same with Debezium's `transaction_id` (put after the others, as its TransactionContext
/// stores it into the same HashMap); without one when `transaction_id` is empty.
OffsetMap to_offset(const BinlogPosition& p, const std::string& transaction_id);
/// The offsets of the records of one binlog event (a LazyOffset's source): its position with
/// `row` set to the argument, computed only for the offset the worker commits. Immutable.
class RowOffsets : public OffsetSource {
 public:
  explicit RowOffsets(BinlogPosition p) : p_(std::move(p)) {}
  /// Whether `p` differs from this event's position in its row at most.
  bool covers(const BinlogPosition& p) const;
  OffsetMap offset(std::uint64_t row) const override;

 private:
  BinlogPosition p_;
};

/// A stored offset read back; throws std::invalid_argument for an offset without `file` or
/// `pos` ("Source offset 'file' parameter is missing", as Debezium) or with a value of the
/// wrong type, naming the key.
BinlogPosition from_offset(const OffsetMap& offset);

}  // namespace tributary::mysql
