// JsonConverter: hand-written serializer producing Kafka's JsonConverter bytes (see the header).
//
// Threading: a JsonConverter instance belongs to one thread; the free functions are pure.
#include "converters/json_converter.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <unordered_set>
#include <utility>
#include <vector>

namespace tributary {

// ---------------------------------------------------------------------------------------------
// Text primitives

namespace json {
namespace {

constexpr char kHexUpper[] = "0123456789ABCDEF";

// Jackson's 7-bit output escapes: 0 = literal, 'u' = \u00XX, other = backslash + that char.
struct EscapeTable {
  char code[128] = {};
  constexpr EscapeTable() {
    for (int c = 0; c < 0x20; ++c) code[c] = 'u';
    code['\b'] = 'b';
    code['\t'] = 't';
    code['\n'] = 'n';
    code['\f'] = 'f';
    code['\r'] = 'r';
    code['"'] = '"';
    code['\\'] = '\\';
  }
};
constexpr EscapeTable kEscapes;

template <class T>
void append_int(T v, std::string& out) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// ---- Java floating point text
//
// Both algorithms produce significant digits and a decimal exponent E (value = 0.d1d2.. x 10^E);
// format_java_decimal() then lays them out as Java's toString does.

struct JavaDecimal {
  char digits[32];
  int n = 0;             // number of digits
  int dec_exponent = 0;  // value = 0.d1d2..dn x 10^dec_exponent
};

// Java's layout: plain for 10^-3 <= |v| < 10^7 (at least one digit after the point), else
// d.dddE<exp> (at least one digit after the point, no '+' on the exponent).
void format_java_decimal(bool negative, const JavaDecimal& d, std::string& out) {
  if (negative) out += '-';
  const int e = d.dec_exponent;
  const auto n = static_cast<std::size_t>(d.n);
  if (e > 0 && e < 8) {
    const auto int_digits = static_cast<std::size_t>(e);
    if (n <= int_digits) {
      out.append(d.digits, n);
      out.append(int_digits - n, '0');
      out += ".0";
    } else {
      out.append(d.digits, int_digits);
      out += '.';
      out.append(d.digits + int_digits, n - int_digits);
    }
  } else if (e <= 0 && e > -3) {
    out += "0.";
    out.append(static_cast<std::size_t>(-e), '0');
    out.append(d.digits, n);
  } else {
    out += d.digits[0];
    out += '.';
    if (n > 1) {
      out.append(d.digits + 1, n - 1);
    } else {
      out += '0';
    }
    out += 'E';
    append_int(e - 1, out);
  }
}

// -- JDK 19+ (Double.toString since JDK-4511638): the shortest decimal that rounds back to v,
// the closest one if several; when one digit suffices, two-digit decimals compete too.

// Splits a std::to_chars scientific result ("-1.2345e+08", "5e-324") into its significant digits
// (no dot, no sign) and the decimal exponent of the first digit.
int split_scientific(const char* begin, const char* end, char* digits, int& exponent) {
  const char* p = begin;
  if (*p == '-') ++p;
  int n = 0;
  for (; p != end && *p != 'e'; ++p) {
    if (*p != '.') digits[n++] = *p;
  }
  exponent = 0;
  if (p != end) {
    ++p;  // 'e'
    bool neg = false;
    if (*p == '+' || *p == '-') neg = *p++ == '-';
    for (; p != end; ++p) exponent = exponent * 10 + (*p - '0');
    if (neg) exponent = -exponent;
  }
  return n;
}

template <class F>
void shortest_decimal(F v, JavaDecimal& d) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  int exponent = 0;
  d.n = split_scientific(buf, r.ptr, d.digits, exponent);
  if (d.n == 1) {
    char buf2[64];
    const auto r2 = std::to_chars(buf2, buf2 + sizeof buf2, v, std::chars_format::scientific, 1);
    F back{};
    const auto pr = std::from_chars(buf2, r2.ptr, back);
    if (pr.ec == std::errc() && back == v) d.n = split_scientific(buf2, r2.ptr, d.digits, exponent);
  }
  while (d.n > 1 && d.digits[d.n - 1] == '0') --d.n;
  d.dec_exponent = exponent + 1;
}

// -- JDK <= 18 (sun.misc / jdk.internal.math FloatingDecimal): reproduces its output, quirks
// included: integers below 2^63 print their exact digits (low "insignificant" digits rounded
// off), a power-of-two significand uses the smaller neighbour gap on both sides, numbers printed
// in E notation get at least two digits, and digit generation stops on the first digit that is
// within half an ulp (strictly, or inclusively in the big-number case), then rounds the last one.
// Written from the documented behaviour and checked against JDK 17 output (tests/golden).
namespace legacy {

constexpr std::uint64_t pow5(int i) {
  std::uint64_t r = 1;
  for (int k = 0; k < i; ++k) r *= 5;
  return r;
}

int bit_length(std::uint64_t v) {
  return v == 0 ? 0 : 64 - __builtin_clzll(v);
}

// Bits of 5^i as the JDK estimates them: exact below 27, 3 bits per factor beyond.
int pow5_bits(int i) {
  return i < 27 ? bit_length(pow5(i)) : i * 3;
}

// floor(p2 * log10(2)) decimal digits of an integer are below its binary precision.
int insignificant_digits(int p2) {
  if (p2 <= 1 || p2 >= 64) return 0;
  return static_cast<int>(std::floor(p2 * 0.3010299956639812));
}

// The JDK's estimate of floor(log10(v)), computed with the same double arithmetic.
int estimate_dec_exp(std::uint64_t fract_bits, int bin_exp) {
  const std::uint64_t bits = 0x3FF0000000000000ull | (fract_bits & 0x000FFFFFFFFFFFFFull);
  double d2 = 0;
  std::memcpy(&d2, &bits, sizeof d2);
  const double a = (d2 - 1.5) * 0.289529654;
  const double b = a + 0.176091259;
  const double c = static_cast<double>(bin_exp) * 0.301029995663981;
  return static_cast<int>(std::floor(b + c));
}

// Digits of an integer value, rounding off `insignificant` low digits (half up), zeros stripped.
void long_digits(std::uint64_t value, int insignificant, JavaDecimal& d) {
  int exponent = 0;
  if (insignificant != 0) {
    std::uint64_t p10 = 1;
    for (int i = 0; i < insignificant; ++i) p10 *= 10;
    const std::uint64_t residue = value % p10;
    value /= p10;
    exponent += insignificant;
    if (residue >= p10 / 2) ++value;
  }
  while (value % 10 == 0) {
    value /= 10;
    ++exponent;
  }
  char tmp[24];
  int n = 0;
  while (value != 0) {
    tmp[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  for (int i = 0; i < n; ++i) d.digits[i] = tmp[n - 1 - i];
  d.n = n;
  d.dec_exponent = exponent + n;
}

// Minimal unsigned big integer for the wide cases (tiny or huge magnitudes); fixed storage, no
// allocation: the largest operand, 5^342 x 2^1130 or so, needs 58 words.
class Big {
 public:
  static Big pow52(int p5, int p2, std::uint64_t factor = 1) {
    Big b;
    b.w_[0] = static_cast<std::uint32_t>(factor);
    b.w_[1] = static_cast<std::uint32_t>(factor >> 32);
    b.n_ = 2;
    b.trim();
    while (p5 >= 13) {
      b.mul_small(1220703125u);  // 5^13
      p5 -= 13;
    }
    if (p5 > 0) b.mul_small(static_cast<std::uint32_t>(pow5(p5)));
    b.shl(p2);
    return b;
  }
  void mul_small(std::uint32_t m) {
    std::uint64_t carry = 0;
    for (int i = 0; i < n_; ++i) {
      const std::uint64_t v = static_cast<std::uint64_t>(w_[i]) * m + carry;
      w_[i] = static_cast<std::uint32_t>(v);
      carry = v >> 32;
    }
    if (carry != 0) push(static_cast<std::uint32_t>(carry));
  }
  void shl(int n) {
    if (n_ == 0 || n == 0) return;
    const int words = n / 32;
    const int bits = n % 32;
    if (bits != 0) {
      std::uint32_t carry = 0;
      for (int i = 0; i < n_; ++i) {
        const std::uint32_t next = w_[i] >> (32 - bits);
        w_[i] = (w_[i] << bits) | carry;
        carry = next;
      }
      if (carry != 0) push(carry);
    }
    if (words != 0) {
      check(n_ + words);
      for (int i = n_ - 1; i >= 0; --i) w_[i + words] = w_[i];
      for (int i = 0; i < words; ++i) w_[i] = 0;
      n_ += words;
    }
  }
  static int cmp(const Big& a, const Big& b) {
    if (a.n_ != b.n_) return a.n_ < b.n_ ? -1 : 1;
    for (int i = a.n_ - 1; i >= 0; --i) {
      if (a.w_[i] != b.w_[i]) return a.w_[i] < b.w_[i] ? -1 : 1;
    }
    return 0;
  }
  // Compares a + b with c.
  static int add_cmp(const Big& a, const Big& b, const Big& c) {
    Big sum;
    const int n = std::max(a.n_, b.n_);
    std::uint64_t carry = 0;
    for (int i = 0; i < n; ++i) {
      const std::uint64_t v =
          carry + (i < a.n_ ? a.w_[i] : 0u) + static_cast<std::uint64_t>(i < b.n_ ? b.w_[i] : 0u);
      sum.w_[i] = static_cast<std::uint32_t>(v);
      carry = v >> 32;
    }
    sum.n_ = n;
    if (carry != 0) sum.push(static_cast<std::uint32_t>(carry));
    return cmp(sum, c);
  }
  // q = this / s (a single decimal digit here); this = 10 * (this % s).
  int quo_rem_10(const Big& s) {
    int q = 0;
    while (cmp(*this, s) >= 0) {
      sub(s);
      ++q;
    }
    mul_small(10);
    return q;
  }

 private:
  static constexpr int kWords = 72;
  static void check(int n) {
    if (n > kWords) throw std::length_error("floating point conversion overflow");
  }
  void push(std::uint32_t v) {
    check(n_ + 1);
    w_[n_++] = v;
  }
  void sub(const Big& b) {  // requires *this >= b
    std::int64_t borrow = 0;
    for (int i = 0; i < n_; ++i) {
      std::int64_t v = static_cast<std::int64_t>(w_[i]) - borrow -
                       (i < b.n_ ? static_cast<std::int64_t>(b.w_[i]) : 0);
      borrow = v < 0 ? 1 : 0;
      if (v < 0) v += (std::int64_t{1} << 32);
      w_[i] = static_cast<std::uint32_t>(v);
    }
    trim();
  }
  void trim() {
    while (n_ > 0 && w_[n_ - 1] == 0) --n_;
  }
  std::uint32_t w_[kWords] = {};
  int n_ = 0;
};

// The big-number digit loop in exact 128-bit arithmetic, for operands below 2^124 (every value
// then stays below 2^128): same comparisons as the big-number case.
void wide_digits(std::uint64_t fract, int b5, int b2, int s5, int s2, int m5, int m2, int& dec_exp,
                 JavaDecimal& d, bool& low, bool& high, std::int64_t& diff) {
  using u128 = unsigned __int128;
  const auto pow52 = [](int p5, int p2, u128 v) {
    for (int i = 0; i < p5; ++i) v *= 5;
    return v << p2;
  };
  const u128 s = pow52(s5, s2, 1);
  u128 b = pow52(b5, b2, fract);
  u128 m = pow52(m5 + 1, m2 + 1, 1);
  const u128 ten_s = s * 10;
  const auto quo_rem_10 = [&s](u128& x) {
    int q = 0;
    while (x >= s) {
      x -= s;
      ++q;
    }
    x *= 10;
    return q;
  };
  int q = quo_rem_10(b);
  low = b < m;
  high = b + m >= ten_s;
  if (q == 0 && !high) {
    --dec_exp;
  } else {
    d.digits[d.n++] = static_cast<char>('0' + q);
  }
  if (dec_exp < -3 || dec_exp >= 8) high = low = false;
  while (!low && !high) {
    q = quo_rem_10(b);
    m *= 10;
    low = b < m;
    high = b + m >= ten_s;
    d.digits[d.n++] = static_cast<char>('0' + q);
  }
  if (high && low) {
    const u128 twice = b << 1;
    diff = twice < ten_s ? -1 : (twice == ten_s ? 0 : 1);
  }
}

// Digit generation in fixed-width signed arithmetic that wraps as Java's int / long do.
template <class T>
void fixed_digits(std::uint64_t fract, int b5, int b2, int s5, int s2, int m5, int m2, int& dec_exp,
                  JavaDecimal& d, bool& low, bool& high, std::int64_t& diff) {
  using U = std::make_unsigned_t<T>;
  const auto mul = [](T a, T b) { return static_cast<T>(static_cast<U>(a) * static_cast<U>(b)); };
  const auto add = [](T a, T b) { return static_cast<T>(static_cast<U>(a) + static_cast<U>(b)); };
  const auto shl = [](T a, int n) { return static_cast<T>(static_cast<U>(a) << n); };
  T b = shl(mul(static_cast<T>(fract), static_cast<T>(pow5(b5))), b2);
  const T s = shl(static_cast<T>(pow5(s5)), s2);
  T m = shl(static_cast<T>(pow5(m5)), m2);
  const T tens = mul(s, 10);
  int q = static_cast<int>(b / s);
  b = mul(10, b % s);
  m = mul(m, 10);
  low = b < m;
  high = add(b, m) > tens;
  if (q == 0 && !high) {
    --dec_exp;
  } else {
    d.digits[d.n++] = static_cast<char>('0' + q);
  }
  if (dec_exp < -3 || dec_exp >= 8) high = low = false;
  while (!low && !high) {
    q = static_cast<int>(b / s);
    b = mul(10, b % s);
    m = mul(m, 10);
    if (m > 0) {
      low = b < m;
      high = add(b, m) > tens;
    } else {
      low = high = true;
    }
    d.digits[d.n++] = static_cast<char>('0' + q);
  }
  diff = static_cast<std::int64_t>(add(shl(b, 1), static_cast<T>(-static_cast<U>(tens))));
}

void round_up(JavaDecimal& d) {
  int i = d.n - 1;
  char q = d.digits[i];
  if (q == '9') {
    while (q == '9' && i > 0) {
      d.digits[i] = '0';
      q = d.digits[--i];
    }
    if (q == '9') {
      // Carry out of the first digit: "1" followed by the zeros, one decade up.
      ++d.dec_exponent;
      d.digits[0] = '1';
      return;
    }
  }
  d.digits[i] = static_cast<char>(q + 1);
}

// bin_exp: unbiased exponent; fract_bits: significand with its leading one at bit 52;
// n_significant_bits: 53 (double) or 24 (float), fewer for subnormals.
void dtoa(int bin_exp, std::uint64_t fract_bits, int n_significant_bits, JavaDecimal& d) {
  const int tail_zeros = __builtin_ctzll(fract_bits);
  const int n_fract_bits = 53 - tail_zeros;
  const int n_tiny_bits = std::max(0, n_fract_bits - bin_exp - 1);
  if (bin_exp <= 62 && bin_exp >= -21 && n_tiny_bits == 0) {
    // An integer below 2^63.
    const int insignificant =
        bin_exp > n_significant_bits ? insignificant_digits(bin_exp - n_significant_bits - 1) : 0;
    const std::uint64_t value =
        bin_exp >= 52 ? fract_bits << (bin_exp - 52) : fract_bits >> (52 - bin_exp);
    long_digits(value, insignificant, d);
    return;
  }
  int dec_exp = estimate_dec_exp(fract_bits, bin_exp);
  const int b5 = std::max(0, -dec_exp);
  int b2 = b5 + n_tiny_bits + bin_exp;
  const int s5 = std::max(0, dec_exp);
  int s2 = s5 + n_tiny_bits;
  const int m5 = b5;
  int m2 = b2 - n_significant_bits;
  const std::uint64_t fract = fract_bits >> tail_zeros;
  b2 -= n_fract_bits - 1;
  const int common = std::min(b2, s2);
  b2 -= common;
  s2 -= common;
  m2 -= common;
  if (n_fract_bits == 1) m2 -= 1;
  if (m2 < 0) {
    b2 -= m2;
    s2 -= m2;
    m2 = 0;
  }
  const int b_bits = n_fract_bits + b2 + pow5_bits(b5);
  const int ten_s_bits = s2 + 1 + pow5_bits(s5 + 1);
  bool low = false;
  bool high = false;
  std::int64_t diff = 0;
  d.n = 0;
  if (b_bits < 64 && ten_s_bits < 64) {
    if (b_bits < 32 && ten_s_bits < 32) {
      fixed_digits<std::int32_t>(fract, b5, b2, s5, s2, m5, m2, dec_exp, d, low, high, diff);
    } else {
      fixed_digits<std::int64_t>(fract, b5, b2, s5, s2, m5, m2, dec_exp, d, low, high, diff);
    }
  } else if (b_bits < 124 && ten_s_bits < 124) {
    wide_digits(fract, b5, b2, s5, s2, m5, m2, dec_exp, d, low, high, diff);
  } else {
    const Big s = Big::pow52(s5, s2);
    Big b = Big::pow52(b5, b2, fract);
    Big m = Big::pow52(m5 + 1, m2 + 1);
    const Big ten_s = Big::pow52(s5 + 1, s2 + 1);
    int q = b.quo_rem_10(s);
    low = Big::cmp(b, m) < 0;
    high = Big::add_cmp(b, m, ten_s) >= 0;
    if (q == 0 && !high) {
      --dec_exp;
    } else {
      d.digits[d.n++] = static_cast<char>('0' + q);
    }
    if (dec_exp < -3 || dec_exp >= 8) high = low = false;
    while (!low && !high) {
      q = b.quo_rem_10(s);
      m.mul_small(10);
      low = Big::cmp(b, m) < 0;
      high = Big::add_cmp(b, m, ten_s) >= 0;
      d.digits[d.n++] = static_cast<char>('0' + q);
    }
    if (high && low) {
      b.shl(1);
      diff = Big::cmp(b, ten_s);
    }
  }
  d.dec_exponent = dec_exp + 1;
  if (high) {
    if (low) {
      if (diff == 0) {
        if ((d.digits[d.n - 1] & 1) != 0) round_up(d);
      } else if (diff > 0) {
        round_up(d);
      }
    } else {
      round_up(d);
    }
  }
}

void decimal_of(double v, JavaDecimal& d) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof v);
  int bin_exp = static_cast<int>((bits >> 52) & 0x7FF);
  std::uint64_t fract = bits & 0x000FFFFFFFFFFFFFull;
  int n_significant_bits = 53;
  if (bin_exp == 0) {  // subnormal: normalize
    const int leading = __builtin_clzll(fract);
    const int shift = leading - 11;
    fract <<= shift;
    bin_exp = 1 - shift;
    n_significant_bits = 64 - leading;
  } else {
    fract |= 1ull << 52;
  }
  dtoa(bin_exp - 1023, fract, n_significant_bits, d);
}

void decimal_of(float v, JavaDecimal& d) {
  std::uint32_t bits = 0;
  std::memcpy(&bits, &v, sizeof v);
  int bin_exp = static_cast<int>((bits >> 23) & 0xFF);
  std::uint32_t fract = bits & 0x007FFFFFu;
  int n_significant_bits = 24;
  if (bin_exp == 0) {
    const int leading = __builtin_clz(fract);
    const int shift = leading - 8;
    fract <<= shift;
    bin_exp = 1 - shift;
    n_significant_bits = 32 - leading;
  } else {
    fract |= 1u << 23;
  }
  dtoa(bin_exp - 127, static_cast<std::uint64_t>(fract) << 29, n_significant_bits, d);
}

}  // namespace legacy

template <class F>
void append_java_fp(F v, JavaFloatFormat format, std::string& out) {
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  if (std::isinf(v)) {
    out += v < 0 ? "-Infinity" : "Infinity";
    return;
  }
  if (v == 0) {
    out += std::signbit(v) ? "-0.0" : "0.0";
    return;
  }
  JavaDecimal d;
  if (format == JavaFloatFormat::Shortest) {
    shortest_decimal(v, d);
  } else {
    legacy::decimal_of(std::fabs(v), d);
  }
  format_java_decimal(std::signbit(v), d, out);
}

}  // namespace

namespace {
// Whether any of the eight bytes in `x` needs a look: a control character (< 0x20), '"', '\\'
// or a non-ASCII byte. Exact for "any" (the classic has-zero / has-less-than word tricks).
inline bool needs_look(std::uint64_t x) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  const std::uint64_t quote = x ^ (kOnes * '"');
  const std::uint64_t slash = x ^ (kOnes * '\\');
  const std::uint64_t control = (x - kOnes * 0x20) & ~x;
  const std::uint64_t is_quote = (quote - kOnes) & ~quote;
  const std::uint64_t is_slash = (slash - kOnes) & ~slash;
  return ((control | is_quote | is_slash | x) & kHigh) != 0;
}
}  // namespace

