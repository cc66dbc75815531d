// The engine's own JSON layer (engine/json.hpp): strict parsing with an error for every malformed
// input, number classes as nlohmann keeps them, and writing that parses back (with nlohmann, the
// reference) to the same values.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "config.hpp"
#include "json.hpp"
#include "json_io.hpp"

using trainscope::json::Value;
namespace tj = trainscope::json;

namespace {

// The ParseError message of `text`, or "" when it parses.
std::string parse_error(const std::string& text) {
  try {
    tj::parse(text);
  } catch (const tj::ParseError& error) {
    return error.what();
  }
  return "";
}

bool nlohmann_refuses(const std::string& text) {
  try {
    const nlohmann::json parsed = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception&) {
    return true;
  }
  return false;
}

std::string written(double value) {
  std::string out;
  tj::write_double(out, value);
  return out;
}

}  // namespace

TEST_CASE("json layer: parse and dump round trip, keys sorted as nlohmann writes them") {
  const char* texts[] = {
      R"({"b":1,"a":[true,false,null],"c":{"z":"x","y":-2}})",
      R"([])",
      R"({})",
      R"([[[]],{}])",
      R"("text")",
      R"(0)",
      R"(-0)",
      R"(1.5)",
      R"([1e3,-2.5E-3,12345678901234567890,-9223372036854775808])",
      R"({"k":"tab\tquote\"back\\slash\/nl\n\u0001\u001f"})",
  };
  for (const char* text : texts) {
    INFO(text);
    const std::string dumped = tj::parse(text).dump();
    CHECK(dumped == nlohmann::json::parse(text).dump());
  }
  CHECK(tj::parse(" \t\r\n{ \"a\" : [ 1 , 2 ] }\n ").dump() == R"({"a":[1,2]})");
  CHECK(tj::parse(R"({"a":1,"a":2})").dump() == R"({"a":2})");  // a repeated key: the last wins
}

TEST_CASE("json layer: accessors") {
  const Value root = tj::parse(R"({"n":null,"t":true,"s":"x","a":[1,2.5],"o":{"k":3}})");
  REQUIRE(root.is_object());
  CHECK(root.size() == 5);
  CHECK(root.key(0) == "a");  // sorted
  CHECK(root.find("missing") == nullptr);
  REQUIRE(root.find("n") != nullptr);
  CHECK(root.find("n")->is_null());
  CHECK(root.find("t")->as_bool());
  CHECK(root.find("s")->as_string() == "x");
  CHECK((*root.find("a"))[1].as_double() == 2.5);
  CHECK(root.find("o")->find("k")->as_integer() == 3);
  CHECK(std::string(root.find("n")->type_name()) == "null");
  CHECK(std::string(root.find("t")->type_name()) == "boolean");
  CHECK(std::string(root.find("a")->type_name()) == "array");
  CHECK(std::string(root.find("o")->type_name()) == "object");
  CHECK(std::string(root.find("s")->type_name()) == "string");
  CHECK(std::string((*root.find("a"))[0].type_name()) == "number");
}

TEST_CASE("json layer: integer classes as nlohmann has them") {
  struct Case {
    const char* text;
    bool integer, is_unsigned, floating;
  };
  const Case cases[] = {
      {"0", true, true, false},
      {"-0", true, false, false},
      {"42", true, true, false},
      {"-42", true, false, false},
      {"18446744073709551615", true, true, false},   // UINT64_MAX: still unsigned
      {"18446744073709551616", false, false, true},  // one more: a double
      {"-9223372036854775808", true, false, false},  // INT64_MIN
      {"-9223372036854775809", false, false, true},
      {"1.0", false, false, true},
      {"1e2", false, false, true},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    const Value value = tj::parse(c.text);
    const nlohmann::json reference = nlohmann::json::parse(c.text);
    CHECK(value.is_number());
    CHECK(value.is_number_integer() == c.integer);
    CHECK(value.is_number_unsigned() == c.is_unsigned);
    CHECK(value.is_number_float() == c.floating);
    CHECK(value.is_number_integer() == reference.is_number_integer());
    CHECK(value.is_number_unsigned() == reference.is_number_unsigned());
    CHECK(value.is_number_float() == reference.is_number_float());
    CHECK(value.as_double() == reference.get<double>());
  }
  CHECK(tj::parse("18446744073709551615").as_unsigned() == std::numeric_limits<unsigned long long>::max());
  CHECK(tj::parse("-9223372036854775808").as_integer() == std::numeric_limits<long long>::min());
  CHECK(tj::parse("-9223372036854775808").dump() == "-9223372036854775808");
}

