// binlog_rows.h on bytes written by hand from the server's formats (every type against the real
// server is tests/integration/test_mysql_binlog.cpp): binary DECIMAL, the CHAR real-type and
// long-length encoding in the TABLE_MAP metadata, and hostile input.
#include <gtest/gtest.h>

#include "binlog_rows.h"
#include "tributary/data.h"

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
  EXPECT_EQ(decimal_text(rows[0][0]), "1234567.89");
  EXPECT_EQ(rows[0][1].bytes, "hi");  // a 2-byte length: the column holds over 255 bytes
  EXPECT_EQ(rows[0][2].u, 2u);
  EXPECT_EQ(decimal_text(rows[1][0]), "-1234567.89");
  EXPECT_EQ(rows[1][1].bytes, "");
}

// The binlog's binary DECIMAL written from the server's format description (decimal2bin):
// integer digits in groups of 9 from the point leftwards (the partial group first), fraction
// digits in groups of 9 from the point rightwards (the partial group last), each group
// big-endian in 1-4 bytes, the first byte's top bit flipped, every byte inverted when negative.
std::string decimal_bin(bool negative, const std::string& int_digits,
                        const std::string& frac_digits) {
  static constexpr int kBytes[10] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
  std::string out;
  auto group = [&](const std::string& digits) {
    std::uint64_t v = std::stoull(digits);
    const int n = kBytes[digits.size()];
    for (int b = n - 1; b >= 0; --b) out += static_cast<char>((v >> (8 * b)) & 0xFF);
  };
  const std::size_t lead = int_digits.size() % 9;
  if (lead > 0) group(int_digits.substr(0, lead));
  for (std::size_t i = lead; i < int_digits.size(); i += 9) group(int_digits.substr(i, 9));
  for (std::size_t i = 0; i < frac_digits.size(); i += 9) group(frac_digits.substr(i, 9));
  out[0] = static_cast<char>(out[0] ^ 0x80);
  if (negative)
    for (auto& c : out) c = static_cast<char>(~c);
  return out;
}

// Every precision and scale, both signs, zero and negative zero: decimal_text() spells the
// number written (from the unscaled value up to 18 digits, from the text beyond), and up to 18
// digits the unscaled value (decimal_scale set) is that number.
TEST(BinlogRows, DecimalValueAndTextMatchWhatWasWritten) {
  std::uint64_t seed = 42;
  auto digit = [&seed] {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<char>('0' + (seed >> 33) % 10);
  };
  int checked = 0;
  for (int precision = 1; precision <= 30; ++precision) {
    for (int scale = 0; scale <= precision && scale <= 12; ++scale) {
      for (int round = 0; round < 20; ++round) {
        // round 0: zero; 1: all nines, negative; 2: negative zero; then random digits.
        const char fixed = round == 1 ? '9' : '0';
        std::string ints, fracs;
        for (int i = 0; i < precision - scale; ++i) ints += round < 3 ? fixed : digit();
        for (int i = 0; i < scale; ++i) fracs += round < 3 ? fixed : digit();
        const bool negative = round % 2 == 1 || round == 2;
        const auto cols =
            parse_table_columns(bytes({kTypeNewDecimal}), bytes({precision, scale}), bytes({0}));
        const std::string data = bytes({0}) + decimal_bin(negative, ints, fracs);
        const auto rows = decode_rows(cols, bytes({1}), data);
        ASSERT_EQ(rows.size(), 1u);
        const BinlogValue& v = rows[0][0];
        const std::size_t lead = ints.find_first_not_of('0');
        const std::string want = (negative ? "-" : "") +
                                 (lead == std::string::npos ? "0" : ints.substr(lead)) +
                                 (scale > 0 ? "." + fracs : "");
        EXPECT_EQ(decimal_text(v), want);
        if (precision > 18) {
          EXPECT_EQ(v.decimal_scale, -1) << want;
          continue;
        }
        ASSERT_EQ(v.decimal_scale, scale) << want;
        EXPECT_EQ(decimal_unscaled_from_int64(v.i),
                  decimal_unscaled_from_string((negative ? "-" : "") + ints + fracs))
            << want << " decoded as " << v.i;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 1000);
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
