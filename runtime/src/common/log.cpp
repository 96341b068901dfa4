#include "common/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <vector>

namespace tributary::log {
namespace {

struct State {
  std::mutex mu;
  std::map<std::string, LoggerInfo, std::less<>> explicit_levels{{"root", {Level::Info, {}}}};
  // Bumped on every change so enabled() can cache nothing and stay simple; the fast path is the
  // root-only case below.
  std::atomic<int> min_level{static_cast<int>(Level::Info)};
  std::mutex write_mu;
};

State& state() {
  static State s;
  return s;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void recompute_min(State& s) {
  int m = static_cast<int>(Level::Off);
  for (auto& [_, info] : s.explicit_levels) m = std::min(m, static_cast<int>(info.level));
  s.min_level.store(m, std::memory_order_relaxed);
}

}  // namespace

std::string_view level_name(Level l) {
  switch (l) {
    case Level::Trace: return "TRACE";
    case Level::Debug: return "DEBUG";
    case Level::Info: return "INFO";
    case Level::Warn: return "WARN";
    case Level::Error: return "ERROR";
    case Level::Off: return "OFF";
  }
  return "INFO";
}

std::optional<Level> parse_level(std::string_view s) {
  std::string u;
  for (char c : s) u.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  if (u == "TRACE") return Level::Trace;
  if (u == "DEBUG") return Level::Debug;
  if (u == "INFO") return Level::Info;
  if (u == "WARN") return Level::Warn;
  if (u == "ERROR" || u == "FATAL") return Level::Error;
  if (u == "OFF") return Level::Off;
  return std::nullopt;
}

Level effective_level(std::string_view logger) {
  auto& s = state();
  std::lock_guard lk(s.mu);
  std::string_view name = logger;
  while (!name.empty()) {
    auto it = s.explicit_levels.find(name);
    if (it != s.explicit_levels.end()) return it->second.level;
    auto dot = name.rfind('.');
    if (dot == std::string_view::npos) break;
    name = name.substr(0, dot);
  }
  return s.explicit_levels.at("root").level;
}

bool enabled(std::string_view logger, Level l) {
  auto& s = state();
  if (static_cast<int>(l) < s.min_level.load(std::memory_order_relaxed)) return false;
  return static_cast<int>(l) >= static_cast<int>(effective_level(logger));
}

std::vector<std::string> set_level(std::string_view logger, Level l) {
  auto& s = state();
  std::lock_guard lk(s.mu);
  std::vector<std::string> affected;
  std::string name(logger);
  auto ts = now_ms();
  s.explicit_levels[name] = {l, ts};
  affected.push_back(name);
  std::string prefix = name == "root" ? "" : name + ".";
  for (auto& [n, info] : s.explicit_levels) {
    if (n != name && n != "root" && n.compare(0, prefix.size(), prefix) == 0) {
      info = {l, ts};
      affected.push_back(n);
    }
  }
  recompute_min(s);
  return affected;
}

std::map<std::string, LoggerInfo> loggers() {
  auto& s = state();
  std::lock_guard lk(s.mu);
  return {s.explicit_levels.begin(), s.explicit_levels.end()};
}

void write(Level l, std::string_view logger, std::string_view message) {
  auto now = std::chrono::system_clock::now();
  auto t = std::chrono::system_clock::to_time_t(now);
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char ts[64];
  std::snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  auto& s = state();
  std::lock_guard lk(s.write_mu);
  std::fprintf(stderr, "%s %-5.*s [%.*s] %.*s\n", ts, static_cast<int>(level_name(l).size()),
               level_name(l).data(), static_cast<int>(logger.size()), logger.data(),
               static_cast<int>(message.size()), message.data());
  std::fflush(stderr);
}

}  // namespace tributary::log
