#include "cdc_metrics.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace tributary::cdc {
namespace {
std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
constexpr const char* kSeenHelp =
    "Events seen since the task started (streaming: c/u/d/t, snapshot: r)";
constexpr const char* kCapacityHelp = "Events the queue holds at most (max.queue.size)";
constexpr const char* kRemainingHelp =
    "Free event slots in the queue between the log reader and poll";
}  // namespace

MetricGauge& CdcMetrics::streaming(const char* name, const char* help) {
  return ctx_.gauge(std::string("debezium_metrics_") + name, help,
                    {{"plugin", plugin_}, {"name", prefix_}, {"context", "streaming"}});
}

MetricGauge& CdcMetrics::snapshot(const char* name, const char* help) {
  return ctx_.gauge(std::string("debezium_metrics_") + name, help,
                    {{"plugin", plugin_}, {"name", prefix_}, {"context", "snapshot"}});
}

CdcMetrics::CdcMetrics(SourceTaskContext& ctx, std::string plugin, const std::string& prefix,
                       int queue_capacity, std::int64_t queue_max_bytes)
    : ctx_(ctx),
      plugin_(std::move(plugin)),
      prefix_(prefix),
      capacity_(queue_capacity),
      max_bytes_(queue_max_bytes) {
  behind_ = &streaming("MilliSecondsBehindSource",
                       "Milliseconds between a change's commit in the source and its processing "
                       "(last event)");
  seen_ = &streaming("TotalNumberOfEventsSeen", kSeenHelp);
  creates_ = &streaming("TotalNumberOfCreateEventsSeen", "Create (c) events seen");
  updates_ = &streaming("TotalNumberOfUpdateEventsSeen", "Update (u) events seen");
  deletes_ = &streaming("TotalNumberOfDeleteEventsSeen", "Delete (d) events seen");
  filtered_ = &streaming("NumberOfEventsFiltered",
                         "Changes dropped by the table filters or skipped.operations");
  committed_ = &streaming("NumberOfCommittedTransactions", "Source transactions processed");
  since_last_ = &streaming("MilliSecondsSinceLastEvent",
                           "Milliseconds since the last event was processed (-1: none yet)");
  capacity_g_ = &streaming("QueueTotalCapacity", kCapacityHelp);
  remaining_ = &streaming("QueueRemainingCapacity", kRemainingHelp);
  max_bytes_g_ = &streaming("MaxQueueSizeInBytes", "max.queue.size.in.bytes (0: no limit)");
  current_bytes_ = &streaming("CurrentQueueSizeInBytes", "Bytes held in the queue");
  connected_ = &streaming("Connected", "1 while the replication stream is connected");
  snap_running_ = &snapshot("SnapshotRunning", "1 while the snapshot runs");
  snap_completed_ = &snapshot("SnapshotCompleted", "1 once the snapshot has completed");
  snap_aborted_ = &snapshot("SnapshotAborted", "1 if the snapshot was aborted");
  snap_total_ = &snapshot("TotalTableCount", "Tables the snapshot covers");
  snap_remaining_ = &snapshot("RemainingTableCount", "Tables the snapshot has not started yet");
  snap_duration_ = &snapshot("SnapshotDurationInSeconds", "Seconds the snapshot has taken");
  snap_seen_ = &snapshot("TotalNumberOfEventsSeen", kSeenHelp);
  snap_capacity_ = &snapshot("QueueTotalCapacity", kCapacityHelp);
  snap_remaining_capacity_ = &snapshot("QueueRemainingCapacity", kRemainingHelp);
  since_last_->set(-1);
  publish(0, 0);
}

void CdcMetrics::publish(std::size_t queued, std::size_t queued_bytes) {
  const auto now = wall_ms();
  behind_->set(last_event_lag_ms < 0 ? 0 : static_cast<double>(last_event_lag_ms));
  seen_->set(static_cast<double>(seen));
  creates_->set(static_cast<double>(creates));
  updates_->set(static_cast<double>(updates));
  deletes_->set(static_cast<double>(deletes));
  filtered_->set(static_cast<double>(filtered));
  committed_->set(static_cast<double>(committed));
  since_last_->set(last_event_ms == 0 ? -1 : static_cast<double>(now - last_event_ms));
  connected_->set(connected ? 1 : 0);
  const double remaining =
      static_cast<double>(capacity_) -
      static_cast<double>(std::min<std::size_t>(queued, static_cast<std::size_t>(capacity_)));
  capacity_g_->set(capacity_);
  max_bytes_g_->set(static_cast<double>(max_bytes_));
  snap_capacity_->set(capacity_);
  if (snapshot_running) {
    snap_remaining_capacity_->set(remaining);
    remaining_->set(capacity_);
    current_bytes_->set(0);
  } else {
    snap_remaining_capacity_->set(capacity_);
    remaining_->set(remaining);
    current_bytes_->set(static_cast<double>(queued_bytes));
  }
  snap_running_->set(snapshot_running ? 1 : 0);
  snap_completed_->set(snapshot_completed ? 1 : 0);
  snap_aborted_->set(snapshot_aborted ? 1 : 0);
  snap_total_->set(total_tables);
  snap_remaining_->set(remaining_tables);
  snap_seen_->set(static_cast<double>(snapshot_events));
  if (snapshot_start_ms > 0) {
    const auto end = snapshot_end_ms > 0 ? snapshot_end_ms : now;
    snap_duration_->set(static_cast<double>(end - snapshot_start_ms) / 1000.0);
  }
}

void CdcMetrics::set_rows_scanned(const std::string& table, std::int64_t rows) {
  auto& g = rows_scanned_g_[table];
  if (!g)
    g = &ctx_.gauge(
        "debezium_metrics_RowsScanned", "Rows the snapshot has read per table",
        {{"plugin", plugin_}, {"name", prefix_}, {"context", "snapshot"}, {"table", table}});
  g->set(static_cast<double>(rows));
}

}  // namespace tributary::cdc
