#include "pgoutput.h"

#include <charconv>
#include <cstdio>
#include <limits>

namespace tributary::pg {
namespace {

// Big-endian reader over a message; every read names what it reads when the bytes run out.
class Reader {
 public:
  explicit Reader(std::string_view b) : b_(b) {}

  std::uint8_t u8(const char* what) {
    need(1, what);
    return static_cast<std::uint8_t>(b_[pos_++]);
  }
  std::uint16_t u16(const char* what) { return static_cast<std::uint16_t>(uint(2, what)); }
  std::uint32_t u32(const char* what) { return static_cast<std::uint32_t>(uint(4, what)); }
  std::int32_t i32(const char* what) { return static_cast<std::int32_t>(u32(what)); }
  std::uint64_t u64(const char* what) { return uint(8, what); }
  std::int64_t i64(const char* what) { return static_cast<std::int64_t>(u64(what)); }
  // A NUL-terminated string.
  std::string str(const char* what) {
    const auto end = b_.find('\0', pos_);
    if (end == std::string_view::npos)
      throw ProtocolError(std::string("pgoutput: unterminated string reading ") + what);
    std::string s(b_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return s;
  }
  std::string_view bytes(std::size_t n, const char* what) {
    need(n, what);
    auto v = b_.substr(pos_, n);
    pos_ += n;
    return v;
  }
  std::string_view rest() const { return b_.substr(pos_); }
  bool done() const { return pos_ == b_.size(); }
  char peek(const char* what) {
    need(1, what);
    return b_[pos_];
  }

 private:
  void need(std::size_t n, const char* what) const {
    if (b_.size() - pos_ < n)
      throw ProtocolError("pgoutput: message truncated reading " + std::string(what) + " (" +
                          std::to_string(b_.size() - pos_) + " of " + std::to_string(n) +
                          " bytes left)");
  }
  std::uint64_t uint(int n, const char* what) {
    need(static_cast<std::size_t>(n), what);
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<std::uint8_t>(b_[pos_++]);
    return v;
  }
  std::string_view b_;
  std::size_t pos_ = 0;
};

// Saturates: a timestamp no server sends (within 30 000 years of the end of int64) must not
// overflow (found by fuzz_pgoutput).
std::int64_t to_unix_us(std::int64_t pg_us) {
  std::int64_t out = 0;
  if (__builtin_add_overflow(pg_us, kPgEpochOffsetMicros, &out))
    return std::numeric_limits<std::int64_t>::max();
  return out;
}

Tuple read_tuple(Reader& r) {
  const auto n = r.u16("tuple column count");
  Tuple t(n);
  for (auto& v : t) {
    const char kind = static_cast<char>(r.u8("tuple column kind"));
    switch (kind) {
      case 'n': v.kind = TupleValue::Kind::Null; break;
      case 'u': v.kind = TupleValue::Kind::UnchangedToast; break;
      case 't':
      case 'b': {
        v.kind = kind == 't' ? TupleValue::Kind::Text : TupleValue::Kind::Binary;
        const auto len = r.u32("tuple value length");
        v.data = std::string(r.bytes(len, "tuple value"));
        break;
      }
      default:
        throw ProtocolError(std::string("pgoutput: unknown tuple column kind '") + kind + "'");
    }
  }
  return t;
}

void expect_end(const Reader& r, const char* message) {
  if (!r.done())
    throw ProtocolError(std::string("pgoutput: ") + std::to_string(r.rest().size()) +
                        " unexpected trailing bytes after a " + message + " message");
}

}  // namespace

std::string format_lsn(Lsn lsn) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%X/%X", static_cast<unsigned>(lsn >> 32),
                static_cast<unsigned>(lsn & 0xFFFFFFFFu));
  return buf;
}

Lsn parse_lsn(std::string_view text) {
  const auto slash = text.find('/');
  std::uint32_t hi = 0, lo = 0;
  auto bad = [&] { return std::invalid_argument("not an LSN: '" + std::string(text) + "'"); };
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == text.size()) throw bad();
  auto r1 = std::from_chars(text.data(), text.data() + slash, hi, 16);
  auto r2 = std::from_chars(text.data() + slash + 1, text.data() + text.size(), lo, 16);
  if (r1.ec != std::errc{} || r1.ptr != text.data() + slash || r2.ec != std::errc{} ||
      r2.ptr != text.data() + text.size())
    throw bad();
  return (static_cast<Lsn>(hi) << 32) | lo;
}

