// The connector's metrics on the worker's /metrics: Debezium's streaming and snapshot metrics
// under the names Debezium's JMX exporter configuration gives them (debezium_metrics_<Name>,
// labels plugin="postgres", name=<topic.prefix>, context="streaming" | "snapshot"; RowsScanned
// adds table=<schema.table>), and the replication slot's retained WAL.
//
// The task counts into plain fields on its hot path and publish() copies them to the gauges once
// per poll.
//
// Threading: the task's reader thread only (gauges are safe to set from any thread).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "tributary/connector.h"

namespace tributary::pg {

class PgMetrics {
 public:
  PgMetrics(SourceTaskContext& ctx, const std::string& prefix, const std::string& slot,
            int queue_capacity, std::int64_t queue_max_bytes);

  // Streaming.
  std::int64_t seen = 0, creates = 0, updates = 0, deletes = 0, filtered = 0, committed = 0;
  std::int64_t last_event_ms = 0;       // wall time the last event was processed
  std::int64_t last_event_lag_ms = -1;  // processing time minus commit time of the last event
  std::int64_t last_txid = -1;
  bool connected = false;
  // Snapshot.
  bool snapshot_running = false, snapshot_completed = false, snapshot_aborted = false;
  int total_tables = 0, remaining_tables = 0;
  std::int64_t snapshot_events = 0;
  std::int64_t snapshot_start_ms = 0, snapshot_end_ms = 0;

  /// Copies the counters to the gauges; `queued` / `queued_bytes`: the events and source bytes
  /// in the queue between the reader and poll().
  void publish(std::size_t queued, std::size_t queued_bytes);
  /// RowsScanned of one table (schema.table); called per table switch and per poll, not per row.
  void set_rows_scanned(const std::string& table, std::int64_t rows);
  /// The slot's WAL retention (pg_current_wal_lsn() - restart_lsn) and the distance from the
  /// current WAL position to its confirmed flush LSN, in bytes.
  void set_slot(double retained_bytes, double confirmed_lag_bytes);

 private:
  MetricGauge& streaming(const char* name, const char* help);
  MetricGauge& snapshot(const char* name, const char* help);

  SourceTaskContext& ctx_;
  std::string prefix_;
  int capacity_;
  std::int64_t max_bytes_;
  MetricGauge *behind_, *seen_, *creates_, *updates_, *deletes_, *filtered_, *committed_,
      *since_last_, *capacity_g_, *remaining_, *max_bytes_g_, *current_bytes_, *connected_,
      *last_txid_;
  MetricGauge *snap_running_, *snap_completed_, *snap_aborted_, *snap_total_, *snap_remaining_,
      *snap_duration_, *snap_seen_, *snap_capacity_, *snap_remaining_capacity_;
  MetricGauge *slot_retained_, *slot_lag_;
  std::map<std::string, MetricGauge*> rows_scanned_g_;
};

}  // namespace tributary::pg
