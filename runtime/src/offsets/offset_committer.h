// OffsetCommitter: writes one task's offsets to the OffsetStore on a thread of its own, so that a
// slow write (the offsets file's fsync and rename, the offsets topic's acknowledgement) never
// stalls the task's data path: records keep flowing and Kafka's acknowledgements keep being
// served while offsets are written. Kafka Connect commits source offsets from its
// SourceTaskOffsetCommitter thread for the same reason. One write at a time, each one after the
// one before it has ended, so a later offset is never overwritten by an earlier one.
//
// Threading: submit(), busy(), take() and wait() are the owner's (the task thread). The writer
// thread only calls OffsetStore::put (thread-safe, bounded by the submitted timeout) and the
// `cancelled` predicate; it holds no lock while it writes. The destructor waits for the write in
// flight (its timeout bounds it) and joins the writer.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "offsets/offset_store.h"

namespace tributary {

class OffsetCommitter {
 public:
  struct Result {
    bool ok = false;
    bool cancelled = false;  // `cancelled` said so before the write began: nothing was written
    std::string error;       // the store's message when !ok && !cancelled
  };

  /// `cancelled` is asked on the writer thread just before each write (e.g. the task was fenced:
  /// its offsets must not be written any more).
  OffsetCommitter(OffsetStore& store, std::string connector, std::function<bool()> cancelled);
  ~OffsetCommitter();
  OffsetCommitter(const OffsetCommitter&) = delete;
  OffsetCommitter& operator=(const OffsetCommitter&) = delete;

  /// A write was submitted and its result has not been taken yet.
  bool busy() const { return busy_; }
  /// Starts writing `entries` with `timeout` (OffsetStore::put). Requires !busy().
  void submit(std::vector<OffsetEntry> entries, std::chrono::milliseconds timeout);
  /// The submitted write's result once it has ended (then !busy()); nullopt while it runs or when
  /// nothing was submitted. Does not block.
  std::optional<Result> take();
  /// take(), waiting up to `wait` for the write to end.
  std::optional<Result> wait(std::chrono::milliseconds wait);

 private:
  void run();

  OffsetStore& store_;
  const std::string connector_;
  const std::function<bool()> cancelled_;
  bool busy_ = false;  // the owner's view: submitted, result not taken

  std::mutex mu_;
  std::condition_variable cv_;  // a job for the writer, a result for the owner, the end
  std::optional<std::pair<std::vector<OffsetEntry>, std::chrono::milliseconds>> job_;
  std::optional<Result> result_;
  bool ending_ = false;
  std::thread writer_;  // started by the first submit()
};

}  // namespace tributary
