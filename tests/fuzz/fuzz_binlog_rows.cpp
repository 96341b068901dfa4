// libFuzzer: binlog row images as they arrive from a MySQL / MariaDB server (binlog_rows.h). The
// input is a table and its rows: one byte of column count, that many type bytes, one byte of
// metadata length and the TABLE_MAP metadata, a signedness byte, then the row data of a ROWS
// event with every column present (an UPDATE's pairs of images when the count byte's top bit is
// set). Every failure must be a BinlogFormatError, never a crash, a hang or a read past the input.
// The rows are also decoded into images kept from input to input, as the connector's reader
// keeps them from event to event: what a reader reads of them must be what a fresh decode gives.
#include <cstdint>
#include <string>
#include <string_view>

#include "binlog_rows.h"

namespace {
using tributary::mysql::BinlogValue;

// The fields ColumnCodec::from_binlog reads for the value's kind.
bool same(const BinlogValue& a, const BinlogValue& b) {
  using K = BinlogValue::Kind;
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case K::Decimal:
      return tributary::mysql::decimal_text(a) == tributary::mysql::decimal_text(b) &&
             a.decimal_scale == b.decimal_scale && (a.decimal_scale < 0 || a.i == b.i);
    case K::Time:
      return a.negative == b.negative && a.hour == b.hour && a.minute == b.minute &&
             a.second == b.second && a.micros == b.micros;
    case K::Timestamp: return a.i == b.i && a.micros == b.micros;
    case K::Bytes:
    case K::Bits: return a.bytes == b.bytes;
    default: return true;
  }
}

std::vector<std::vector<BinlogValue>> g_reused;  // kept from input to input
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (in.size() < 3) return 0;
  const bool update = (static_cast<std::uint8_t>(in[0]) & 0x80) != 0;
  const std::size_t n = static_cast<std::uint8_t>(in[0]) & 0x3F;
  in.remove_prefix(1);
  if (in.size() < n + 1) return 0;
  const std::string_view types = in.substr(0, n);
  in.remove_prefix(n);
  const std::size_t meta_len = static_cast<std::uint8_t>(in[0]);
  in.remove_prefix(1);
  if (in.size() < meta_len + 1) return 0;
  const std::string_view meta = in.substr(0, meta_len);
  in.remove_prefix(meta_len);
  const std::string sign(8, in[0]);
  in.remove_prefix(1);
  const std::string all(8, '\xff');
  try {
    const auto columns = tributary::mysql::parse_table_columns(types, meta, all, sign);
    const auto rows = tributary::mysql::decode_rows(columns, all, in, update ? all : "");
    for (const auto& r : rows)
      for (const auto& v : r)
        if (!v.bytes.empty() &&
            (v.bytes.data() < in.data() || v.bytes.data() + v.bytes.size() > in.data() + in.size()))
          __builtin_trap();  // a value outside the event
    const std::size_t n_reused =
        tributary::mysql::decode_rows(columns, all, in, update ? all : "", g_reused);
    if (n_reused != rows.size()) __builtin_trap();
    for (std::size_t r = 0; r < rows.size(); ++r)
      for (std::size_t c = 0; c < rows[r].size(); ++c)
        if (!same(rows[r][c], g_reused[r][c])) __builtin_trap();  // a stale field read
  } catch (const tributary::mysql::BinlogFormatError&) {
  }
  return 0;
}
