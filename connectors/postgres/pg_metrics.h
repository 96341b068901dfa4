// The PostgreSQL connector's metrics: the shared Debezium streaming and snapshot metrics
// (connectors/common/cdc_metrics.h, plugin="postgres"), LastTransactionId, and the replication
// slot's retained WAL.
//
// Threading: the task's reader thread only (gauges are safe to set from any thread).
#pragma once

#include <cstdint>
#include <string>

#include "cdc_metrics.h"

namespace tributary::pg {

class PgMetrics : public cdc::CdcMetrics {
 public:
  PgMetrics(SourceTaskContext& ctx, const std::string& prefix, const std::string& slot,
            int queue_capacity, std::int64_t queue_max_bytes);

  std::int64_t last_txid = -1;

  void publish(std::size_t queued, std::size_t queued_bytes) override;
  /// The slot's WAL retention (pg_current_wal_lsn() - restart_lsn) and the distance from the
  /// current WAL position to its confirmed flush LSN, in bytes.
  void set_slot(double retained_bytes, double confirmed_lag_bytes);

 private:
  MetricGauge *last_txid_, *slot_retained_, *slot_lag_;
};

}  // namespace tributary::pg
