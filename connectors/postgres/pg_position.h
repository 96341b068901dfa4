// Rules about positions in the replication stream, kept apart from the task so that the unit
// tests can check them: what a stored offset vouches for, which emitted transactions a durable
// offset releases and how far the replication slot may then be confirmed, and whether the slot
// found at start can resume a stored offset without losing changes.
//
// Pure functions over values: no libpq, no server.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "pgoutput.h"
#include "tributary/record.h"

namespace tributary::pg {

/// A stored offset as the connector reads it back (Debezium 2.7's keys: lsn, lsn_proc,
/// lsn_commit, txId, ts_usec, and snapshot / last_snapshot_record during a snapshot).
struct StoredPosition {
  bool in_snapshot = false;       // "snapshot": true
  bool snapshot_done = false;     // a streamed position, or a snapshot whose last record was stored
  std::optional<Lsn> lsn_commit;  // end of the last commit before it (streamed offsets only)
  std::optional<std::int64_t> txid;  // streamed offsets only
  Lsn lsn = 0;
  std::int64_t ts_usec = 0;
  /// The furthest WAL position the offset vouches for: the highest of lsn, lsn_proc and
  /// lsn_commit.
  Lsn furthest = 0;
};
StoredPosition read_position(const OffsetMap& offset);

/// A transaction whose events were emitted and which committed: its xid, its last event's LSN,
/// the end of its commit (what the slot may be confirmed at once its events are durable) and the
/// lsn_commit that the offsets of what follows it carry (`commit_mark`).
struct EmittedTxn {
  std::int64_t xid = 0;
  Lsn last_lsn = 0;
  Lsn end_lsn = 0;
  Lsn commit_mark = 0;
};

/// After `durable` (a streamed offset: every record up to it was acknowledged by Kafka and the
/// offset is stored), pops from the front of `emitted` (in commit order) each transaction whose
/// events are now all durable: one that committed before the offset's position
/// (commit_mark <= lsn_commit), or the offset's own transaction once the offset is at or after
/// its last event. One that committed later stays, whatever the offset's txId.
///
/// Returns the highest LSN the slot may be confirmed at: the released commits' ends, the
/// offset's lsn_commit, and its lsn. Confirming the LSN of an event or of a heartbeat never
/// skips an event that is not durable: a transaction whose commit lies after that LSN is sent
/// again in full from the slot, and one whose commit lies before it was streamed, as a whole,
/// ahead of the record that carries the offset.
Lsn release_durable(std::deque<EmittedTxn>& emitted, const StoredPosition& durable);

/// Whether `durable` is at or after an emitted event: the event of transaction `xid` at `lsn`,
/// emitted when the last commit seen was `last_commit`. True for a later event of the same
/// transaction and for any offset that was taken after that transaction committed (its
/// lsn_commit is then past `last_commit`).
bool covers(const StoredPosition& durable, std::int64_t xid, Lsn lsn,
            std::optional<Lsn> last_commit);

/// The replication slot, as pg_replication_slots shows it.
struct SlotState {
  Lsn confirmed_flush = 0;
  Lsn restart_lsn = 0;
};

/// Why the task fails when it has a stored offset to resume from but its slot is gone: a new
/// slot would only hold the changes from now on, so the ones since the offset would be lost.
std::string missing_slot_message(const std::string& slot, const std::string& db,
                                 const std::string& connector, const StoredPosition& stored);

/// A warning when resuming `stored` from `slot` may skip changes, or nullopt.
///
/// At start (`confirmed_here` empty) the task cannot know how far it confirmed the slot before,
/// so it goes by the slot's restart_lsn, as Debezium does: past the offset's furthest position,
/// the WAL there is gone, which the connector's own confirmations only cause when it confirmed
/// transactions of tables it does not capture without storing an offset for them (no
/// heartbeats); otherwise another client advanced, or dropped and re-created, the slot.
/// On a reconnect `confirmed_here` is the highest LSN this task reported to the slot: a slot
/// whose confirmed_flush_lsn is past both it and the offset was moved by someone else.
std::optional<std::string> slot_ahead_warning(const std::string& slot, const std::string& db,
                                              const SlotState& state, const StoredPosition& stored,
                                              std::optional<Lsn> confirmed_here);

}  // namespace tributary::pg
