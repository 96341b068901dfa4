#include "pg_metrics.h"

namespace tributary::pg {

PgMetrics::PgMetrics(SourceTaskContext& ctx, const std::string& prefix, const std::string& slot,
                     int queue_capacity, std::int64_t queue_max_bytes)
    : CdcMetrics(ctx, "postgres", prefix, queue_capacity, queue_max_bytes) {
  last_txid_ =
      &streaming("LastTransactionId", "PostgreSQL transaction id of the last event (-1: none yet)");
  slot_retained_ = &ctx.gauge("tributary_postgres_slot_retained_wal_bytes",
                              "WAL the replication slot keeps on the server: "
                              "pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)",
                              {{"slot", slot}});
  slot_lag_ = &ctx.gauge("tributary_postgres_slot_confirmed_lag_bytes",
                         "WAL written since the slot's confirmed flush LSN: "
                         "pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)",
                         {{"slot", slot}});
  last_txid_->set(-1);
}

void PgMetrics::publish(std::size_t queued, std::size_t queued_bytes) {
  CdcMetrics::publish(queued, queued_bytes);
  if (last_txid >= 0) last_txid_->set(static_cast<double>(last_txid));
}

void PgMetrics::set_slot(double retained_bytes, double confirmed_lag_bytes) {
  slot_retained_->set(retained_bytes);
  slot_lag_->set(confirmed_lag_bytes);
}

}  // namespace tributary::pg