void append_string(std::string_view s, std::string& out) {
  out += '"';
  std::size_t run = 0;  // start of the pending literal run
  for (std::size_t i = 0; i < s.size(); ++i) {
    // Plain text (most of it) is skipped eight bytes at a time.
    while (i + 8 <= s.size()) {
      std::uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if (needs_look(word)) break;
      i += 8;
    }
    if (i >= s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 128) {
      const char code = kEscapes.code[c];
      if (code == 0) continue;
      out.append(s.data() + run, i - run);
      run = i + 1;
      if (code == 'u') {
        const char esc[6] = {'\\', 'u', '0', '0', kHexUpper[c >> 4], kHexUpper[c & 0xF]};
        out.append(esc, 6);
      } else {
        out += '\\';
        out += code;
      }
      continue;
    }
    // Jackson 2.16 writes a supplementary character (4-byte UTF-8) as its UTF-16 surrogate pair
    // escaped ("\uD83D\uDE00"); other non-ASCII text passes through as UTF-8.
    if (c < 0xF0 || c > 0xF4 || s.size() - i < 4) continue;
    const auto c1 = static_cast<unsigned char>(s[i + 1]);
    const auto c2 = static_cast<unsigned char>(s[i + 2]);
    const auto c3 = static_cast<unsigned char>(s[i + 3]);
    if ((c1 & 0xC0) != 0x80 || (c2 & 0xC0) != 0x80 || (c3 & 0xC0) != 0x80) continue;
    const std::uint32_t cp = (std::uint32_t{c & 0x07u} << 18) | (std::uint32_t{c1 & 0x3Fu} << 12) |
                             (std::uint32_t{c2 & 0x3Fu} << 6) | (c3 & 0x3Fu);
    if (cp < 0x10000 || cp > 0x10FFFF) continue;
    out.append(s.data() + run, i - run);
    const std::uint32_t v = cp - 0x10000;
    for (const std::uint32_t unit : {0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF)}) {
      const char esc[6] = {'\\',
                           'u',
                           kHexUpper[(unit >> 12) & 0xF],
                           kHexUpper[(unit >> 8) & 0xF],
                           kHexUpper[(unit >> 4) & 0xF],
                           kHexUpper[unit & 0xF]};
      out.append(esc, 6);
    }
    i += 3;
    run = i + 1;
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

void append_java_double(double v, std::string& out, JavaFloatFormat format) {
  append_java_fp(v, format, out);
}

void append_java_float(float v, std::string& out, JavaFloatFormat format) {
  append_java_fp(v, format, out);
}

void append_json_double(double v, std::string& out, JavaFloatFormat format) {
  if (std::isfinite(v)) {
    append_java_fp(v, format, out);
  } else {
    out += '"';
    append_java_fp(v, format, out);
    out += '"';
  }
}

void append_json_float(float v, std::string& out, JavaFloatFormat format) {
  if (std::isfinite(v)) {
    append_java_fp(v, format, out);
  } else {
    out += '"';
    append_java_fp(v, format, out);
    out += '"';
  }
}

std::string big_decimal_to_string(const Bytes& unscaled, int scale) {
  if (scale == 0) return decimal_to_plain_string(unscaled, 0);
  std::string digits = decimal_to_plain_string(unscaled, 0);  // signed integer text
  const bool negative = !digits.empty() && digits.front() == '-';
  if (negative) digits.erase(0, 1);
  const long long adjusted =
      -static_cast<long long>(scale) + static_cast<long long>(digits.size()) - 1;
  if (scale > 0 && adjusted >= -6) return decimal_to_plain_string(unscaled, scale);
  std::string out;
  if (negative) out += '-';
  out += digits[0];
  if (digits.size() > 1) {
    out += '.';
    out.append(digits, 1, std::string::npos);
  }
  out += 'E';
  if (adjusted > 0) out += '+';
  out += std::to_string(adjusted);
  return out;
}

int decimal_scale(const Schema& schema) {
  const auto p = schema.parameter(logical::kDecimalScaleParam);
  if (!p) throw std::invalid_argument("Invalid Decimal schema: scale parameter not found.");
  int scale = 0;
  const auto r = std::from_chars(p->data(), p->data() + p->size(), scale);
  if (r.ec != std::errc() || r.ptr != p->data() + p->size()) {
    throw std::invalid_argument("Invalid scale parameter found in Decimal schema: " + *p);
  }
  return scale;
}

std::string_view connect_type_enum_name(Type t) {
  switch (t) {
    case Type::Int8: return "INT8";
    case Type::Int16: return "INT16";
    case Type::Int32: return "INT32";
    case Type::Int64: return "INT64";
    case Type::Float32: return "FLOAT32";
    case Type::Float64: return "FLOAT64";
    case Type::Boolean: return "BOOLEAN";
    case Type::String: return "STRING";
    case Type::Bytes: return "BYTES";
    case Type::Array: return "ARRAY";
    case Type::Map: return "MAP";
    case Type::Struct: return "STRUCT";
  }
  return "UNKNOWN";
}

}  // namespace json