TEST_CASE("json layer: doubles are written so they read back exactly") {
  const double values[] = {0.1,
                           static_cast<double>(0.1f),  // needs 17 digits
                           1.0 / 3.0,
                           5e-324,  // the smallest subnormal
                           2.2250738585072014e-308,
                           1.7976931348623157e308,  // the largest double
                           -123.456,
                           1e15,
                           1e16,
                           123456789012345678.0,
                           0.30000000000000004,
                           -0.0,
                           3.0,
                           -7.0,
                           6.02214076e23};
  for (const double value : values) {
    const std::string text = written(value);
    INFO(text);
    const nlohmann::json reference = nlohmann::json::parse(text);
    CHECK(reference.is_number_float());  // integral values keep their ".0", as nlohmann writes them
    CHECK(reference.get<double>() == value);
    CHECK(std::signbit(reference.get<double>()) == std::signbit(value));
    CHECK(tj::parse(text).as_double() == value);
  }
  CHECK(written(0.1) == "0.1");
  CHECK(written(3.0) == "3.0");
  CHECK(written(-0.0) == "-0.0");
  CHECK(written(1e16) == "1e+16");
  CHECK(written(1e-5) == "1e-05");
  CHECK(written(5e-324) == "5e-324");
  CHECK(written(0.0001) == "0.0001");
  CHECK(written(123456789012345.6) == "123456789012345.6");
  CHECK(written(3.5) == nlohmann::json(3.5).dump());
  CHECK(written(static_cast<double>(0.1f)) == nlohmann::json(static_cast<double>(0.1f)).dump());
  CHECK(written(std::numeric_limits<double>::quiet_NaN()) == "null");
  CHECK(written(std::numeric_limits<double>::infinity()) == "null");
  CHECK(written(-std::numeric_limits<double>::infinity()) == "null");
}

TEST_CASE("json layer: doubles are written with nlohmann's text, over random bit patterns") {
  std::mt19937_64 random(20261207);
  int differ = 0, finite = 0;
  for (int i = 0; i < 20000; ++i) {
    std::uint64_t bits = random();
    if (i % 2 == 1) bits = (bits & 0x800FFFFFFFFFFFFFULL) | ((1023ULL + bits % 64 - 32) << 52);  // near 1
    double value;
    std::memcpy(&value, &bits, sizeof value);
    if (!std::isfinite(value)) continue;
    ++finite;
    const std::string text = written(value), reference = nlohmann::json(value).dump();
    if (text != reference && ++differ <= 5) MESSAGE(text, " vs nlohmann ", reference);
  }
  CHECK(finite > 19000);
  CHECK(differ == 0);
}

TEST_CASE("json layer: integers and strings are written as nlohmann writes them") {
  std::string out;
  tj::write_integer(out, std::numeric_limits<long long>::min());
  CHECK(out == "-9223372036854775808");
  out.clear();
  tj::write_unsigned(out, std::numeric_limits<unsigned long long>::max());
  CHECK(out == "18446744073709551615");
  const std::string text = std::string("a\"b\\c\b\f\n\r\t") + '\0' + "\x1f\x7f/é😀";
  out.clear();
  tj::write_string(out, text);
  CHECK(out == nlohmann::json(text).dump());
  CHECK(tj::parse(out).as_string() == text);
}

