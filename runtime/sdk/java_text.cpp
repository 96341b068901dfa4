// Java's number text (see the header): the JDK 8-18 FloatingDecimal digits (Legacy) and the
// shortest round-trip digits of JDK 19+ (Shortest), laid out as Double.toString does.
#include "tributary/java_text.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace tributary {
namespace {

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

void append_java_double(double v, std::string& out, JavaFloatFormat format) {
  append_java_fp(v, format, out);
}

void append_java_float(float v, std::string& out, JavaFloatFormat format) {
  append_java_fp(v, format, out);
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

}  // namespace tributary