// ---------------------------------------------------------------------------------------------
// Payload writer (Kafka's convertToJson)

namespace {

// Thrown inside the writer; the path is collected while unwinding (innermost first) and turned
// into a std::invalid_argument at the public boundary, so the happy path never builds a path.
struct ConversionError {
  std::string message;
  std::vector<std::string> path;
};

[[noreturn]] void rethrow_with_path(const ConversionError& e) {
  std::string path;
  for (auto it = e.path.rbegin(); it != e.path.rend(); ++it) {
    if (!path.empty() && (it->empty() || it->front() != '[')) path += '.';
    path += *it;
  }
  if (path.empty()) throw std::invalid_argument(e.message);
  throw std::invalid_argument("Field \"" + path + "\": " + e.message);
}

std::string_view value_kind(const Value& v) {
  static constexpr std::string_view kKinds[] = {"null",  "boolean", "int8",   "int16",  "int32",
                                                "int64", "float",   "double", "string", "bytes",
                                                "array", "map",     "struct"};
  return kKinds[v.storage().index()];
}

bool has_default(const Schema& s) {
  return s.default_value().has_value() && !s.default_value()->is_null();
}

const Value& null_value() {
  static const Value kNull;
  return kNull;
}

class PayloadWriter {
 public:
  PayloadWriter(DecimalFormat format, bool replace_null, JavaFloatFormat floats, std::string& out)
      : format_(format), replace_null_(replace_null), floats_(floats), out_(out) {}