TEST_CASE("json layer: unicode escapes and UTF-8") {
  CHECK(tj::parse(R"("\u00e9\u20AC")").as_string() == "é€");
  CHECK(tj::parse(R"("\ud83d\ude00")").as_string() == "😀");  // a surrogate pair
  CHECK(tj::parse(R"("\u0000")").as_string() == std::string(1, '\0'));
  CHECK(tj::parse("\"é😀\"").as_string() == "é😀");  // raw UTF-8 passes
  // Ill-formed UTF-8: a lone continuation byte, an overlong form, an encoded surrogate, a
  // truncated sequence, above U+10FFFF.
  for (const char* text :
       {"\"\x80\"", "\"\xC0\xAF\"", "\"\xED\xA0\x80\"", "\"\xE2\x82\"", "\"\xF4\x90\x80\x80\""}) {
    CHECK(parse_error(text).find("ill-formed UTF-8") != std::string::npos);
    CHECK(nlohmann_refuses(text));  // the reference refuses them too
  }
}

TEST_CASE("json layer: every malformed input is an error naming where") {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"", "line 1, column 1: unexpected end of input; expected a value"},
      {"   ", "unexpected end of input"},
      {"{", "unexpected end of input; expected a string (an object key)"},
      {"{\"a\"", "unexpected end of input; expected ':'"},
      {"{\"a\":", "unexpected end of input; expected a value"},
      {"{\"a\":1", "expected ',' or '}'"},
      {"[1", "expected ',' or ']'"},
      {"[1,]", "unexpected character ']'; expected a value"},  // trailing comma
      {"{\"a\":1,}", "expected a string (an object key)"},
      {"{a:1}", "expected a string (an object key)"},
      {"['a']", "unexpected character '''"},
      {"\"abc", "missing closing quote"},
      {"\"a\nb\"", "control character must be escaped"},
      {R"("\x")", "forbidden escape"},
      {R"("\u12")", "4 hex digits"},
      {R"("\u12G4")", "4 hex digits"},
      {R"("\udc00")", "lone low surrogate"},
      {R"("\ud800")", "high surrogate without its low surrogate"},
      {R"("\ud800\u0041")", "high surrogate without its low surrogate"},
      {R"("\ud800x")", "high surrogate without its low surrogate"},
      {"tru", "invalid literal; expected 'true'"},
      {"nul", "invalid literal; expected 'null'"},
      {"falsy", "invalid literal; expected 'false'"},
      {"NaN", "unexpected character 'N'; expected a value"},
      {"Infinity", "unexpected character 'I'"},
      {"-", "expected a digit"},
      {"+1", "unexpected character '+'"},
      {"01", "leading zero"},
      {"-01", "leading zero"},
      {"1.", "expected a digit after '.'"},
      {".5", "unexpected character '.'"},
      {"1e", "expected a digit in the exponent"},
      {"1e+", "expected a digit in the exponent"},
      {"1e999", "line 1, column 1: number overflow parsing '1e999'"},
      {"[-1e999]", "column 2: number overflow parsing '-1e999'"},
      {"{} x", "line 1, column 4: unexpected character 'x' after the value"},
      {"1 2", "after the value"},
      {"/* c */ 1", "unexpected character '/'"},
      {"[1]\n// c", "line 2, column 1: unexpected character '/' after the value"},
      {"[", "unexpected end of input; expected a value"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    const std::string message = parse_error(c.text);
    CHECK(message.find(c.message) != std::string::npos);
    CHECK(message.find("parse error at line ") == 0);
    CHECK(nlohmann_refuses(c.text));  // the reference refuses each as well
  }
  // A NUL byte inside the text is a byte like any other, not the end.
  CHECK(parse_error(std::string("[1]\0", 4)).find("unexpected byte 0x00 after the value") !=
        std::string::npos);
  CHECK(parse_error(std::string("\"a\0\"", 4)).find("control character") != std::string::npos);
  CHECK(tj::parse("1e-999").as_double() == 0.0);  // underflow rounds to zero, as strtod does
}

