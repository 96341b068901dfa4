// Stream positions of the PostgreSQL connector (pg_position.h): reading stored offsets back,
// which emitted transactions a durable offset releases and how far the slot may be confirmed,
// and the checks of the slot a stored offset is resumed from.
#include <gtest/gtest.h>

#include "pg_position.h"

namespace tributary::pg {
namespace {

OffsetMap streamed(std::int64_t xid, Lsn lsn, std::optional<Lsn> lsn_commit) {
  OffsetMap o = OffsetMap::object();
  o["lsn_proc"] = lsn;
  if (lsn_commit)
    o["lsn_commit"] = *lsn_commit;
  else
    o["lsn_commit"] = nullptr;
  o["lsn"] = lsn;
  o["txId"] = xid;
  o["ts_usec"] = 1700000000000000LL;
  return o;
}

TEST(PgPosition, ReadsStreamedAndSnapshotOffsets) {
  StoredPosition p = read_position(streamed(770, 0x3000, 0x2000));
  EXPECT_FALSE(p.in_snapshot);
  EXPECT_TRUE(p.snapshot_done);
  EXPECT_EQ(p.lsn, 0x3000u);
  EXPECT_EQ(p.lsn_commit, std::optional<Lsn>(0x2000));
  EXPECT_EQ(p.txid, std::optional<std::int64_t>(770));
  EXPECT_EQ(p.ts_usec, 1700000000000000LL);
  EXPECT_EQ(p.furthest, 0x3000u);

  // An event of a transaction that began before the previous one committed: its lsn is below
  // lsn_commit, which is then the furthest position the offset vouches for.
  EXPECT_EQ(read_position(streamed(771, 0x1800, 0x2000)).furthest, 0x2000u);
  p = read_position(streamed(0, 0x3000, std::nullopt));
  EXPECT_FALSE(p.lsn_commit.has_value());

  OffsetMap snap = {{"last_snapshot_record", false},
                    {"lsn", 0x5000},
                    {"txId", 12},
                    {"ts_usec", 1},
                    {"snapshot", true}};
  p = read_position(snap);
  EXPECT_TRUE(p.in_snapshot);
  EXPECT_FALSE(p.snapshot_done);
  EXPECT_FALSE(p.txid.has_value());
  EXPECT_EQ(p.furthest, 0x5000u);
  snap["last_snapshot_record"] = true;
  EXPECT_TRUE(read_position(snap).snapshot_done);
}

// Transactions A (xid 10) and B (xid 12) emitted records; the stream's order is A, a filtered
// transaction (xid 11), B.
std::deque<EmittedTxn> a_then_b() {
  return {{10, 0x1100, 0x1200, 0x1200}, {12, 0x1500, 0x1600, 0x1600}};
}

TEST(PgPosition, ARecordReleasesItsTransactionOnlyAtItsLastEvent) {
  auto txns = a_then_b();
  // An event of A before its last one: A stays; the slot may go to the event's LSN.
  EXPECT_EQ(release_durable(txns, read_position(streamed(10, 0x1080, 0x1000))), 0x1080u);
  EXPECT_EQ(txns.size(), 2u);
  // A's last event: A is released, up to the end of its commit.
  EXPECT_EQ(release_durable(txns, read_position(streamed(10, 0x1100, 0x1000))), 0x1200u);
  ASSERT_EQ(txns.size(), 1u);
  EXPECT_EQ(txns.front().xid, 12);
  // B's last event (lsn_commit: the filtered transaction's end) releases B.
  EXPECT_EQ(release_durable(txns, read_position(streamed(12, 0x1500, 0x1400))), 0x1600u);
  EXPECT_TRUE(txns.empty());
}

TEST(PgPosition, AHeartbeatReleasesOnlyWhatCommittedBeforeIt) {
  // A heartbeat taken after the filtered transaction 11 (lsn_commit its end 0x1400, txId 11)
  // is durable while B, which committed after the heartbeat, is still in flight: A is released,
  // B is not (before, an offset whose txId matched no emitted transaction released them all).
  auto txns = a_then_b();
  EXPECT_EQ(release_durable(txns, read_position(streamed(11, 0x1400, 0x1400))), 0x1400u);
  ASSERT_EQ(txns.size(), 1u);
  EXPECT_EQ(txns.front().xid, 12);
  // The same before any transaction was seen since the start (txId 0, no lsn_commit).
  txns = a_then_b();
  EXPECT_EQ(release_durable(txns, read_position(streamed(0, 0x0900, std::nullopt))), 0x0900u);
  EXPECT_EQ(txns.size(), 2u);
}

TEST(PgPosition, AHeartbeatAtAKeepaliveConfirmsItsPosition) {
  // Nothing in flight, only keepalives since B (a publication of the captured tables only):
  // the heartbeat carries the keepalive's WAL end, and the slot may be confirmed that far.
  auto txns = a_then_b();
  EXPECT_EQ(release_durable(txns, read_position(streamed(12, 0x9000, 0x1600))), 0x9000u);
  EXPECT_TRUE(txns.empty());
}

TEST(PgPosition, SnapshotOffsetsCoverNoStreamedEvent) {
  OffsetMap snap = {{"last_snapshot_record", true}, {"lsn", 0x5000}, {"snapshot", true}};
  EXPECT_FALSE(covers(read_position(snap), 10, 0x1100, 0x1000));
}

TEST(PgPosition, CoversLaterEventsAndOffsetsAfterTheCommit) {
  // The last emitted event: xid 10 at 0x1100, emitted when the last commit was 0x1000.
  EXPECT_TRUE(covers(read_position(streamed(10, 0x1100, 0x1000)), 10, 0x1100, 0x1000));
  EXPECT_FALSE(covers(read_position(streamed(10, 0x1080, 0x1000)), 10, 0x1100, 0x1000));
  // A heartbeat after transaction 10 committed (and a filtered one after it).
  EXPECT_TRUE(covers(read_position(streamed(11, 0x1400, 0x1400)), 10, 0x1100, 0x1000));
  EXPECT_TRUE(covers(read_position(streamed(11, 0x1400, 0x1200)), 10, 0x1100, std::nullopt));
  // A heartbeat taken before it: same lsn_commit, another txId.
  EXPECT_FALSE(covers(read_position(streamed(9, 0x1000, 0x1000)), 10, 0x1100, 0x1000));
  EXPECT_FALSE(covers(read_position(streamed(0, 0x0900, std::nullopt)), 10, 0x1100, std::nullopt));
}

TEST(PgPosition, MissingSlotMessageNamesSlotDatabaseOffsetAndWhatToDo) {
  const std::string m = missing_slot_message(
      "orders_slot", "shop", "orders", read_position(streamed(7, 0x16B374D848, 0x16B374D000)));
  EXPECT_NE(m.find("Replication slot 'orders_slot' of database 'shop' does not exist"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("lsn 16/B374D848"), std::string::npos) << m;
  EXPECT_NE(m.find("lost"), std::string::npos) << m;
  EXPECT_NE(m.find("PUT /connectors/orders/stop"), std::string::npos) << m;
  EXPECT_NE(m.find("DELETE /connectors/orders/offsets"), std::string::npos) << m;
  EXPECT_NE(m.find("snapshot.mode=when_needed"), std::string::npos) << m;
}

TEST(PgPosition, SlotAheadAtStartGoesByRestartLsn) {
  const StoredPosition stored = read_position(streamed(7, 0x5000, 0x4F00));
  // Confirmed past the offset (the end of its transaction, transactions of other tables) while
  // the WAL at the offset is still kept: nothing to say.
  EXPECT_FALSE(slot_ahead_warning("s", "d", {0x9000, 0x4000}, stored, std::nullopt));
  EXPECT_FALSE(slot_ahead_warning("s", "d", {0x5000, 0x5000}, stored, std::nullopt));
  // A slot re-created (or advanced) after the offset: its restart_lsn is past it.
  auto w = slot_ahead_warning("s", "d", {0x90000, 0x8FF00}, stored, std::nullopt);
  ASSERT_TRUE(w);
  EXPECT_NE(w->find("Replication slot 's' of database 'd'"), std::string::npos) << *w;
  EXPECT_NE(w->find("confirmed_flush_lsn 0/90000"), std::string::npos) << *w;
  EXPECT_NE(w->find("stored offset (lsn 0/5000)"), std::string::npos) << *w;
}

TEST(PgPosition, SlotAheadOnReconnectGoesByWhatThisTaskConfirmed) {
  const StoredPosition stored = read_position(streamed(7, 0x5000, 0x4F00));
  EXPECT_FALSE(slot_ahead_warning("s", "d", {0x7000, 0x4000}, stored, Lsn{0x7000}));
  EXPECT_FALSE(slot_ahead_warning("s", "d", {0x4000, 0x3000}, stored, Lsn{0x7000}));
  auto w = slot_ahead_warning("s", "d", {0x7001, 0x4000}, stored, Lsn{0x7000});
  ASSERT_TRUE(w);
  EXPECT_NE(w->find("confirmed_flush_lsn 0/7001"), std::string::npos) << *w;
  EXPECT_NE(w->find("this task confirmed (0/7000)"), std::string::npos) << *w;
}

}  // namespace
}  // namespace tributary::pg