  void write(const Schema* schema, const Value& v) {
    if (v.is_null()) {
      // Schemaless or optional: JSON null; with a default (and replace.null.with.default): it.
      if (schema != nullptr && replace_null_ && has_default(*schema)) {
        write(schema, *schema->default_value());
      } else if (schema == nullptr || schema->optional()) {
        out_ += "null";
      } else {
        throw ConversionError{
            "Conversion error: null value for field that is required and has no default value", {}};
      }
      return;
    }
    if (schema == nullptr) {
      write_schemaless(v);
      return;
    }
    if (schema->name() && *schema->name() == logical::kDecimal) {
      write_decimal(*schema, v);
      return;
    }
    switch (schema->type()) {
      case Type::Int8: append_int(expect<std::int8_t>(*schema, v)); return;
      case Type::Int16: append_int(expect<std::int16_t>(*schema, v)); return;
      case Type::Int32: append_int(expect<std::int32_t>(*schema, v)); return;
      case Type::Int64: append_int(expect<std::int64_t>(*schema, v)); return;
      case Type::Float32: json::append_json_float(expect<float>(*schema, v), out_, floats_); return;
      case Type::Float64:
        json::append_json_double(expect<double>(*schema, v), out_, floats_);
        return;
      case Type::Boolean: out_ += expect<bool>(*schema, v) ? "true" : "false"; return;
      case Type::String: json::append_string(expect<std::string>(*schema, v), out_); return;
      case Type::Bytes: {
        const Bytes& b = expect<Bytes>(*schema, v);
        out_ += '"';
        json::append_base64(b.data(), b.size(), out_);
        out_ += '"';
        return;
      }
      case Type::Array:
        write_array(schema->value_schema().get(), expect<Value::Array>(*schema, v));
        return;
      case Type::Map: write_map(schema, expect<Value::MapEntries>(*schema, v)); return;
      case Type::Struct: write_struct(*schema, v); return;
    }
  }