TEST_CASE("json layer: nesting is limited instead of overflowing the stack") {
  const auto nested = [](int depth, char open, char close) {
    return std::string(static_cast<std::size_t>(depth), open) +
           std::string(static_cast<std::size_t>(depth), close);
  };
  CHECK(tj::parse(nested(tj::kMaxDepth, '[', ']')).size() == 1);
  CHECK(parse_error(nested(tj::kMaxDepth + 1, '[', ']')).find("nesting deeper than 512 levels") !=
        std::string::npos);
  std::string objects;
  for (int i = 0; i <= tj::kMaxDepth; ++i) objects += "{\"a\":";
  objects += "1" + std::string(static_cast<std::size_t>(tj::kMaxDepth) + 1, '}');
  CHECK(parse_error(objects).find("nesting deeper than 512 levels") != std::string::npos);
  // Far deeper (what a fuzzer sends): refused early, the same clean error.
  CHECK(parse_error(std::string(1000000, '[')).find("nesting deeper") != std::string::npos);
}

TEST_CASE("json layer: config_from_json reports malformed JSON as a ConfigError") {
  for (const char* text : {"{\"train\":", "{\"seed\":1e999}", "[[[[", "{\"seed\":01}"}) {
    INFO(text);
    CHECK_THROWS_WITH_AS(trainscope::config_from_json(text),
                         doctest::Contains("config: invalid JSON: parse error at line 1"),
                         trainscope::ConfigError);
  }
  CHECK_THROWS_WITH_AS(trainscope::config_from_json(std::string(100000, '[')),
                       doctest::Contains("nesting deeper"), trainscope::ConfigError);
  CHECK_THROWS_WITH_AS(trainscope::path_config_from_json("{\"kappa\":}"),
                       doctest::Contains("path: invalid JSON: "), trainscope::ConfigError);
  // Wrong types keep their messages (and nlohmann's type names).
  const char* const wrong_types[][2] = {
      {R"({"train":{"batch_size":3.5}})", "train.batch_size: expected an integer, got 3.5"},
      {R"({"train":{"lr":"0.1"}})", "train.lr: expected a number, got string"},
      {R"({"train":{"shuffle":1}})", "train.shuffle: expected true or false, got an integer"},
      {R"({"train":{"shuffle":1.5}})", "train.shuffle: expected true or false, got a non-integer number"},
      {R"({"model":{"hidden":{}}})", "model.hidden: expected an array of integers, got object"},
      {R"({"train":{"lr":null}})", "train.lr: expected a number, got null"},
      {R"({"model":{"activation":[]}})", "model.activation: expected a string, got array"},
      {R"({"train":{"lr":true}})", "train.lr: expected a number, got boolean"},
      {R"({"seed":1e16})", "seed: expected an integer, got 1e+16"},
      {R"({"seed":4294967296})", "seed: must be at most 4294967295"},
  };
  for (const auto& wrong : wrong_types) {
    CHECK_THROWS_WITH_AS(trainscope::config_from_json(wrong[0]), wrong[1], trainscope::ConfigError);
  }
}

TEST_CASE("json layer: results are written as nlohmann wrote them (key order, numbers)") {
  // nlohmann's dump of the parsed text is the text nlohmann's writer produced before: same key
  // order (sorted), integers as integers, integral doubles with ".0", short doubles shortest.
  trainscope::Config config;
  config.model.hidden = {5, 3};
  const std::string config_text = trainscope::config_to_json(config);
  CHECK(config_text == nlohmann::json::parse(config_text).dump());
  trainscope::Status status;
  status.step = 7;
  status.reason = "loss became NaN";
  const std::string status_text = trainscope::to_json(status);
  CHECK(status_text == R"({"diverged":false,"reason":"loss became NaN","step":7})");
  trainscope::SplitEvaluation split;
  split.loss = 0.25;
  split.acc = std::numeric_limits<double>::quiet_NaN();  // non-finite: null
  split.count = 3;
  trainscope::Evaluation evaluation;
  evaluation.train = split;
  const std::string evaluation_text = trainscope::to_json(evaluation);
  CHECK(evaluation_text ==
        R"({"train":{"acc":null,"count":3,"loss":0.25},"val":{"acc":0.0,"count":0,"loss":0.0}})");
}
