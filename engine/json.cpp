// The JSON layer of json.hpp. Plain recursive descent over (pointer, end): the text may hold any
// bytes, NUL included (the config fuzzer feeds arbitrary input). Written for small code: no
// iostreams, no templates beyond std::string / std::vector, numbers through strtod / snprintf,
// which the engine links anyway.
#include "json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace trainscope {
namespace json {

const char* Value::type_name() const {
  switch (type_) {
    case Type::null:
      return "null";
    case Type::boolean:
      return "boolean";
    case Type::string:
      return "string";
    case Type::array:
      return "array";
    case Type::object:
      return "object";
    default:
      return "number";
  }
}

long long Value::as_integer() const {
  if (type_ == Type::integer) return scalar_.integer;
  if (type_ == Type::unsigned_integer) return static_cast<long long>(scalar_.unsigned_integer);
  return type_ == Type::floating ? static_cast<long long>(scalar_.floating) : 0;
}

unsigned long long Value::as_unsigned() const {
  if (type_ == Type::unsigned_integer) return scalar_.unsigned_integer;
  if (type_ == Type::integer) return static_cast<unsigned long long>(scalar_.integer);
  return type_ == Type::floating ? static_cast<unsigned long long>(scalar_.floating) : 0;
}

double Value::as_double() const {
  if (type_ == Type::floating) return scalar_.floating;
  if (type_ == Type::integer) return static_cast<double>(scalar_.integer);
  return type_ == Type::unsigned_integer ? static_cast<double>(scalar_.unsigned_integer) : 0.0;
}

const Value* Value::find(const std::string& key) const {
  const auto at = std::lower_bound(keys_.begin(), keys_.end(), key);
  return at != keys_.end() && *at == key ? &items_[at - keys_.begin()] : nullptr;
}

// ---------------------------------------------------------------------------------------------
// Parsing.

class Parser {
 public:
  Parser(const char* begin, const char* end) : begin_(begin), at_(begin), end_(end) {}

  Value document() {
    Value value;
    skip_space();
    parse_value(value, 0);
    skip_space();
    if (at_ != end_) fail("unexpected " + describe_here() + " after the value");
    return value;
  }

 private:
  const char* begin_;
  const char* at_;
  const char* end_;

  // Line and column (1-based, columns in bytes) of the current position, as nlohmann reports.
  [[noreturn]] void fail(const std::string& what) const {
    int line = 1;
    const char* line_start = begin_;
    for (const char* p = begin_; p < at_; ++p) {
      if (*p == '\n') ++line, line_start = p + 1;
    }
    throw ParseError("parse error at line " + std::to_string(line) + ", column " +
                     std::to_string(at_ - line_start + 1) + ": " + what);
  }

  // The byte at the cursor, for messages: 'x' when printable ASCII, else its hex code (the text
  // may be anything; the message must stay readable UTF-8).
  std::string describe_here() const {
    if (at_ == end_) return "end of input";
    const unsigned char c = static_cast<unsigned char>(*at_);
    if (c >= 0x20 && c < 0x7f) return std::string("character '") + static_cast<char>(c) + "'";
    char text[16];
    std::snprintf(text, sizeof text, "byte 0x%02X", c);
    return text;
  }

  [[noreturn]] void unexpected(const char* expected) const {
    fail("unexpected " + describe_here() + "; expected " + expected);
  }

  void skip_space() {
    while (at_ != end_ && (*at_ == ' ' || *at_ == '\t' || *at_ == '\n' || *at_ == '\r')) ++at_;
  }

  bool take(char c) {
    if (at_ == end_ || *at_ != c) return false;
    ++at_;
    return true;
  }

