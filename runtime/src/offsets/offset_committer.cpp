#include "offsets/offset_committer.h"

#include <exception>
#include <utility>

namespace tributary {

OffsetCommitter::OffsetCommitter(OffsetStore& store, std::string connector,
                                 std::function<bool()> cancelled)
    : store_(store), connector_(std::move(connector)), cancelled_(std::move(cancelled)) {}

OffsetCommitter::~OffsetCommitter() {
  {
    std::lock_guard lk(mu_);
    ending_ = true;
  }
  cv_.notify_all();
  if (writer_.joinable()) writer_.join();
}

void OffsetCommitter::submit(std::vector<OffsetEntry> entries, std::chrono::milliseconds timeout) {
  {
    std::lock_guard lk(mu_);
    job_.emplace(std::move(entries), timeout);
    result_.reset();
  }
  busy_ = true;
  if (!writer_.joinable()) writer_ = std::thread([this] { run(); });
  cv_.notify_all();
}

std::optional<OffsetCommitter::Result> OffsetCommitter::take() {
  return wait(std::chrono::milliseconds(0));
}

std::optional<OffsetCommitter::Result> OffsetCommitter::wait(std::chrono::milliseconds wait) {
  if (!busy_) return std::nullopt;
  std::unique_lock lk(mu_);
  if (!result_ && wait.count() > 0) cv_.wait_for(lk, wait, [&] { return result_.has_value(); });
  if (!result_) return std::nullopt;
  std::optional<Result> r = std::move(result_);
  result_.reset();
  busy_ = false;
  return r;
}

void OffsetCommitter::run() {
  std::unique_lock lk(mu_);
  for (;;) {
    cv_.wait(lk, [&] { return job_.has_value() || ending_; });
    if (!job_) return;  // ending, nothing left to write
    auto [entries, timeout] = std::move(*job_);
    job_.reset();
    lk.unlock();
    Result r;
    if (cancelled_ && cancelled_()) {
      r.cancelled = true;
    } else {
      try {
        store_.put(connector_, entries, timeout);
        r.ok = true;
      } catch (const std::exception& e) {
        r.error = e.what();
      }
    }
    entries.clear();  // freed here, off the owner's thread
    lk.lock();
    result_ = std::move(r);
    cv_.notify_all();
  }
}

}  // namespace tributary
