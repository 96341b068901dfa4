// The metrics every Debezium-style connector publishes on the worker's /metrics: Debezium's
// streaming and snapshot metrics under the names Debezium's JMX exporter configuration gives them
// (debezium_metrics_<Name>, labels plugin=<postgres|mysql|mariadb>, name=<topic.prefix>,
// context="streaming" | "snapshot"; RowsScanned adds table=<container.table>). Each connector adds
// its own beside them (PgMetrics: the replication slot; MySqlMetrics: the binlog position).
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

namespace tributary::cdc {

class CdcMetrics {
 public:
  CdcMetrics(SourceTaskContext& ctx, std::string plugin, const std::string& prefix,
             int queue_capacity, std::int64_t queue_max_bytes);
  virtual ~CdcMetrics() = default;

  // Streaming.
  std::int64_t seen = 0, creates = 0, updates = 0, deletes = 0, filtered = 0, committed = 0;
  std::int64_t last_event_ms = 0;       // wall time the last event was processed
  std::int64_t last_event_lag_ms = -1;  // processing time minus commit time of the last event
  bool connected = false;
  // Snapshot.
  bool snapshot_running = false, snapshot_completed = false, snapshot_aborted = false;
  int total_tables = 0, remaining_tables = 0;
  std::int64_t snapshot_events = 0;
  std::int64_t snapshot_start_ms = 0, snapshot_end_ms = 0;

  /// Copies the counters to the gauges; `queued` / `queued_bytes`: the events and source bytes
  /// in the queue between the reader and poll().
  virtual void publish(std::size_t queued, std::size_t queued_bytes);
  /// RowsScanned of one table; called per table switch and per poll, not per row.
  void set_rows_scanned(const std::string& table, std::int64_t rows);

 protected:
  MetricGauge& streaming(const char* name, const char* help);
  MetricGauge& snapshot(const char* name, const char* help);
  SourceTaskContext& ctx_;

 private:
  std::string plugin_;
  std::string prefix_;
  int capacity_;
  std::int64_t max_bytes_;
  MetricGauge *behind_, *seen_, *creates_, *updates_, *deletes_, *filtered_, *committed_,
      *since_last_, *capacity_g_, *remaining_, *max_bytes_g_, *current_bytes_, *connected_;
  MetricGauge *snap_running_, *snap_completed_, *snap_aborted_, *snap_total_, *snap_remaining_,
      *snap_duration_, *snap_seen_, *snap_capacity_, *snap_remaining_capacity_;
  std::map<std::string, MetricGauge*> rows_scanned_g_;
};

}  // namespace tributary::cdc