  void parse_value(Value& value, int depth) {
    if (at_ == end_) unexpected("a value");
    switch (*at_) {
      case '{':
        return parse_object(value, depth + 1);
      case '[':
        return parse_array(value, depth + 1);
      case '"':
        value.type_ = Value::Type::string;
        return parse_string(value.string_);
      case 't':
        return parse_literal("true", value, Value::Type::boolean, true);
      case 'f':
        return parse_literal("false", value, Value::Type::boolean, false);
      case 'n':
        return parse_literal("null", value, Value::Type::null, false);
      default:
        if (*at_ == '-' || (*at_ >= '0' && *at_ <= '9')) return parse_number(value);
        unexpected("a value");
    }
  }

  void parse_literal(const char* word, Value& value, Value::Type type, bool truth) {
    const std::size_t length = std::strlen(word);
    if (static_cast<std::size_t>(end_ - at_) < length || std::memcmp(at_, word, length) != 0) {
      fail(std::string("invalid literal; expected '") + word + "'");
    }
    at_ += length;
    value.type_ = type;
    value.scalar_.boolean = truth;
  }

  void enter(int depth) const {
    if (depth > kMaxDepth) fail("nesting deeper than " + std::to_string(kMaxDepth) + " levels");
  }

  void parse_array(Value& value, int depth) {
    enter(depth);
    ++at_;  // '['
    value.type_ = Value::Type::array;
    skip_space();
    if (take(']')) return;
    for (;;) {
      value.items_.emplace_back();
      parse_value(value.items_.back(), depth);
      skip_space();
      if (take(']')) return;
      if (!take(',')) unexpected("',' or ']'");
      skip_space();
    }
  }

  void parse_object(Value& value, int depth) {
    enter(depth);
    ++at_;  // '{'
    value.type_ = Value::Type::object;
    skip_space();
    if (take('}')) return;
    for (;;) {
      if (at_ == end_ || *at_ != '"') unexpected("a string (an object key)");
      std::string key;
      parse_string(key);
      skip_space();
      if (!take(':')) unexpected("':'");
      skip_space();
      // Keys stay sorted; a repeated key replaces the earlier value (as nlohmann does).
      const auto at = std::lower_bound(value.keys_.begin(), value.keys_.end(), key);
      const std::size_t index = static_cast<std::size_t>(at - value.keys_.begin());
      if (at == value.keys_.end() || *at != key) {
        value.keys_.insert(at, std::move(key));
        value.items_.emplace(value.items_.begin() + static_cast<std::ptrdiff_t>(index));
      } else {
        value.items_[index] = Value();
      }
      parse_value(value.items_[index], depth);
      skip_space();
      if (take('}')) return;
      if (!take(',')) unexpected("',' or '}'");
      skip_space();
    }
  }

  // Four hex digits of a \u escape.
  unsigned hex4() {
    unsigned code = 0;
    for (int i = 0; i < 4; ++i, ++at_) {
      const char c = at_ == end_ ? '\0' : *at_;
      unsigned digit;
      if (c >= '0' && c <= '9')
        digit = static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f')
        digit = static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        digit = static_cast<unsigned>(c - 'A' + 10);
      else
        fail("invalid string: '\\u' must be followed by 4 hex digits");
      code = code * 16 + digit;
    }
    return code;
  }

  static void append_utf8(std::string& out, unsigned code) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  // One UTF-8 sequence starting at a byte >= 0x80, checked as RFC 3629 defines it (no overlong
  // forms, no surrogates, nothing above U+10FFFF), copied to `out`.
  void copy_utf8(std::string& out) {
    const unsigned char lead = static_cast<unsigned char>(*at_);
    int continuation = 0;
    unsigned char low = 0x80, high = 0xBF;  // the range allowed for the first continuation byte
    if (lead >= 0xC2 && lead <= 0xDF)
      continuation = 1;
    else if (lead == 0xE0)
      continuation = 2, low = 0xA0;
    else if (lead == 0xED)
      continuation = 2, high = 0x9F;
    else if (lead >= 0xE1 && lead <= 0xEF)
      continuation = 2;
    else if (lead == 0xF0)
      continuation = 3, low = 0x90;
    else if (lead == 0xF4)
      continuation = 3, high = 0x8F;
    else if (lead >= 0xF1 && lead <= 0xF3)
      continuation = 3;
    else
      fail("invalid string: ill-formed UTF-8 byte");
    const char* start = at_++;
    for (int i = 0; i < continuation; ++i, ++at_) {
      const unsigned char byte = at_ == end_ ? 0 : static_cast<unsigned char>(*at_);
      if (byte < low || byte > high) fail("invalid string: ill-formed UTF-8 byte");
      low = 0x80, high = 0xBF;
    }
    out.append(start, at_);
  }

