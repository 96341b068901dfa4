// pgoutput protocol v1 decoding from bytes laid out as PostgreSQL's "Logical Replication Message
// Formats" documents them (the integration test decodes real server output too).
#include <gtest/gtest.h>

#include <limits>

#include "pgoutput.h"

namespace tributary::pg {
namespace {

// Big-endian byte builder.
struct Bytes {
  std::string b;
  Bytes& c(char v) {
    b += v;
    return *this;
  }
  Bytes& u16(std::uint16_t v) { return n(v, 2); }
  Bytes& u32(std::uint32_t v) { return n(v, 4); }
  Bytes& u64(std::uint64_t v) { return n(v, 8); }
  Bytes& s(const std::string& v) {
    b += v;
    b += '\0';
    return *this;
  }
  Bytes& text(const std::string& v) {
    c('t').u32(static_cast<std::uint32_t>(v.size()));
    b += v;
    return *this;
  }
  Bytes& n(std::uint64_t v, int len) {
    for (int i = len - 1; i >= 0; --i) b += static_cast<char>((v >> (8 * i)) & 0xFF);
    return *this;
  }
};

TEST(PgOutput, LsnTextRoundTrips) {
  EXPECT_EQ(format_lsn(0x16B374D848ULL), "16/B374D848");
  EXPECT_EQ(format_lsn(0), "0/0");
  EXPECT_EQ(parse_lsn("16/B374D848"), 0x16B374D848ULL);
  EXPECT_EQ(parse_lsn("0/1A2B3C"), 0x1A2B3CULL);
  for (const char* bad : {"", "16", "/1", "1/", "x/1", "1/2/3", "1/ 2"})
    EXPECT_THROW(parse_lsn(bad), std::invalid_argument) << bad;
}

TEST(PgOutput, BeginAndCommitConvertTimesToUnixMicros) {
  // 2024-01-01T00:00:00Z is 757382400 s after 2000-01-01.
  const std::uint64_t pg_us = 757382400ULL * 1000000ULL;
  auto b = std::get<BeginMsg>(decode_message(Bytes{}.c('B').u64(0x1000).u64(pg_us).u32(42).b));
  EXPECT_EQ(b.final_lsn, 0x1000u);
  EXPECT_EQ(b.xid, 42u);
  EXPECT_EQ(b.commit_time_us, 1704067200000000LL);
  auto c =
      std::get<CommitMsg>(decode_message(Bytes{}.c('C').c(0).u64(0x1000).u64(0x1040).u64(pg_us).b));
  EXPECT_EQ(c.commit_lsn, 0x1000u);
  EXPECT_EQ(c.end_lsn, 0x1040u);
  EXPECT_EQ(c.commit_time_us, 1704067200000000LL);
}

// fuzz_pgoutput found the epoch shift overflowing int64 on a time no server sends: it saturates.
TEST(PgOutput, TimesNearTheEndOfInt64Saturate) {
  auto b = std::get<BeginMsg>(
      decode_message(Bytes{}.c('B').u64(0x1000).u64(0x7FFFFFFFFFFFDFE8ULL).u32(1).b));
  EXPECT_EQ(b.commit_time_us, std::numeric_limits<std::int64_t>::max());
}

TEST(PgOutput, RelationCarriesColumnsKeyFlagsTypesAndIdentity) {
  auto m = std::get<RelationMsg>(decode_message(Bytes{}
                                                    .c('R')
                                                    .u32(16384)
                                                    .s("public")
                                                    .s("orders")
                                                    .c('f')
                                                    .u16(2)
                                                    .c(1)
                                                    .s("id")
                                                    .u32(23)
                                                    .u32(0xFFFFFFFF)
                                                    .c(0)
                                                    .s("amount")
                                                    .u32(1700)
                                                    .u32(((10 << 16) | 2) + 4)
                                                    .b));
  EXPECT_EQ(m.relation_id, 16384u);
  EXPECT_EQ(m.schema, "public");
  EXPECT_EQ(m.table, "orders");
  EXPECT_EQ(m.replica_identity, 'f');
  ASSERT_EQ(m.columns.size(), 2u);
  EXPECT_TRUE(m.columns[0].key);
  EXPECT_EQ(m.columns[0].type_oid, 23u);
  EXPECT_EQ(m.columns[0].type_modifier, -1);
  EXPECT_FALSE(m.columns[1].key);
  EXPECT_EQ(m.columns[1].name, "amount");
  EXPECT_EQ(m.columns[1].type_modifier, ((10 << 16) | 2) + 4);
}

TEST(PgOutput, InsertUpdateDeleteTuples) {
  auto i = std::get<InsertMsg>(
      decode_message(Bytes{}.c('I').u32(7).c('N').u16(3).text("1").c('n').c('u').b));
  EXPECT_EQ(i.relation_id, 7u);
  ASSERT_EQ(i.new_tuple.size(), 3u);
  EXPECT_EQ(i.new_tuple[0].kind, TupleValue::Kind::Text);
  EXPECT_EQ(i.new_tuple[0].data, "1");
  EXPECT_EQ(i.new_tuple[1].kind, TupleValue::Kind::Null);
  EXPECT_EQ(i.new_tuple[2].kind, TupleValue::Kind::UnchangedToast);

  auto plain = std::get<UpdateMsg>(decode_message(Bytes{}.c('U').u32(7).c('N').u16(1).text("x").b));
  EXPECT_EQ(plain.old_kind, 0);
  EXPECT_TRUE(plain.old_tuple.empty());
  auto full = std::get<UpdateMsg>(
      decode_message(Bytes{}.c('U').u32(7).c('O').u16(1).text("a").c('N').u16(1).text("b").b));
  EXPECT_EQ(full.old_kind, 'O');
  EXPECT_EQ(full.old_tuple[0].data, "a");
  EXPECT_EQ(full.new_tuple[0].data, "b");

  auto d = std::get<DeleteMsg>(decode_message(Bytes{}.c('D').u32(7).c('K').u16(1).text("9").b));
  EXPECT_EQ(d.old_kind, 'K');
  EXPECT_EQ(d.old_tuple[0].data, "9");
}

TEST(PgOutput, TruncateListsRelationsAndOptions) {
  auto t = std::get<TruncateMsg>(decode_message(Bytes{}.c('T').u32(2).c(3).u32(5).u32(6).b));
  EXPECT_TRUE(t.cascade);
  EXPECT_TRUE(t.restart_identity);
  EXPECT_EQ(t.relation_ids, (std::vector<std::uint32_t>{5, 6}));
}

TEST(PgOutput, MalformedInputNamesWhatWasBeingRead) {
  auto message_of = [](const std::string& b) {
    try {
      decode_message(b);
    } catch (const ProtocolError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message_of(Bytes{}.c('B').u64(1).b).find("Begin commit timestamp"), std::string::npos);
  EXPECT_NE(message_of("Z").find("unknown message type 'Z'"), std::string::npos);
  EXPECT_NE(message_of(Bytes{}.c('I').u32(1).c('N').u16(1).c('t').u32(10).b).find("tuple value"),
            std::string::npos);
  EXPECT_NE(message_of(Bytes{}.c('I').u32(1).c('N').u16(1).c('q').b).find("kind 'q'"),
            std::string::npos);
  EXPECT_NE(message_of(Bytes{}.c('R').u32(1).s("public").b).find("Relation name"),
            std::string::npos);
  EXPECT_NE(message_of(Bytes{}.c('C').c(0).u64(1).u64(2).u64(3).c('x').b).find("trailing"),
            std::string::npos);
}

TEST(PgOutput, FramesAndStatusUpdate) {
  // XLogData's payload views the frame, so the frame must outlive it.
  const std::string frame = Bytes{}.c('w').u64(10).u64(20).u64(0).c('B').b;
  auto w = std::get<XLogData>(decode_frame(frame));
  EXPECT_EQ(w.start_lsn, 10u);
  EXPECT_EQ(w.wal_end, 20u);
  EXPECT_EQ(w.send_time_us, kPgEpochOffsetMicros);
  EXPECT_EQ(w.payload, "B");
  auto k = std::get<Keepalive>(decode_frame(Bytes{}.c('k').u64(30).u64(0).c(1).b));
  EXPECT_EQ(k.wal_end, 30u);
  EXPECT_TRUE(k.reply_requested);
  EXPECT_THROW(decode_frame("x"), ProtocolError);

  const std::string s = encode_status_update(1, 2, 3, kPgEpochOffsetMicros + 5, true);
  EXPECT_EQ(s, Bytes{}.c('r').u64(1).u64(2).u64(3).u64(5).c(1).b);
}

}  // namespace
}  // namespace tributary::pg
