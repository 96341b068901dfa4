// java.text.SimpleDateFormat patterns in UTC, for the transforms that format timestamps
// (TimestampRouter; TimestampConverter later): letters y M L d D E u F a H k K h m s S z Z X and
// quoted text ('...', '' for a quote). Parsed once; other letters are an error, as in Java, and so
// are the week-based Y w W, whose values depend on the locale.
//
// Threading: a parsed pattern is immutable.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace tributary::transforms {

class JavaDateFormat {
 public:
  /// Throws std::invalid_argument ("Illegal pattern character 'x'", "Unterminated quote").
  explicit JavaDateFormat(const std::string& pattern);
  /// Milliseconds since the epoch, formatted in UTC.
  std::string format(std::int64_t epoch_ms) const;

 private:
  struct Part {
    char letter = 0;  // 0: literal text
    int count = 0;
    std::string text;
  };
  std::vector<Part> parts_;
};

}  // namespace tributary::transforms