  void parse_string(std::string& out) {
    ++at_;  // '"'
    for (;;) {
      if (at_ == end_) fail("invalid string: missing closing quote");
      const unsigned char c = static_cast<unsigned char>(*at_);
      if (c == '"') {
        ++at_;
        return;
      }
      if (c < 0x20) fail("invalid string: control character must be escaped");
      if (c >= 0x80) {
        copy_utf8(out);
        continue;
      }
      ++at_;
      if (c != '\\') {
        out += static_cast<char>(c);
        continue;
      }
      const char escape = at_ == end_ ? '\0' : *at_++;
      switch (escape) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          unsigned code = hex4();
          if (code >= 0xDC00 && code <= 0xDFFF) fail("invalid string: lone low surrogate");
          if (code >= 0xD800 && code <= 0xDBFF) {  // must be followed by \u and a low surrogate
            if (!(take('\\') && take('u'))) fail("invalid string: high surrogate without its low surrogate");
            const unsigned low = hex4();
            if (low < 0xDC00 || low > 0xDFFF)
              fail("invalid string: high surrogate without its low surrogate");
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(out, code);
          break;
        }
        default:
          if (at_ != begin_) --at_;  // point at the bad escape
          fail("invalid string: forbidden escape");
      }
    }
  }

  bool digit_here() const { return at_ != end_ && *at_ >= '0' && *at_ <= '9'; }

  // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? ; integers that fit 64 bits stay integers.
  void parse_number(Value& value) {
    const char* start = at_;
    const bool negative = take('-');
    if (!digit_here()) unexpected("a digit");
    if (take('0')) {
      if (digit_here()) fail("invalid number: leading zero");
    } else {
      while (digit_here()) ++at_;
    }
    bool integral = true;
    if (take('.')) {
      integral = false;
      if (!digit_here()) unexpected("a digit after '.'");
      while (digit_here()) ++at_;
    }
    if (at_ != end_ && (*at_ == 'e' || *at_ == 'E')) {
      ++at_;
      integral = false;
      if (!take('+')) take('-');
      if (!digit_here()) unexpected("a digit in the exponent");
      while (digit_here()) ++at_;
    }
    if (integral) {
      // Accumulate the magnitude; past 2^64 - 1 (or -2^63 for negatives) the number is a double.
      unsigned long long magnitude = 0;
      bool fits = true;
      for (const char* p = start + (negative ? 1 : 0); p < at_; ++p) {
        const unsigned digit = static_cast<unsigned>(*p - '0');
        if (magnitude > (~0ULL - digit) / 10) {
          fits = false;
          break;
        }
        magnitude = magnitude * 10 + digit;
      }
      if (fits && !negative) {
        value.type_ = Value::Type::unsigned_integer;
        value.scalar_.unsigned_integer = magnitude;
        return;
      }
      if (fits && magnitude <= (1ULL << 63)) {
        value.type_ = Value::Type::integer;
        value.scalar_.integer = magnitude == (1ULL << 63) ? static_cast<long long>(-9223372036854775807LL - 1)
                                                          : -static_cast<long long>(magnitude);
        return;
      }
    }
    const std::string token(start, at_);  // strtod needs a terminated copy
    const double number = std::strtod(token.c_str(), nullptr);
    if (!std::isfinite(number)) {
      at_ = start;
      fail("number overflow parsing '" + token + "'");
    }
    value.type_ = Value::Type::floating;
    value.scalar_.floating = number;
  }
};

