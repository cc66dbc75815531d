// A small JSON layer for the engine: a read-only value tree with a strict parser, and writing
// helpers that append to a std::string.
//
// Why not nlohmann::json: its templates were about a fifth of the WebAssembly code section, and
// the engine needs little of it. The engine reads one config object (small) and writes results
// (some large: History, feature maps), which are streamed as text rather than built as trees.
//
// Behaviour kept from nlohmann, because callers and tests depend on it:
//   - numbers keep their class: a non-negative integer literal is unsigned, a negative one signed,
//     anything with a fraction or exponent (or an integer out of 64-bit range) a double;
//   - object keys are kept sorted (and written sorted); a repeated key keeps the last value;
//   - doubles are written so they parse back to the same double, integral ones with ".0".
// Stricter than nlohmann: nesting deeper than kMaxDepth is an error (instead of unbounded
// recursion on hostile input).
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace trainscope {
namespace json {

constexpr int kMaxDepth = 512;

// Malformed text: "parse error at line L, column C: <what>".
class ParseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Value {
 public:
  enum class Type : unsigned char {
    null,
    boolean,
    integer,
    unsigned_integer,
    floating,
    string,
    array,
    object
  };

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::null; }
  bool is_boolean() const { return type_ == Type::boolean; }
  bool is_number() const {
    return type_ == Type::integer || type_ == Type::unsigned_integer || type_ == Type::floating;
  }
  // As nlohmann: true for signed and unsigned integers alike.
  bool is_number_integer() const { return type_ == Type::integer || type_ == Type::unsigned_integer; }
  bool is_number_unsigned() const { return type_ == Type::unsigned_integer; }
  bool is_number_float() const { return type_ == Type::floating; }
  bool is_string() const { return type_ == Type::string; }
  bool is_array() const { return type_ == Type::array; }
  bool is_object() const { return type_ == Type::object; }
  // nlohmann's names: "null", "boolean", "number", "string", "array", "object".
  const char* type_name() const;

  // Accessors assume the type was checked (a wrong type gives false / 0 / "").
  bool as_bool() const { return type_ == Type::boolean && scalar_.boolean; }
  long long as_integer() const;            // integers; a double is truncated
  unsigned long long as_unsigned() const;  // the same, as unsigned
  double as_double() const;                // any number
  const std::string& as_string() const { return string_; }

  // Arrays: elements; objects: members, in key order. size() is 0 for other types.
  std::size_t size() const { return items_.size(); }
  const Value& operator[](std::size_t index) const { return items_[index]; }
  const std::string& key(std::size_t index) const { return keys_[index]; }  // objects only
  const Value* find(const std::string& key) const;                          // nullptr if absent

  // Compact JSON text (no spaces), keys sorted.
  std::string dump() const;

 private:
  friend class Parser;
  Type type_ = Type::null;
  union {
    bool boolean;
    long long integer;
    unsigned long long unsigned_integer;
    double floating;
  } scalar_{};
  std::string string_;
  std::vector<Value> items_;       // array elements, or object values
  std::vector<std::string> keys_;  // object keys, sorted, parallel to items_
};

// RFC 8259, strictly: one value, optional whitespace around it; no comments, trailing commas,
// NaN or single quotes; strings must be valid UTF-8; a number beyond double's range is an error.
Value parse(const std::string& text);

// Writers: append one JSON value to `out`.
void write_null(std::string& out);
void write_bool(std::string& out, bool value);
void write_integer(std::string& out, long long value);
void write_unsigned(std::string& out, unsigned long long value);
// Shortest digits that read back as the same double (Grisu2, as nlohmann), in nlohmann's layout:
// integral values with ".0", exponents beyond 1e15 and below 1e-4 ("1e+16", "1e-05"). NaN and
// infinities are written as null (JSON has neither).
void write_double(std::string& out, double value);
void write_string(std::string& out, const std::string& value);
void write_doubles(std::string& out, const std::vector<double>& values);
void write_floats(std::string& out, const std::vector<float>& values);
void write_ints(std::string& out, const std::vector<int>& values);
void write_strings(std::string& out, const std::vector<std::string>& values);

// Builds one JSON object whose members are added in any order and written in key order (the
// order nlohmann's std::map gave, so output text does not change with the order of the code).
class Object {
 public:
  // `json` is a complete JSON value's text (from the writers above, or another Object's text()).
  Object& raw(const char* key, std::string json);
  Object& null(const char* key);
  Object& boolean(const char* key, bool value);
  Object& integer(const char* key, long long value);
  Object& number(const char* key, double value);  // write_double
  Object& string(const char* key, const std::string& value);
  void erase(const char* key);
  std::string text() const;

 private:
  std::vector<std::pair<std::string, std::string>> members_;  // sorted by key
};

// Builds a JSON array element by element.
class Array {
 public:
  Array& raw(const std::string& json);
  std::string text() const { return text_ + ']'; }

 private:
  std::string text_ = "[";
};

}  // namespace json
}  // namespace trainscope
