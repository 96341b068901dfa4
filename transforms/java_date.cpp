#include "java_date.h"

#include <cstring>

#include "tributary/civil.h"

namespace tributary::transforms {
namespace {

constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                   "May",       "June",     "July",     "August",
                                   "September", "October",  "November", "December"};
constexpr const char* kDays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                 "Friday", "Saturday", "Sunday"};

bool leap(std::int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

std::string padded(std::int64_t v, int width) {
  std::string s = std::to_string(v < 0 ? -v : v);
  if (static_cast<int>(s.size()) < width)
    s.insert(0, static_cast<std::size_t>(width) - s.size(), '0');
  return v < 0 ? "-" + s : s;
}

}  // namespace

JavaDateFormat::JavaDateFormat(const std::string& p) {
  for (std::size_t i = 0; i < p.size();) {
    const char c = p[i];
    if (c == '\'') {
      std::string text;
      if (i + 1 < p.size() && p[i + 1] == '\'') {  // '' is a quote
        parts_.push_back(Part{0, 0, "'"});
        i += 2;
        continue;
      }
      ++i;
      while (true) {
        if (i >= p.size()) throw std::invalid_argument("Unterminated quote");
        if (p[i] == '\'') {
          if (i + 1 < p.size() && p[i + 1] == '\'') {
            text += '\'';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        text += p[i++];
      }
      parts_.push_back(Part{0, 0, text});
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      if (c == 'Y' || c == 'w' || c == 'W')
        throw std::invalid_argument(std::string("pattern letter '") + c +
                                    "' (week-based, locale-dependent) is not supported");
      if (std::strchr("yMLdDEuFaHkKhmsSzZX", c) == nullptr)
        throw std::invalid_argument(std::string("Illegal pattern character '") + c + "'");
      std::size_t j = i;
      while (j < p.size() && p[j] == c) ++j;
      parts_.push_back(Part{c, static_cast<int>(j - i), ""});
      i = j;
    } else {
      parts_.push_back(Part{0, 0, std::string(1, c)});
      ++i;
    }
  }
}

std::string JavaDateFormat::format(std::int64_t ms) const {
  const std::int64_t days = civil::floor_div(ms, 86400000);
  const std::int64_t in_day = ms - days * 86400000;
  std::int64_t y;
  int mo, d;
  civil::civil_from_days(days, y, mo, d);
  const int hour = static_cast<int>(in_day / 3600000),
            minute = static_cast<int>(in_day / 60000 % 60),
            second = static_cast<int>(in_day / 1000 % 60), milli = static_cast<int>(in_day % 1000);
  const int dow =
      static_cast<int>(((days % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday: 0 = Monday
  static constexpr int kCum[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  const int doy = kCum[mo - 1] + d + (mo > 2 && leap(y) ? 1 : 0);
  std::string out;
  for (const Part& part : parts_) {
    const int n = part.count;
    switch (part.letter) {
      case 0: out += part.text; break;
      case 'y': {
        const std::int64_t year = y > 0 ? y : 1 - y;  // era-based year, as Java's
        out += n == 2 ? padded(year % 100, 2) : padded(year, n);
        break;
      }
      case 'M':
      case 'L':
        if (n >= 4)
          out += kMonths[mo - 1];
        else if (n == 3)
          out += std::string(kMonths[mo - 1]).substr(0, 3);
        else
          out += padded(mo, n);
        break;
      case 'd': out += padded(d, n); break;
      case 'D': out += padded(doy, n); break;
      case 'E':
        out += n >= 4 ? std::string(kDays[dow]) : std::string(kDays[dow]).substr(0, 3);
        break;
      case 'u': out += padded(dow + 1, n); break;
      case 'F': out += padded((d - 1) / 7 + 1, n); break;
      case 'a': out += hour < 12 ? "AM" : "PM"; break;
      case 'H': out += padded(hour, n); break;
      case 'k': out += padded(hour == 0 ? 24 : hour, n); break;
      case 'K': out += padded(hour % 12, n); break;
      case 'h': out += padded(hour % 12 == 0 ? 12 : hour % 12, n); break;
      case 'm': out += padded(minute, n); break;
      case 's': out += padded(second, n); break;
      case 'S': out += padded(milli, n); break;
      case 'z': out += n >= 4 ? "Coordinated Universal Time" : "UTC"; break;
      case 'Z': out += "+0000"; break;
      case 'X': out += "Z"; break;
      default: break;
    }
  }
  return out;
}

}  // namespace tributary::transforms