Value parse(const std::string& text) { return Parser(text.data(), text.data() + text.size()).document(); }

// ---------------------------------------------------------------------------------------------
// Writing.

void write_null(std::string& out) { out += "null"; }

void write_bool(std::string& out, bool value) { out += value ? "true" : "false"; }

void write_unsigned(std::string& out, unsigned long long value) {
  char digits[24];
  char* p = digits + sizeof digits;
  do {
    *--p = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  out.append(p, digits + sizeof digits);
}

void write_integer(std::string& out, long long value) {
  if (value < 0) out += '-';
  // Unsigned negation: no overflow for the most negative value.
  write_unsigned(out, value < 0 ? 0ULL - static_cast<unsigned long long>(value)
                                : static_cast<unsigned long long>(value));
}

// Shortest round-trip digits of a positive double: Grisu2 (Florian Loitsch, "Printing
// floating-point numbers quickly and accurately with integers", PLDI 2010), the algorithm
// nlohmann::json writes doubles with, so the text is the same as before. printf("%.17g") plus a
// strtod check was tried first: in wasm musl's printf works in software long double and took
// ~17 us per number (History and feature maps have tens of thousands); this takes well under 1 us.
namespace {

struct DiyFp {  // f * 2^e
  std::uint64_t f;
  int e;
};

DiyFp sub(DiyFp x, DiyFp y) { return {x.f - y.f, x.e}; }

// The upper 64 bits of the 128-bit product, rounded.
DiyFp mul(DiyFp x, DiyFp y) {
  const std::uint64_t u_lo = x.f & 0xFFFFFFFFu, u_hi = x.f >> 32;
  const std::uint64_t v_lo = y.f & 0xFFFFFFFFu, v_hi = y.f >> 32;
  const std::uint64_t p0 = u_lo * v_lo, p1 = u_lo * v_hi, p2 = u_hi * v_lo, p3 = u_hi * v_hi;
  std::uint64_t q = (p0 >> 32) + (p1 & 0xFFFFFFFFu) + (p2 & 0xFFFFFFFFu);
  q += 1ULL << 31;  // round
  return {p3 + (p2 >> 32) + (p1 >> 32) + (q >> 32), x.e + y.e + 64};
}

DiyFp normalize(DiyFp x) {
  while ((x.f >> 63) == 0) x.f <<= 1, --x.e;
  return x;
}

// 10^k for k = -300, -292, ..., 324 as normalized 64-bit significands (rounded to nearest) and
// binary exponents: f * 2^e. Generated with exact rational arithmetic.
struct CachedPower {
  std::uint64_t f;
  short e, k;
};
constexpr CachedPower kCachedPowers[] = {
    {0xAB70FE17C79AC6CA, -1060, -300}, {0xFF77B1FCBEBCDC4F, -1034, -292}, {0xBE5691EF416BD60C, -1007, -284},
    {0x8DD01FAD907FFC3C, -980, -276},  {0xD3515C2831559A83, -954, -268},  {0x9D71AC8FADA6C9B5, -927, -260},
    {0xEA9C227723EE8BCB, -901, -252},  {0xAECC49914078536D, -874, -244},  {0x823C12795DB6CE57, -847, -236},
    {0xC21094364DFB5637, -821, -228},  {0x9096EA6F3848984F, -794, -220},  {0xD77485CB25823AC7, -768, -212},
    {0xA086CFCD97BF97F4, -741, -204},  {0xEF340A98172AACE5, -715, -196},  {0xB23867FB2A35B28E, -688, -188},
    {0x84C8D4DFD2C63F3B, -661, -180},  {0xC5DD44271AD3CDBA, -635, -172},  {0x936B9FCEBB25C996, -608, -164},
    {0xDBAC6C247D62A584, -582, -156},  {0xA3AB66580D5FDAF6, -555, -148},  {0xF3E2F893DEC3F126, -529, -140},
    {0xB5B5ADA8AAFF80B8, -502, -132},  {0x87625F056C7C4A8B, -475, -124},  {0xC9BCFF6034C13053, -449, -116},
    {0x964E858C91BA2655, -422, -108},  {0xDFF9772470297EBD, -396, -100},  {0xA6DFBD9FB8E5B88F, -369, -92},
    {0xF8A95FCF88747D94, -343, -84},   {0xB94470938FA89BCF, -316, -76},   {0x8A08F0F8BF0F156B, -289, -68},
    {0xCDB02555653131B6, -263, -60},   {0x993FE2C6D07B7FAC, -236, -52},   {0xE45C10C42A2B3B06, -210, -44},
    {0xAA242499697392D3, -183, -36},   {0xFD87B5F28300CA0E, -157, -28},   {0xBCE5086492111AEB, -130, -20},
    {0x8CBCCC096F5088CC, -103, -12},   {0xD1B71758E219652C, -77, -4},     {0x9C40000000000000, -50, 4},
    {0xE8D4A51000000000, -24, 12},     {0xAD78EBC5AC620000, 3, 20},       {0x813F3978F8940984, 30, 28},
    {0xC097CE7BC90715B3, 56, 36},      {0x8F7E32CE7BEA5C70, 83, 44},      {0xD5D238A4ABE98068, 109, 52},
    {0x9F4F2726179A2245, 136, 60},     {0xED63A231D4C4FB27, 162, 68},     {0xB0DE65388CC8ADA8, 189, 76},
    {0x83C7088E1AAB65DB, 216, 84},     {0xC45D1DF942711D9A, 242, 92},     {0x924D692CA61BE758, 269, 100},
    {0xDA01EE641A708DEA, 295, 108},    {0xA26DA3999AEF774A, 322, 116},    {0xF209787BB47D6B85, 348, 124},
    {0xB454E4A179DD1877, 375, 132},    {0x865B86925B9BC5C2, 402, 140},    {0xC83553C5C8965D3D, 428, 148},
    {0x952AB45CFA97A0B3, 455, 156},    {0xDE469FBD99A05FE3, 481, 164},    {0xA59BC234DB398C25, 508, 172},
    {0xF6C69A72A3989F5C, 534, 180},    {0xB7DCBF5354E9BECE, 561, 188},    {0x88FCF317F22241E2, 588, 196},
    {0xCC20CE9BD35C78A5, 614, 204},    {0x98165AF37B2153DF, 641, 212},    {0xE2A0B5DC971F303A, 667, 220},
    {0xA8D9D1535CE3B396, 694, 228},    {0xFB9B7CD9A4A7443C, 720, 236},    {0xBB764C4CA7A44410, 747, 244},
    {0x8BAB8EEFB6409C1A, 774, 252},    {0xD01FEF10A657842C, 800, 260},    {0x9B10A4E5E9913129, 827, 268},
    {0xE7109BFBA19C0C9D, 853, 276},    {0xAC2820D9623BF429, 880, 284},    {0x80444B5E7AA7CF85, 907, 292},
    {0xBF21E44003ACDD2D, 933, 300},    {0x8E679C2F5E44FF8F, 960, 308},    {0xD433179D9C8CB841, 986, 316},
    {0x9E19DB92B4E31BA9, 1013, 324}};

// Writes the digits of `value` (> 0, finite) to `digits` and returns how many; value equals
// digits * 10^exponent, and no shorter digit string lies within value's rounding interval.
int grisu2(double value, char* digits, int& exponent) {
  std::uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  const std::uint64_t hidden = 1ULL << 52;
  const int biased = static_cast<int>(bits >> 52);
  const std::uint64_t fraction = bits & (hidden - 1);
  const DiyFp v = biased == 0 ? DiyFp{fraction, 1 - 1075} : DiyFp{fraction + hidden, biased - 1075};
  // The boundaries halfway to the neighbouring doubles (the lower one is closer at a power of 2).
  const DiyFp plus = normalize({2 * v.f + 1, v.e - 1});
  DiyFp minus = fraction == 0 && biased > 1 ? DiyFp{4 * v.f - 1, v.e - 2} : DiyFp{2 * v.f - 1, v.e - 1};
  minus = {minus.f << (minus.e - plus.e), plus.e};

  // A cached power c = 10^-k bringing plus's exponent into [-60, -32].
  const int f = -60 - plus.e - 1;
  const int k = (f * 78913) / (1 << 18) + static_cast<int>(f > 0);
  const CachedPower& cached = kCachedPowers[(300 + k + 7) / 8];
  const DiyFp c{cached.f, cached.e};
  const DiyFp w = mul(normalize(v), c);
  const DiyFp low = mul(minus, c), high = mul(plus, c);
  const DiyFp m_minus{low.f + 1, low.e}, m_plus{high.f - 1, high.e};
  exponent = -cached.k;

  // Digit generation: integral part p1, fractional part p2 of m_plus, until within delta.
  std::uint64_t delta = sub(m_plus, m_minus).f, dist = sub(m_plus, w).f;
  const int shift = -m_plus.e;
  const std::uint64_t one = 1ULL << shift;
  std::uint32_t p1 = static_cast<std::uint32_t>(m_plus.f >> shift);
  std::uint64_t p2 = m_plus.f & (one - 1);
  int length = 0, n = 1;
  std::uint32_t pow10 = 1;
  while (n < 10 && p1 / pow10 >= 10) pow10 *= 10, ++n;
  std::uint64_t rest = 0, unit = 0;
  for (; n > 0; --n, pow10 /= 10) {
    digits[length++] = static_cast<char>('0' + p1 / pow10);
    p1 %= pow10;
    rest = (static_cast<std::uint64_t>(p1) << shift) + p2;
    if (rest <= delta) {
      exponent += n - 1;
      unit = static_cast<std::uint64_t>(pow10) << shift;
      break;
    }
  }
  if (n == 0) {  // the integral digits were not enough: fractional digits
    int m = 0;
    do {
      p2 *= 10;
      digits[length++] = static_cast<char>('0' + (p2 >> shift));
      p2 &= one - 1;
      ++m;
      delta *= 10;
      dist *= 10;
    } while (p2 > delta);
    exponent -= m;
    rest = p2;
    unit = one;
  }
  // Round the last digit towards w while staying inside the interval.
  while (rest < dist && delta - rest >= unit && (rest + unit < dist || dist - rest > rest + unit - dist)) {
    --digits[length - 1];
    rest += unit;
  }
  return length;
}

}  // namespace

void write_double(std::string& out, double value) {
  if (!std::isfinite(value)) return write_null(out);
  if (std::signbit(value)) out += '-', value = -value;
  if (value == 0) {
    out += "0.0";
    return;
  }
  char digits[20];
  int exponent = 0;
  const int k = grisu2(value, digits, exponent);
  const int n = k + exponent;  // value = 0.digits * 10^n
  // nlohmann's layout: plain decimals for 10^-5 < value < 10^15, integral ones with ".0",
  // otherwise d.ddde+XX with at least two exponent digits (as printf's %g).
  if (k <= n && n <= 15) {
    out.append(digits, static_cast<std::size_t>(k));
    out.append(static_cast<std::size_t>(n - k), '0');
    out += ".0";
  } else if (0 < n && n <= 15) {
    out.append(digits, static_cast<std::size_t>(n));
    out += '.';
    out.append(digits + n, static_cast<std::size_t>(k - n));
  } else if (-4 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out.append(digits, static_cast<std::size_t>(k));
  } else {
    out += digits[0];
    if (k > 1) out += '.', out.append(digits + 1, static_cast<std::size_t>(k - 1));
    int e = n - 1;
    out += e < 0 ? "e-" : "e+";
    e = e < 0 ? -e : e;
    if (e >= 100) out += static_cast<char>('0' + e / 100);
    out += static_cast<char>('0' + e / 10 % 10);
    out += static_cast<char>('0' + e % 10);
  }
}

void write_string(std::string& out, const std::string& value) {
  out += '"';
  for (const char ch : value) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c >= 0x20) {
      out += ch;  // UTF-8 passes through unescaped, as nlohmann writes it
    } else {
      switch (c) {
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default: {
          char escape[8];
          std::snprintf(escape, sizeof escape, "\\u%04x", c);  // lower-case hex, as nlohmann
          out += escape;
        }
      }
    }
  }
  out += '"';
}

