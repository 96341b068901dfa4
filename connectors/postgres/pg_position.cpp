#include "pg_position.h"

#include <algorithm>

namespace tributary::pg {
namespace {

std::optional<std::int64_t> int_of(const OffsetMap& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<std::int64_t>();
}

Lsn lsn_of(std::optional<std::int64_t> v) {
  return v && *v > 0 ? static_cast<Lsn>(*v) : 0;
}

std::string bytes(Lsn from, Lsn to) {
  return std::to_string(to > from ? to - from : 0);
}

}  // namespace

StoredPosition read_position(const OffsetMap& offset) {
  StoredPosition p;
  if (!offset.is_object()) return p;
  p.in_snapshot = offset.value("snapshot", false);
  p.snapshot_done = !p.in_snapshot || offset.value("last_snapshot_record", false);
  p.lsn = lsn_of(int_of(offset, "lsn"));
  p.ts_usec = int_of(offset, "ts_usec").value_or(0);
  if (!p.in_snapshot) {
    if (auto c = int_of(offset, "lsn_commit")) p.lsn_commit = lsn_of(c);
    p.txid = int_of(offset, "txId");
  }
  p.furthest = std::max({p.lsn, lsn_of(int_of(offset, "lsn_proc")), p.lsn_commit.value_or(0)});
  return p;
}

Lsn release_durable(std::deque<EmittedTxn>& emitted, const StoredPosition& durable) {
  const Lsn commit = durable.lsn_commit.value_or(0);
  Lsn confirm = std::max(commit, durable.lsn);
  while (!emitted.empty()) {
    const EmittedTxn& t = emitted.front();
    const bool before = t.commit_mark <= commit && durable.lsn_commit.has_value();
    const bool own = durable.txid && t.xid == *durable.txid && durable.lsn >= t.last_lsn;
    if (!before && !own) break;
    confirm = std::max(confirm, t.end_lsn);
    emitted.pop_front();
  }
  return confirm;
}

bool covers(const StoredPosition& durable, std::int64_t xid, Lsn lsn,
            std::optional<Lsn> last_commit) {
  if (durable.in_snapshot) return false;
  if (durable.txid && *durable.txid == xid && durable.lsn >= lsn) return true;
  return durable.lsn_commit && *durable.lsn_commit > last_commit.value_or(0);
}

std::string missing_slot_message(const std::string& slot, const std::string& db,
                                 const std::string& connector, const StoredPosition& stored) {
  const std::string n = connector.empty() ? "<name>" : connector;
  return "Replication slot '" + slot + "' of database '" + db +
         "' does not exist, but the connector has a stored offset (lsn " +
         format_lsn(stored.furthest) + (stored.in_snapshot ? ", the end of its snapshot" : "") +
         "): a new slot would only hold the changes from now on, so the changes since then are "
         "lost to it. Reset the offsets (PUT /connectors/" +
         n + "/stop, then DELETE /connectors/" + n +
         "/offsets) to start over, or use snapshot.mode=when_needed to take a new snapshot";
}

std::optional<std::string> slot_ahead_warning(const std::string& slot, const std::string& db,
                                              const SlotState& state, const StoredPosition& stored,
                                              std::optional<Lsn> confirmed_here) {
  const std::string head = "Replication slot '" + slot + "' of database '" + db +
                           "' has confirmed_flush_lsn " + format_lsn(state.confirmed_flush) +
                           " and restart_lsn " + format_lsn(state.restart_lsn);
  if (confirmed_here) {
    const Lsn known = std::max(*confirmed_here, stored.furthest);
    if (state.confirmed_flush <= known) return std::nullopt;
    return head + ", " + bytes(known, state.confirmed_flush) +
           " bytes past what this task confirmed (" + format_lsn(*confirmed_here) +
           ") and the last position it returned (lsn " + format_lsn(stored.furthest) +
           "): another client advanced the slot, or dropped and re-created it, while the "
           "connection was down. Streaming resumes at " +
           format_lsn(state.confirmed_flush) +
           "; changes committed in between are lost to the connector";
  }
  if (state.restart_lsn <= stored.furthest) return std::nullopt;
  return head + ", past the stored offset (lsn " + format_lsn(stored.furthest) + ") by " +
         bytes(stored.furthest, state.confirmed_flush) +
         " bytes: the WAL at the stored position is no longer kept and streaming resumes at " +
         format_lsn(state.confirmed_flush) +
         ". Nothing is lost if only tables the connector does not capture changed in between "
         "(without heartbeat.interval.ms the connector confirms their transactions without "
         "storing an offset); if another client advanced the slot, or dropped and re-created "
         "it, the changes in between are lost: reset the offsets to take a new snapshot";
}

}  // namespace tributary::pg
