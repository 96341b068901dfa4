// binlog_rows.h on bytes written by hand from the server's formats (every type against the real
// server is tests/integration/test_mysql_binlog.cpp): binary DECIMAL, the CHAR real-type and
// long-length encoding in the TABLE_MAP metadata, and hostile input.
#include <gtest/gtest.h>

#include "binlog_client.h"
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

// What a value's kind gives its reader (ColumnCodec::from_binlog), as text.
std::string seen(const BinlogValue& v) {
  using K = BinlogValue::Kind;
  const auto hms = [&v] {
    return std::to_string(v.hour) + ":" + std::to_string(v.minute) + ":" +
           std::to_string(v.second) + "." + std::to_string(v.micros);
  };
  switch (v.kind) {
    case K::Null: return "null";
    case K::Int: return "int " + std::to_string(v.i);
    case K::UInt: return "uint " + std::to_string(v.u);
    case K::Float:
    case K::Double: return "double " + std::to_string(v.d);
    case K::Decimal:
      return "decimal " + decimal_text(v) + " scale " + std::to_string(v.decimal_scale) + " " +
             (v.decimal_scale >= 0 ? std::to_string(v.i) : "");
    case K::Bytes:
    case K::Bits: return "bytes " + std::string(v.bytes);
    case K::Date:
      return "date " + std::to_string(v.year) + "-" + std::to_string(v.month) + "-" +
             std::to_string(v.day);
    case K::Time: return std::string("time ") + (v.negative ? "-" : "+") + hms();
    case K::DateTime:
      return "datetime " + std::to_string(v.year) + "-" + std::to_string(v.month) + "-" +
             std::to_string(v.day) + " " + hms();
    case K::Timestamp: return "timestamp " + std::to_string(v.i) + "." + std::to_string(v.micros);
    case K::Enum: return "enum " + std::to_string(v.u);
    case K::Set: return "set " + std::to_string(v.u);
  }
  return "?";
}

