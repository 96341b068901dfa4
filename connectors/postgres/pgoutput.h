// Decoder of PostgreSQL's logical replication stream: the CopyData frames of START_REPLICATION
// (XLogData 'w', primary keepalive 'k') and the pgoutput protocol version 1 messages inside them
// (Begin, Commit, Origin, Relation, Type, Insert, Update, Delete, Truncate, Message), per
// "Streaming Replication Protocol" and "Logical Replication Message Formats" in PostgreSQL's docs.
// Also encodes the standby status update the client sends back.
//
// Pure functions over bytes: no libpq, no server; malformed input throws ProtocolError naming
// what was being read.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace tributary::pg {

using Lsn = std::uint64_t;

/// "16/B374D848" <-> 0x16B374D848, as PostgreSQL prints an LSN.
std::string format_lsn(Lsn lsn);
/// Throws std::invalid_argument on text that is not an LSN.
Lsn parse_lsn(std::string_view text);

/// Microseconds between 1970-01-01 and 2000-01-01, PostgreSQL's epoch for protocol timestamps.
inline constexpr std::int64_t kPgEpochOffsetMicros = 946684800000000LL;

struct ProtocolError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// One column of a tuple: null, unchanged TOASTed value (not sent), or its text form.
struct TupleValue {
  enum class Kind : char { Null = 'n', UnchangedToast = 'u', Text = 't', Binary = 'b' };
  Kind kind = Kind::Null;
  std::string data;  // Text/Binary only
};
using Tuple = std::vector<TupleValue>;

struct RelationColumn {
  bool key = false;  // part of the replica identity key
  std::string name;
  std::uint32_t type_oid = 0;
  std::int32_t type_modifier = -1;
};

struct BeginMsg {
  Lsn final_lsn = 0;
  std::int64_t commit_time_us = 0;  // since 1970-01-01 (converted from the PG epoch)
  std::uint32_t xid = 0;
};
struct CommitMsg {
  std::uint8_t flags = 0;
  Lsn commit_lsn = 0;
  Lsn end_lsn = 0;
  std::int64_t commit_time_us = 0;  // since 1970-01-01
};
struct OriginMsg {
  Lsn lsn = 0;
  std::string name;
};
struct RelationMsg {
  std::uint32_t relation_id = 0;
  std::string schema;
  std::string table;
  char replica_identity = 'd';  // d(efault), n(othing), f(ull), i(ndex)
  std::vector<RelationColumn> columns;
};
struct TypeMsg {
  std::uint32_t type_oid = 0;
  std::string schema;
  std::string name;
};
struct InsertMsg {
  std::uint32_t relation_id = 0;
  Tuple new_tuple;
};
struct UpdateMsg {
  std::uint32_t relation_id = 0;
  char old_kind = 0;  // 0: no old tuple; 'K': old key columns; 'O': whole old row
  Tuple old_tuple;
  Tuple new_tuple;
};
struct DeleteMsg {
  std::uint32_t relation_id = 0;
  char old_kind = 'K';  // 'K' or 'O'
  Tuple old_tuple;
};
struct TruncateMsg {
  bool cascade = false;
  bool restart_identity = false;
  std::vector<std::uint32_t> relation_ids;
};
struct LogicalMsg {
  bool transactional = false;
  Lsn lsn = 0;
  std::string prefix;
  std::string content;
};

using Message = std::variant<BeginMsg, CommitMsg, OriginMsg, RelationMsg, TypeMsg, InsertMsg,
                             UpdateMsg, DeleteMsg, TruncateMsg, LogicalMsg>;

/// Decodes one pgoutput (proto_version 1) message.
Message decode_message(std::string_view bytes);

/// A CopyData frame of the replication stream.
struct XLogData {
  Lsn start_lsn = 0;
  Lsn wal_end = 0;
  std::int64_t send_time_us = 0;  // since 1970-01-01
  std::string_view payload;       // a pgoutput message; points into the frame
};
struct Keepalive {
  Lsn wal_end = 0;
  std::int64_t send_time_us = 0;
  bool reply_requested = false;
};
using Frame = std::variant<XLogData, Keepalive>;
Frame decode_frame(std::string_view bytes);

/// The standby status update ('r'): written, flushed and applied LSNs, the client's clock
/// (microseconds since 1970-01-01), and whether the server should reply at once.
std::string encode_status_update(Lsn written, Lsn flushed, Lsn applied, std::int64_t now_us,
                                 bool reply_requested);

}  // namespace tributary::pg
