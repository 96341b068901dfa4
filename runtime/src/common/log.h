// Minimal leveled logging with named loggers whose levels can be changed at run time
// (GET/PUT /admin/loggers). Lines go to stderr: "<ISO time> <LEVEL> [<logger>] <message>".
//
// Threading: thread-safe. Level checks are a relaxed atomic load; writing a line takes a mutex.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace tributary::log {

enum class Level : int { Trace = 0, Debug = 1, Info = 2, Warn = 3, Error = 4, Off = 5 };

std::string_view level_name(Level l);
std::optional<Level> parse_level(std::string_view s);  // case-insensitive; FATAL maps to Error

/// Effective level of a logger: its own if set, else its nearest dotted ancestor's, else root's.
Level effective_level(std::string_view logger);
bool enabled(std::string_view logger, Level l);
/// Sets a level on a logger and every descendant with an explicit level; returns affected names.
std::vector<std::string> set_level(std::string_view logger, Level l);
struct LoggerInfo {
  Level level;
  std::optional<std::int64_t> last_modified_ms;
};
/// Every logger with an explicit level (always includes "root").
std::map<std::string, LoggerInfo> loggers();

void write(Level l, std::string_view logger, std::string_view message);

}  // namespace tributary::log

#define TLOG(level, logger, expr)                                                        \
  do {                                                                                   \
    if (::tributary::log::enabled((logger), ::tributary::log::Level::level)) {           \
      std::ostringstream tlog_os_;                                                       \
      tlog_os_ << expr;                                                                  \
      ::tributary::log::write(::tributary::log::Level::level, (logger), tlog_os_.str()); \
    }                                                                                    \
  } while (0)