// The reader decodes every event into one set of images: a value left by an earlier event's
// (another table's) row reads exactly as a freshly decoded one. Each column here has a field its
// decoder sets only when it differs from a fresh value's: a TIME's sign, an old TIMESTAMP's
// fraction, a long DECIMAL's scale and text.
TEST(BinlogRows, ImagesReusedFromEarlierEventsReadAsFreshOnes) {
  // Table 1: TIME, TIMESTAMP(6), DECIMAL(30,2); table 2: TIME, old TIMESTAMP, DECIMAL(10,2);
  // table 3: VARCHAR(10), DECIMAL(10,2).
  const auto t1 = parse_table_columns(bytes({kTypeTime2, kTypeTimestamp2, kTypeNewDecimal}),
                                      bytes({0, 6, 30, 2}), bytes({0xff}));
  const auto t2 = parse_table_columns(bytes({kTypeTime2, kTypeTimestamp, kTypeNewDecimal}),
                                      bytes({0, 10, 2}), bytes({0xff}));
  const auto t3 = parse_table_columns(bytes({kTypeVarchar, kTypeNewDecimal}), bytes({10, 0, 10, 2}),
                                      bytes({0xff}));
  const std::string dec30 = decimal_bin(true, std::string(28, '7'), "25");
  const std::string row1 = bytes({0}) + bytes({0x7F, 0xF0, 0x00}) +  // -01:00:00
                           bytes({0, 0, 0x03, 0xE8, 0x01, 0xE2, 0x40}) + dec30;
  const std::string row2 = bytes({0}) + bytes({0x80, 0x20, 0xC4}) +  // 02:03:04
                           bytes({0xD0, 0x07, 0, 0}) + decimal_bin(false, "12345678", "90");
  const std::string row3 = bytes({0x02, 1, 'x'});  // the DECIMAL is NULL
  struct Event {
    const std::vector<BinlogColumn>* cols;
    std::string present;
    std::string data;
  };
  // Each table after each other one, on the same images (t2 then t1: a short DECIMAL's scale
  // under a long one's).
  const std::vector<Event> events = {
      {&t1, bytes({7}), row1 + row1}, {&t2, bytes({7}), row2},
      {&t1, bytes({7}), row1},        {&t3, bytes({3}), row3},
      {&t2, bytes({7}), row2 + row2}, {&t3, bytes({3}), row3 + row3},
      {&t1, bytes({7}), row1 + row1},
  };
  std::vector<std::vector<BinlogValue>> images;
  for (std::size_t e = 0; e < events.size(); ++e) {
    const auto& ev = events[e];
    const std::size_t n = decode_rows(*ev.cols, ev.present, ev.data, {}, images);
    const auto fresh = decode_rows(*ev.cols, ev.present, ev.data);
    ASSERT_EQ(n, fresh.size()) << "event " << e;
    for (std::size_t r = 0; r < n; ++r)
      for (std::size_t c = 0; c < ev.cols->size(); ++c)
        EXPECT_EQ(seen(images[r][c]), seen(fresh[r][c])) << "event " << e << " column " << c;
  }
  // The fresh decodes are the values written.
  const auto one = decode_rows(t1, bytes({7}), row1);
  EXPECT_EQ(seen(one[0][0]), "time -1:0:0.0");
  EXPECT_EQ(seen(one[0][1]), "timestamp 1000.123456");
  EXPECT_EQ(seen(one[0][2]), "decimal -" + std::string(28, '7') + ".25 scale -1 ");
  const auto two = decode_rows(t2, bytes({7}), row2);
  EXPECT_EQ(seen(two[0][0]), "time +2:3:4.0");
  EXPECT_EQ(seen(two[0][1]), "timestamp 2000.0");
  EXPECT_EQ(seen(two[0][2]), "decimal 12345678.90 scale 2 1234567890");
  EXPECT_EQ(seen(decode_rows(t3, bytes({3}), row3)[0][1]), "null");
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

// The reference CRC-32 (IEEE 802.3, reflected; zlib's crc32), bit by bit.
std::uint32_t reference_crc32(const std::string& s) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (const unsigned char b : s) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

std::string with_checksum(std::string event) {
  const std::uint32_t crc = reference_crc32(event);
  for (int i = 0; i < 4; ++i) event += static_cast<char>(crc >> (8 * i) & 0xFF);
  return event;
}

const unsigned char* bytes(const std::string& s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// next() checks each event's CRC32 itself (libdeflate, not the library's zlib call): the check
// value of the standard, events of every length up to a few KB, and any flipped bit fails, naming
// the event's end position from its header.
TEST(BinlogChecksum, MatchesTheStandardCrc32AndCatchesAFlippedBit) {
  EXPECT_EQ(reference_crc32("123456789"), 0xCBF43926u);  // the standard's check value
  EXPECT_NO_THROW(check_event_checksum(bytes(with_checksum("123456789")), 13, "srv"));
  std::string body;
  for (int n = 0; n < 3000; n += 37) {
    body.resize(static_cast<std::size_t>(n) + 19);
    for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>(i * 131 + n);
    // The header's end position (bytes 13..16, little-endian): 0x01020304.
    body[13] = 4, body[14] = 3, body[15] = 2, body[16] = 1;
    const std::string event = with_checksum(body);
    ASSERT_NO_THROW(check_event_checksum(bytes(event), event.size(), "srv")) << n;
    std::string bad = event;
    bad[static_cast<std::size_t>(n) % bad.size()] ^= 0x10;
    try {
      check_event_checksum(bytes(bad), bad.size(), "127.0.0.1:3306");
      ADD_FAILURE() << "a flipped bit at " << n % bad.size() << " passed";
    } catch (const BinlogFormatError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("127.0.0.1:3306"), std::string::npos) << what;
      EXPECT_NE(what.find("fails its checksum"), std::string::npos) << what;
      const std::size_t flipped = static_cast<std::size_t>(n) % bad.size();
      if (flipped < 13 || flipped > 16) {
        EXPECT_NE(what.find("ending at 16909060"), std::string::npos) << what;
      }
    }
  }
  EXPECT_THROW(check_event_checksum(bytes("abc"), 3, "srv"), BinlogFormatError);
}

}  // namespace
}  // namespace tributary::mysql
