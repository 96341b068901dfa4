// libFuzzer: binlog row images as they arrive from a MySQL / MariaDB server (binlog_rows.h). The
// input is a table and its rows: one byte of column count, that many type bytes, one byte of
// metadata length and the TABLE_MAP metadata, a signedness byte, then the row data of a ROWS
// event with every column present (an UPDATE's pairs of images when the count byte's top bit is
// set). Every failure must be a BinlogFormatError, never a crash, a hang or a read past the input.
#include <cstdint>
#include <string>
#include <string_view>

#include "binlog_rows.h"

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
  } catch (const tributary::mysql::BinlogFormatError&) {
  }
  return 0;
}