namespace {

// "[a,b,...]", each element by `write_one`.
template <class T, class Write>
void write_array(std::string& out, const std::vector<T>& values, Write write_one) {
  out += '[';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    write_one(out, values[i]);
  }
  out += ']';
}

}  // namespace

void write_doubles(std::string& out, const std::vector<double>& values) {
  write_array(out, values, write_double);
}
void write_floats(std::string& out, const std::vector<float>& values) {
  write_array(out, values, write_double);
}
void write_ints(std::string& out, const std::vector<int>& values) { write_array(out, values, write_integer); }
void write_strings(std::string& out, const std::vector<std::string>& values) {
  write_array(out, values, write_string);
}

std::string Value::dump() const {
  std::string out;
  switch (type_) {
    case Type::null:
      write_null(out);
      break;
    case Type::boolean:
      write_bool(out, scalar_.boolean);
      break;
    case Type::integer:
      write_integer(out, scalar_.integer);
      break;
    case Type::unsigned_integer:
      write_unsigned(out, scalar_.unsigned_integer);
      break;
    case Type::floating:
      write_double(out, scalar_.floating);
      break;
    case Type::string:
      write_string(out, string_);
      break;
    case Type::array:
    case Type::object:
      out += type_ == Type::array ? '[' : '{';
      for (std::size_t i = 0; i < items_.size(); ++i) {
        if (i > 0) out += ',';
        if (type_ == Type::object) write_string(out, keys_[i]), out += ':';
        out += items_[i].dump();
      }
      out += type_ == Type::array ? ']' : '}';
      break;
  }
  return out;
}