 private:
  template <class T>
  const T& expect(const Schema& schema, const Value& v) {
    if (const T* p = std::get_if<T>(&v.storage())) return *p;
    throw ConversionError{"Invalid type for " +
                              std::string(json::connect_type_enum_name(schema.type())) + ": " +
                              std::string(value_kind(v)),
                          {}};
  }

  template <class T>
  void append_int(T v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(v));
    out_.append(buf, r.ptr);
  }

  void write_schemaless(const Value& v) {
    std::visit(
        [this](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            out_ += "null";
          } else if constexpr (std::is_same_v<T, bool>) {
            out_ += x ? "true" : "false";
          } else if constexpr (std::is_same_v<T, float>) {
            json::append_json_float(x, out_, floats_);
          } else if constexpr (std::is_same_v<T, double>) {
            json::append_json_double(x, out_, floats_);
          } else if constexpr (std::is_integral_v<T>) {
            append_int(x);
          } else if constexpr (std::is_same_v<T, std::string>) {
            json::append_string(x, out_);
          } else if constexpr (std::is_same_v<T, Bytes>) {
            out_ += '"';
            json::append_base64(x.data(), x.size(), out_);
            out_ += '"';
          } else if constexpr (std::is_same_v<T, Value::Array>) {
            write_array(nullptr, x);
          } else if constexpr (std::is_same_v<T, Value::MapEntries>) {
            write_map(nullptr, x);
          } else {
            // Kafka compares the struct's schema with the (null) schema and fails.
            throw ConversionError{"Mismatching schema.", {}};
          }
        },
        v.storage());
  }

  void write_decimal(const Schema& schema, const Value& v) {
    const Bytes* b = std::get_if<Bytes>(&v.storage());
    if (b == nullptr) {
      throw ConversionError{
          "Invalid type for Decimal, expected bytes (the unscaled value) but was " +
              std::string(value_kind(v)),
          {}};
    }
    if (format_ == DecimalFormat::Numeric) {
      out_ += json::big_decimal_to_string(*b, scale_of(schema));
      return;
    }
    // BigInteger.toByteArray() is minimal: drop redundant sign bytes; empty means zero.
    static constexpr std::uint8_t kZero = 0;
    const std::uint8_t* p = b->empty() ? &kZero : b->data();
    std::size_t n = b->empty() ? 1 : b->size();
    while (n > 1 &&
           ((p[0] == 0x00 && (p[1] & 0x80) == 0) || (p[0] == 0xFF && (p[1] & 0x80) != 0))) {
      ++p;
      --n;
    }
    out_ += '"';
    json::append_base64(p, n, out_);
    out_ += '"';
  }

  int scale_of(const Schema& schema) {
    try {
      return json::decimal_scale(schema);
    } catch (const std::invalid_argument& e) {
      throw ConversionError{e.what(), {}};
    }
  }

  void write_array(const Schema* items, const Value::Array& a) {
    out_ += '[';
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (i != 0) out_ += ',';
      try {
        write(items, a[i]);
      } catch (ConversionError& e) {
        e.path.push_back("[" + std::to_string(i) + "]");
        throw;
      }
    }
    out_ += ']';
  }

  // The object key Kafka derives for a map entry in object mode (JsonNode.asText()).
  std::string_view key_text(const Schema* key_schema, const Value& key) {
    if (const auto* s = std::get_if<std::string>(&key.storage())) return *s;
    if (key.is_null() && key_schema != nullptr) {
      if (replace_null_ && has_default(*key_schema) &&
          key_schema->default_value()->is<std::string>()) {
        return key_schema->default_value()->as<std::string>();
      }
      if (key_schema->optional()) return "null";  // NullNode.asText()
      throw ConversionError{
          "Conversion error: null value for field that is required and has no default value", {}};
    }
    throw ConversionError{"Invalid type for STRING: " + std::string(value_kind(key)), {}};
  }

  void write_map(const Schema* schema, const Value::MapEntries& m) {
    const Schema* ks = schema != nullptr ? schema->key_schema().get() : nullptr;
    const Schema* vs = schema != nullptr ? schema->value_schema().get() : nullptr;
    bool object_mode = true;
    if (schema != nullptr) {
      object_mode = ks->type() == Type::String;
    } else {
      for (const auto& e : m) {
        if (!e.first.is<std::string>()) {
          object_mode = false;
          break;
        }
      }
    }
    if (!object_mode) {
      out_ += '[';
      for (std::size_t i = 0; i < m.size(); ++i) {
        if (i != 0) out_ += ',';
        out_ += '[';
        try {
          write(ks, m[i].first);
          out_ += ',';
          write(vs, m[i].second);
        } catch (ConversionError& e) {
          e.path.push_back("[" + std::to_string(i) + "]");
          throw;
        }
        out_ += ']';
      }
      out_ += ']';
      return;
    }
    // Object mode. A JSON object keeps one value per key: a repeated key keeps its first position
    // and takes the last value (ObjectNode.set on a LinkedHashMap).
    std::vector<std::string_view> keys;
    keys.reserve(m.size());
    for (std::size_t i = 0; i < m.size(); ++i) {
      try {
        keys.push_back(key_text(ks, m[i].first));
      } catch (ConversionError& e) {
        e.path.push_back("[" + std::to_string(i) + "]");
        throw;
      }
    }
    std::vector<std::size_t> order;  // entry index per distinct key, empty when no repeats
    if (keys.size() > 1) {
      const std::unordered_set<std::string_view> seen(keys.begin(), keys.end());
      if (seen.size() != keys.size()) {
        for (std::size_t i = 0; i < keys.size(); ++i) {
          bool replaced = false;
          for (auto& j : order) {
            if (keys[j] == keys[i]) {
              j = i;
              replaced = true;
              break;
            }
          }
          if (!replaced) order.push_back(i);
        }
      }
    }
    const std::size_t count = order.empty() ? m.size() : order.size();
    out_ += '{';
    for (std::size_t n = 0; n < count; ++n) {
      const std::size_t i = order.empty() ? n : order[n];
      if (n != 0) out_ += ',';
      json::append_string(keys[i], out_);
      out_ += ':';
      try {
        write(vs, m[i].second);
      } catch (ConversionError& e) {
        e.path.push_back(std::string(keys[i]));
        throw;
      }
    }
    out_ += '}';
  }

  void write_struct(const Schema& schema, const Value& v) {
    const auto* sp = std::get_if<std::shared_ptr<Value::StructData>>(&v.storage());
    if (sp == nullptr || !*sp) {
      throw ConversionError{"Invalid type for STRUCT: " + std::string(value_kind(v)), {}};
    }
    const Value::StructData& data = **sp;
    if (data.schema.get() != &schema && (!data.schema || !(*data.schema == schema))) {
      throw ConversionError{"Mismatching schema.", {}};
    }
    out_ += '{';
    bool first = true;
    for (const Field& f : schema.fields()) {
      append_key(f.name, first);
      first = false;
      const auto idx = static_cast<std::size_t>(f.index);
      try {
        write(f.schema.get(), idx < data.fields.size() ? data.fields[idx] : null_value());
      } catch (ConversionError& e) {
        e.path.push_back(f.name);
        throw;
      }
    }
    out_ += '}';
  }

  // `,"name":` (no comma for the first field) in one append when the name needs no escaping,
  // as field names almost never do; else through append_string.
  void append_key(const std::string& name, bool first) {
    char buf[64];
    if (name.size() <= sizeof buf - 4) {
      bool plain = true;
      for (const char c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 128 || json::kEscapes.code[u] != 0) {
          plain = false;
          break;
        }
      }
      if (plain) {
        char* p = buf;
        if (!first) *p++ = ',';
        *p++ = '"';
        std::memcpy(p, name.data(), name.size());
        p += name.size();
        *p++ = '"';
        *p++ = ':';
        out_.append(buf, static_cast<std::size_t>(p - buf));
        return;
      }
    }
    if (!first) out_ += ',';
    json::append_string(name, out_);
    out_ += ':';
  }

  DecimalFormat format_;
  bool replace_null_;
  JavaFloatFormat floats_;
  std::string& out_;
};

