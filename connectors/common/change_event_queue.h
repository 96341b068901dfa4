// Debezium's ChangeEventQueue: the bounded queue between a connector's reader thread, which
// decodes the database's log or snapshot into batches of records, and the task's poll(), which
// hands them to the worker (transforms, converters, producer) on the task thread. At most
// read_ahead() records (min(max.queue.size - max.batch.size, max.batch.size / 2): half a batch
// keeps both threads busy, more only costs memory, and the queue plus the batch the worker
// holds stay within max.queue.size) and max.queue.size.in.bytes source bytes are queued.
//
// Threading: push(), fail(), end(), wait_for_room() and take_spent() are the reader's; poll()
// and recycle() the task thread's; close() and wake_reader() any thread. One mutex guards the
// batches; the counts are also atomics so that metrics and batch_full() read them without it. No
// call holds the mutex while it blocks on anything but its own condition variables.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <vector>

#include "tributary/record.h"

namespace tributary::cdc {

class ChangeEventQueue {
 public:
  ChangeEventQueue() = default;
  /// max.batch.size, max.queue.size (> max.batch.size), max.queue.size.in.bytes (0: no limit).
  /// Called by the task's start() before the reader starts (close() may run meanwhile).
  void configure(int max_batch, int max_queue, std::int64_t max_queue_bytes);

  int read_ahead() const { return read_ahead_; }
  std::size_t records() const { return records_; }
  std::size_t bytes() const { return bytes_; }

  // ---- Reader side ----
  /// Whether a batch being filled with `records` / `bytes` so far is complete, counting what is
  /// queued (read_ahead() <= max.batch.size / 2, so this also bounds the batch).
  bool batch_full(std::size_t records, std::size_t bytes) const;
  /// Waits up to `wait` while the queue is full; true when there is room. Returns early on
  /// close() or wake_reader().
  bool wait_for_room(std::chrono::milliseconds wait);
  void push(std::vector<SourceRecord>&& batch, std::size_t bytes);
  /// The reader failed: poll() rethrows `error` once the batches queued before it are out.
  void fail(std::exception_ptr error);
  /// The reader ended (stopped, or the task has nothing to read): poll() stops waiting.
  void end();
  /// After push(): replaces `out` (empty) with a batch the task thread handed back through
  /// recycle(), if there is one, for the reader to clear(): its records are freed on the thread
  /// that built them, and the vector's capacity holds the next batch.
  void take_spent(std::vector<SourceRecord>& out);

  // ---- Task thread ----
  /// Waits up to `wait` for a batch, the reader's end or failure, or close(); then moves whole
  /// batches into `out` (empty on entry) up to max.batch.size. With nothing queued, rethrows the
  /// reader's failure.
  void poll(std::vector<SourceRecord>& out, std::chrono::milliseconds wait);

  /// A batch the worker is done with (SourceTask::recycle): kept for the reader's take_spent()
  /// unless one is kept already (then `spent` is left as it was, for the caller to free: the
  /// records waiting for the reader stay within one batch; peak RSS streaming 61 MB, 60 MB
  /// without).
  void recycle(std::vector<SourceRecord>& spent);

  // ---- Any thread ----
  /// Ends every wait at once, now and later (the task's stop()).
  void close();
  /// Ends the reader's wait_for_room() (new work for the reader, such as offsets to confirm).
  void wake_reader();

 private:
  struct Batch {
    std::vector<SourceRecord> records;
    std::size_t bytes;
  };
  bool full_locked() const;

  int max_batch_ = 2048;
  int read_ahead_ = 1024;
  std::int64_t max_bytes_ = 0;
  std::mutex mu_;
  std::condition_variable data_cv_;   // a batch queued, the reader failed or ended, closed
  std::condition_variable space_cv_;  // room in the queue, wake_reader(), closed
  std::deque<Batch> batches_;
  std::vector<std::vector<SourceRecord>> spent_;  // recycle()'d, at most kMaxSpent
  static constexpr std::size_t kMaxSpent = 1;     // a second one cost RSS and saved no CPU
  std::atomic<std::size_t> records_{0};
  std::atomic<std::size_t> bytes_{0};
  std::exception_ptr error_;
  bool ended_ = false;
  bool closed_ = false;
  bool reader_woken_ = false;
};

}  // namespace tributary::cdc
