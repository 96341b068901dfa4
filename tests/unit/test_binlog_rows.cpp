// binlog_rows.h on bytes written by hand from the server's formats (every type against the real
// server is tests/integration/test_mysql_binlog.cpp): binary DECIMAL, the CHAR real-type and
// long-length encoding in the TABLE_MAP metadata, and hostile input.
#include <gtest/gtest.h>

#include "binlog_rows.h"

namespace tributary::mysql {
namespace {

std::string bytes(std::initializer_list<int> b) {
  std::string out;
  for (int c : b) out += static_cast<char>(c);
  return out;
}

TEST(BinlogRows, DecimalAndCharMetadata) {
  // DECIMAL(10,2): 8 integer digits in 4 bytes, 2 fraction digits in 1; the sign bit flipped,
  // and every byte inverted when negative.
  const std::string types = bytes({kTypeNewDecimal, kTypeString, kTypeString});
  // CHAR(100) utf8mb4 = 400 bytes: real type 0xfe with the length's high bits in 0x30 inverted
  // (0xee, 0x90); ENUM in a STRING column: 0xf7 and its 1-byte pack length.
  const std::string meta = bytes({10, 2, 0xee, 0x90, 0xf7, 1});
  const auto cols = parse_table_columns(types, meta, bytes({0xff}));
  ASSERT_EQ(cols.size(), 3u);
  EXPECT_EQ(cols[1].type, kTypeString);
  EXPECT_EQ(cols[1].meta, 400u);
  EXPECT_EQ(cols[2].type, kTypeEnum);
  const std::string row1 = bytes({0, 0x80, 0x12, 0xD6, 0x87, 0x59, 2, 0, 'h', 'i', 2});
  const std::string row2 = bytes({0, 0x7F, 0xED, 0x29, 0x78, 0xA6, 0, 0, 1});
  const std::string data = row1 + row2;  // the values are views into it
  const auto rows = decode_rows(cols, bytes({0x07}), data);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0].text, "1234567.89");
  EXPECT_EQ(rows[0][1].bytes, "hi");  // a 2-byte length: the column holds over 255 bytes
  EXPECT_EQ(rows[0][2].u, 2u);
  EXPECT_EQ(rows[1][0].text, "-1234567.89");
  EXPECT_EQ(rows[1][1].bytes, "");
}

TEST(BinlogRows, HostileInputIsAnErrorNamingWhatWasRead) {
  const auto cols =
      parse_table_columns(bytes({kTypeLong, kTypeVarchar}), bytes({10, 0}), bytes({0xff}));
  const std::string good = bytes({0, 1, 0, 0, 0, 3, 'a', 'b', 'c'});
  EXPECT_EQ(decode_rows(cols, bytes({3}), good).size(), 1u);
  for (std::size_t n = 1; n < good.size(); ++n) {
    try {
      decode_rows(cols, bytes({3}), good.substr(0, n));
      FAIL() << "a row cut at " << n << " bytes was read";
    } catch (const BinlogFormatError& e) {
      EXPECT_NE(std::string(e.what()).find("wanted"), std::string::npos) << e.what();
    }
  }
  // A length beyond the data, metadata longer or shorter than the columns, no column present.
  EXPECT_THROW(decode_rows(cols, bytes({3}), bytes({0, 1, 0, 0, 0, 200})), BinlogFormatError);
  EXPECT_THROW(parse_table_columns(bytes({kTypeLong}), bytes({1}), ""), BinlogFormatError);
  EXPECT_THROW(parse_table_columns(bytes({kTypeVarchar}), bytes({1}), ""), BinlogFormatError);
  EXPECT_THROW(decode_rows(cols, bytes({0}), bytes({0})), BinlogFormatError);
  EXPECT_THROW(decode_rows(parse_table_columns(bytes({0x99}), "", ""), bytes({1}), bytes({0, 1})),
               BinlogFormatError);  // an unknown type
}

}  // namespace
}  // namespace tributary::mysql