// Kafka's asJsonSchema: type, items | keys,values | fields, optional, name, version, doc,
// parameters, default; a struct field's schema gets "field" last.
void write_schema(const Schema& s, const std::string* field_name, PayloadWriter& payload,
                  std::string& out) {
  out += "{\"type\":\"";
  out += type_name(s.type());
  out += '"';
  switch (s.type()) {
    case Type::Array:
      out += ",\"items\":";
      write_schema(*s.value_schema(), nullptr, payload, out);
      break;
    case Type::Map:
      out += ",\"keys\":";
      write_schema(*s.key_schema(), nullptr, payload, out);
      out += ",\"values\":";
      write_schema(*s.value_schema(), nullptr, payload, out);
      break;
    case Type::Struct: {
      out += ",\"fields\":[";
      bool first = true;
      for (const Field& f : s.fields()) {
        if (!first) out += ',';
        first = false;
        try {
          write_schema(*f.schema, &f.name, payload, out);
        } catch (ConversionError& e) {
          e.path.push_back(f.name);
          throw;
        }
      }
      out += ']';
      break;
    }
    default: break;
  }
  out += s.optional() ? ",\"optional\":true" : ",\"optional\":false";
  if (s.name()) {
    out += ",\"name\":";
    json::append_string(*s.name(), out);
  }
  if (s.version()) {
    out += ",\"version\":";
    char buf[16];
    const auto r = std::to_chars(buf, buf + sizeof buf, *s.version());
    out.append(buf, r.ptr);
  }
  if (s.doc()) {
    out += ",\"doc\":";
    json::append_string(*s.doc(), out);
  }
  if (!s.parameters().empty()) {
    out += ",\"parameters\":{";
    bool first = true;
    for (const auto& [k, v] : s.parameters()) {
      if (!first) out += ',';
      first = false;
      json::append_string(k, out);
      out += ':';
      json::append_string(v, out);
    }
    out += '}';
  }
  if (has_default(s)) {
    out += ",\"default\":";
    try {
      payload.write(&s, *s.default_value());
    } catch (ConversionError& e) {
      e.message = "Invalid default value: " + e.message;
      throw;
    }
  }
  if (field_name != nullptr) {
    out += ",\"field\":";
    json::append_string(*field_name, out);
  }
  out += '}';
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Config

ConfigDef json_converter_config_def() {
  ConfigDef def;
  ConfigKey type;
  type.name = "converter.type";
  type.type = ConfigType::String;
  type.default_value = std::nullopt;  // Kafka's NO_DEFAULT_VALUE; the worker sets it
  type.importance = Importance::Low;
  type.documentation = "How this converter will be used.";
  type.validator = validators::one_of({"key", "value", "header"}, false);
  type.recommended_values = {"key", "value", "header"};
  type.valid_values_doc = "[key, value, header]";
  def.define(std::move(type));

  ConfigKey schemas_enable;
  schemas_enable.name = "schemas.enable";
  schemas_enable.type = ConfigType::Boolean;
  schemas_enable.default_value = "true";
  schemas_enable.importance = Importance::High;
  schemas_enable.documentation = "Include schemas within each of the serialized values and keys.";
  schemas_enable.group = "Schemas";
  schemas_enable.order_in_group = 1;
  schemas_enable.width = "MEDIUM";
  schemas_enable.display_name = "Enable Schemas";
  def.define(std::move(schemas_enable));

  ConfigKey cache_size;
  cache_size.name = "schemas.cache.size";
  cache_size.type = ConfigType::Int;
  cache_size.default_value = "1000";
  cache_size.importance = Importance::High;
  cache_size.documentation =
      "The maximum number of schemas that can be cached in this converter instance.";
  cache_size.group = "Schemas";
  cache_size.order_in_group = 2;
  cache_size.width = "MEDIUM";
  cache_size.display_name = "Schema Cache Size";
  def.define(std::move(cache_size));

  ConfigKey decimal_format;
  decimal_format.name = "decimal.format";
  decimal_format.type = ConfigType::String;
  decimal_format.default_value = "BASE64";
  decimal_format.importance = Importance::Low;
  decimal_format.documentation =
      "Controls which format this converter will serialize decimals in. This value is case "
      "insensitive and can be either 'BASE64' (default) or 'NUMERIC'";
  decimal_format.group = "Serialization";
  decimal_format.order_in_group = 1;
  decimal_format.width = "MEDIUM";
  decimal_format.display_name = "Decimal Format";
  decimal_format.validator = validators::one_of({"BASE64", "NUMERIC"}, true);
  decimal_format.recommended_values = {"BASE64", "NUMERIC"};
  decimal_format.valid_values_doc = "(case insensitive) [BASE64, NUMERIC]";
  def.define(std::move(decimal_format));

  ConfigKey replace_null;
  replace_null.name = "replace.null.with.default";
  replace_null.type = ConfigType::Boolean;
  replace_null.default_value = "true";
  replace_null.importance = Importance::Low;
  replace_null.documentation =
      "Whether to replace fields that have a default value and that are null to the default "
      "value. When set to true, the default value is used, otherwise null is used.";
  replace_null.group = "Serialization";
  replace_null.order_in_group = 2;
  replace_null.width = "MEDIUM";
  replace_null.display_name = "Replace null with default";
  def.define(std::move(replace_null));

  // Tributary extension (not a Kafka key): which JVM's float text to reproduce.
  ConfigKey floats;
  floats.name = "tributary.java.float.format";
  floats.type = ConfigType::String;
  floats.default_value = "legacy";
  floats.importance = Importance::Low;
  floats.documentation =
      "Tributary extension. How float and double values are written: 'legacy' reproduces "
      "Float/Double.toString of Java 8 to 18 (Kafka Connect on Java 17, the default), 'shortest' "
      "reproduces Java 19 and later (Kafka Connect on Java 21).";
  floats.group = "Serialization";
  floats.order_in_group = 3;
  floats.width = "SHORT";
  floats.display_name = "Java float format";
  floats.validator = validators::one_of({"legacy", "shortest"}, true);
  floats.recommended_values = {"legacy", "shortest"};
  floats.valid_values_doc = "(case insensitive) [LEGACY, SHORTEST]";
  def.define(std::move(floats));
  return def;
}

// ---------------------------------------------------------------------------------------------
// JsonConverter

void JsonConverter::configure(const ConfigMap& props, bool is_key) {
  (void)is_key;  // JSON output does not depend on the role
  configure_impl(props);
}

void JsonConverter::configure(const ConfigMap& props) {
  configure_impl(props);
}

void JsonConverter::configure_impl(const ConfigMap& props) {
  static const ConfigDef def = json_converter_config_def();
  const Config config(def, props);
  schemas_enable_ = config.get_bool("schemas.enable");
  const std::int64_t size = config.get_int("schemas.cache.size");
  cache_capacity_ = size > 0 ? static_cast<std::size_t>(size) : 0;
  std::string format = config.get_string("decimal.format");
  for (auto& c : format) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  decimal_format_ = format == "NUMERIC" ? DecimalFormat::Numeric : DecimalFormat::Base64;
  replace_null_with_default_ = config.get_bool("replace.null.with.default");
  std::string floats = config.get_string("tributary.java.float.format");
  for (auto& c : floats) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  float_format_ = floats == "shortest" ? JavaFloatFormat::Shortest : JavaFloatFormat::Legacy;
  lru_.clear();
  index_.clear();
}

const std::string& JsonConverter::cached_schema_json(const SchemaPtr& schema) {
  if (!lru_.empty() && lru_.front().schema.get() == schema.get()) return lru_.front().json;
  const auto it = index_.find(schema.get());
  if (it != index_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    return lru_.front().json;
  }
  std::string json;
  append_schema(schema, json);
  if (cache_capacity_ == 0) {
    scratch_ = std::move(json);
    return scratch_;
  }
  lru_.push_front(CacheEntry{schema, std::move(json)});
  index_.emplace(schema.get(), lru_.begin());
  while (lru_.size() > cache_capacity_) {
    index_.erase(lru_.back().schema.get());
    lru_.pop_back();
  }
  return lru_.front().json;
}

void JsonConverter::append_schema(const SchemaPtr& schema, std::string& out) const {
  if (!schema) {
    out += "null";
    return;
  }
  PayloadWriter payload(decimal_format_, replace_null_with_default_, float_format_, out);
  try {
    write_schema(*schema, nullptr, payload, out);
  } catch (const ConversionError& e) {
    rethrow_with_path(e);
  }
}

void JsonConverter::append_payload(const SchemaPtr& schema, const Value& value,
                                   std::string& out) const {
  PayloadWriter payload(decimal_format_, replace_null_with_default_, float_format_, out);
  try {
    payload.write(schema.get(), value);
  } catch (const ConversionError& e) {
    rethrow_with_path(e);
  }
}

bool JsonConverter::from_connect(std::string_view topic, const SchemaPtr& schema,
                                 const Value& value, std::string& out) {
  (void)topic;
  out.clear();
  if (!schema && value.is_null()) return false;  // Kafka null (tombstone)
  if (schemas_enable_) {
    out += "{\"schema\":";
    if (schema) {
      out += cached_schema_json(schema);
    } else {
      out += "null";
    }
    out += ",\"payload\":";
    append_payload(schema, value, out);
    out += '}';
  } else {
    append_payload(schema, value, out);
  }
  return true;
}

bool JsonConverter::from_connect_header(std::string_view topic, std::string_view header_key,
                                        const SchemaPtr& schema, const Value& value,
                                        std::string& out) {
  (void)header_key;
  return from_connect(topic, schema, value, out);
}

}  // namespace tributary
