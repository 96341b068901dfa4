// Java's text for numbers, shared by the converters and the transforms: Double.toString /
// Float.toString as the JVM prints them, and BigDecimal.toString.
//
// Threading: pure functions.
#pragma once

#include <string>

#include "tributary/data.h"

namespace tributary {

/// Which JVM's Float/Double.toString to reproduce: JDK <= 18 (Legacy) or JDK >= 19 (Shortest).
enum class JavaFloatFormat { Legacy, Shortest };

/// Java's Double.toString / Float.toString ("1.0", "1.0E10", "1.0E-5", "NaN", "-Infinity").
void append_java_double(double v, std::string& out,
                        JavaFloatFormat format = JavaFloatFormat::Legacy);
void append_java_float(float v, std::string& out, JavaFloatFormat format = JavaFloatFormat::Legacy);

/// java.math.BigDecimal.toString() of unscaled (big-endian two's complement) x 10^-scale:
/// plain unless scale < 0 or the adjusted exponent < -6 ("1.2E-7", "1.23E+5").
std::string big_decimal_to_string(const Bytes& unscaled, int scale);

}  // namespace tributary