Message decode_message(std::string_view bytes) {
  Reader r(bytes);
  const char type = static_cast<char>(r.u8("message type"));
  switch (type) {
    case 'B': {
      BeginMsg m;
      m.final_lsn = r.u64("Begin final LSN");
      m.commit_time_us = to_unix_us(r.i64("Begin commit timestamp"));
      m.xid = r.u32("Begin xid");
      expect_end(r, "Begin");
      return m;
    }
    case 'C': {
      CommitMsg m;
      m.flags = r.u8("Commit flags");
      m.commit_lsn = r.u64("Commit LSN");
      m.end_lsn = r.u64("Commit end LSN");
      m.commit_time_us = to_unix_us(r.i64("Commit timestamp"));
      expect_end(r, "Commit");
      return m;
    }
    case 'O': {
      OriginMsg m;
      m.lsn = r.u64("Origin LSN");
      m.name = r.str("Origin name");
      return m;
    }
    case 'R': {
      RelationMsg m;
      m.relation_id = r.u32("Relation id");
      m.schema = r.str("Relation namespace");
      m.table = r.str("Relation name");
      m.replica_identity = static_cast<char>(r.u8("Relation replica identity"));
      const auto n = r.u16("Relation column count");
      m.columns.resize(n);
      for (auto& c : m.columns) {
        c.key = (r.u8("Relation column flags") & 1) != 0;
        c.name = r.str("Relation column name");
        c.type_oid = r.u32("Relation column type");
        c.type_modifier = r.i32("Relation column type modifier");
      }
      expect_end(r, "Relation");
      return m;
    }
    case 'Y': {
      TypeMsg m;
      m.type_oid = r.u32("Type id");
      m.schema = r.str("Type namespace");
      m.name = r.str("Type name");
      return m;
    }
    case 'I': {
      InsertMsg m;
      m.relation_id = r.u32("Insert relation id");
      if (r.u8("Insert tuple marker") != 'N')
        throw ProtocolError("pgoutput: Insert without its 'N' tuple");
      m.new_tuple = read_tuple(r);
      expect_end(r, "Insert");
      return m;
    }
    case 'U': {
      UpdateMsg m;
      m.relation_id = r.u32("Update relation id");
      char marker = static_cast<char>(r.u8("Update tuple marker"));
      if (marker == 'K' || marker == 'O') {
        m.old_kind = marker;
        m.old_tuple = read_tuple(r);
        marker = static_cast<char>(r.u8("Update new tuple marker"));
      }
      if (marker != 'N') throw ProtocolError("pgoutput: Update without its 'N' tuple");
      m.new_tuple = read_tuple(r);
      expect_end(r, "Update");
      return m;
    }
    case 'D': {
      DeleteMsg m;
      m.relation_id = r.u32("Delete relation id");
      m.old_kind = static_cast<char>(r.u8("Delete tuple marker"));
      if (m.old_kind != 'K' && m.old_kind != 'O')
        throw ProtocolError("pgoutput: Delete without a 'K' or 'O' tuple");
      m.old_tuple = read_tuple(r);
      expect_end(r, "Delete");
      return m;
    }
    case 'T': {
      TruncateMsg m;
      const auto n = r.u32("Truncate relation count");
      const auto options = r.u8("Truncate options");
      m.cascade = (options & 1) != 0;
      m.restart_identity = (options & 2) != 0;
      for (std::uint32_t i = 0; i < n; ++i) m.relation_ids.push_back(r.u32("Truncate relation id"));
      expect_end(r, "Truncate");
      return m;
    }
    case 'M': {
      LogicalMsg m;
      m.transactional = r.u8("Message flags") != 0;
      m.lsn = r.u64("Message LSN");
      m.prefix = r.str("Message prefix");
      const auto len = r.u32("Message length");
      m.content = std::string(r.bytes(len, "Message content"));
      return m;
    }
    default:
      throw ProtocolError(std::string("pgoutput: unknown message type '") + type +
                          "' (proto_version 1 expected)");
  }
}

Frame decode_frame(std::string_view bytes) {
  Reader r(bytes);
  const char type = static_cast<char>(r.u8("replication frame type"));
  if (type == 'w') {
    XLogData d;
    d.start_lsn = r.u64("XLogData start");
    d.wal_end = r.u64("XLogData WAL end");
    d.send_time_us = to_unix_us(r.i64("XLogData send time"));
    d.payload = r.rest();
    return d;
  }
  if (type == 'k') {
    Keepalive k;
    k.wal_end = r.u64("keepalive WAL end");
    k.send_time_us = to_unix_us(r.i64("keepalive send time"));
    k.reply_requested = r.u8("keepalive reply flag") != 0;
    return k;
  }
  throw ProtocolError(std::string("replication stream: unknown frame type '") + type + "'");
}

std::string encode_status_update(Lsn written, Lsn flushed, Lsn applied, std::int64_t now_us,
                                 bool reply_requested) {
  std::string out;
  out.reserve(34);
  out += 'r';
  auto put = [&](std::uint64_t v) {
    for (int i = 7; i >= 0; --i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
  };
  put(written);
  put(flushed);
  put(applied);
  put(static_cast<std::uint64_t>(now_us - kPgEpochOffsetMicros));
  out += reply_requested ? '\1' : '\0';
  return out;
}

}  // namespace tributary::pg