Object& Object::raw(const char* key, std::string json) {
  auto at = members_.begin();
  while (at != members_.end() && at->first < key) ++at;
  if (at != members_.end() && at->first == key) {
    at->second = std::move(json);
  } else {
    members_.emplace(at, key, std::move(json));
  }
  return *this;
}

Object& Object::null(const char* key) { return raw(key, "null"); }

Object& Object::boolean(const char* key, bool value) { return raw(key, value ? "true" : "false"); }

Object& Object::integer(const char* key, long long value) {
  std::string text;
  write_integer(text, value);
  return raw(key, std::move(text));
}

Object& Object::number(const char* key, double value) {
  std::string text;
  write_double(text, value);
  return raw(key, std::move(text));
}

Object& Object::string(const char* key, const std::string& value) {
  std::string text;
  write_string(text, value);
  return raw(key, std::move(text));
}

void Object::erase(const char* key) {
  for (auto at = members_.begin(); at != members_.end(); ++at) {
    if (at->first == key) {
      members_.erase(at);
      return;
    }
  }
}

std::string Object::text() const {
  std::size_t length = 2;
  for (const auto& member : members_) length += member.first.size() + member.second.size() + 4;
  std::string out;
  out.reserve(length);
  out += '{';
  for (std::size_t i = 0; i < members_.size(); ++i) {
    if (i > 0) out += ',';
    write_string(out, members_[i].first);
    out += ':';
    out += members_[i].second;
  }
  out += '}';
  return out;
}

Array& Array::raw(const std::string& json) {
  if (text_.size() > 1) text_ += ',';
  text_ += json;
  return *this;
}

}  // namespace json
}  // namespace trainscope
