#include "change_event_queue.h"

#include <algorithm>
#include <iterator>

namespace tributary::cdc {

void ChangeEventQueue::configure(int max_batch, int max_queue, std::int64_t max_queue_bytes) {
  max_batch_ = std::max(1, max_batch);
  read_ahead_ = std::max(1, std::min(max_queue - max_batch_, max_batch_ / 2));
  max_bytes_ = max_queue_bytes;
}

bool ChangeEventQueue::batch_full(std::size_t records, std::size_t bytes) const {
  if (records + records_ >= static_cast<std::size_t>(read_ahead_)) return true;
  return max_bytes_ > 0 && static_cast<std::int64_t>(bytes + bytes_) >= max_bytes_;
}

bool ChangeEventQueue::full_locked() const {
  return records_ >= static_cast<std::size_t>(read_ahead_) ||
         (max_bytes_ > 0 && static_cast<std::int64_t>(bytes_.load()) >= max_bytes_);
}

bool ChangeEventQueue::wait_for_room(std::chrono::milliseconds wait) {
  std::unique_lock lk(mu_);
  if (full_locked() && !closed_ && !reader_woken_)
    space_cv_.wait_for(lk, wait, [&] { return !full_locked() || closed_ || reader_woken_; });
  reader_woken_ = false;
  return !full_locked();
}

void ChangeEventQueue::push(std::vector<SourceRecord>&& batch, std::size_t bytes) {
  if (batch.empty()) return;
  std::lock_guard lk(mu_);
  records_ += batch.size();
  bytes_ += bytes;
  batches_.push_back({std::move(batch), bytes});
  data_cv_.notify_one();
}

void ChangeEventQueue::take_spent(std::vector<SourceRecord>& out) {
  std::lock_guard lk(mu_);
  if (spent_.empty() || !out.empty()) return;
  out.swap(spent_.back());
  spent_.pop_back();
}

void ChangeEventQueue::recycle(std::vector<SourceRecord>& spent) {
  if (spent.empty()) return;
  std::lock_guard lk(mu_);
  if (closed_ || spent_.size() >= kMaxSpent) return;
  spent_.emplace_back().swap(spent);
}

void ChangeEventQueue::fail(std::exception_ptr error) {
  std::lock_guard lk(mu_);
  error_ = std::move(error);
  data_cv_.notify_all();
}

void ChangeEventQueue::end() {
  std::lock_guard lk(mu_);
  ended_ = true;
  data_cv_.notify_all();
}

void ChangeEventQueue::poll(std::vector<SourceRecord>& out, std::chrono::milliseconds wait) {
  std::unique_lock lk(mu_);
  data_cv_.wait_for(lk, wait, [&] { return !batches_.empty() || error_ || ended_ || closed_; });
  // Whole batches, merged up to max.batch.size; what was queued before a failure goes out first.
  while (!batches_.empty()) {
    Batch& b = batches_.front();
    if (!out.empty() && out.size() + b.records.size() > static_cast<std::size_t>(max_batch_)) break;
    records_ -= b.records.size();
    bytes_ -= b.bytes;
    if (out.empty()) {
      out.swap(b.records);
    } else {
      std::move(b.records.begin(), b.records.end(), std::back_inserter(out));
    }
    batches_.pop_front();
  }
  if (!out.empty()) {
    space_cv_.notify_one();
    return;
  }
  if (error_) std::rethrow_exception(error_);
}

void ChangeEventQueue::close() {
  std::lock_guard lk(mu_);
  closed_ = true;
  data_cv_.notify_all();
  space_cv_.notify_all();
}

void ChangeEventQueue::wake_reader() {
  std::lock_guard lk(mu_);
  reader_woken_ = true;
  space_cv_.notify_one();
}

}  // namespace tributary::cdc
