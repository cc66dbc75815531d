// validate(): every invalid field is refused with ConfigError naming that field; the defaults are
// valid; the memory budget is enforced before anything is allocated. JSON reading is strict.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "config.hpp"
#include "json_io.hpp"
#include "trainer.hpp"

using trainscope::Config;
using trainscope::ConfigError;

namespace {

struct InvalidCase {
  const char* what;
  std::function<void(Config&)> mutate;
  const char* field;
};

// Returns the field of the ConfigError validate() throws, or "" when it does not throw.
std::string refused_field(const Config& config) {
  try {
    trainscope::validate(config);
  } catch (const ConfigError& error) {
    return error.field();
  }
  return "";
}

std::string json_error(const std::string& json) {
  try {
    trainscope::config_from_json(json);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "";
}

Config custom_config() {
  Config config;
  config.data.dataset = "custom";
  config.data.dims = 2;
  config.data.samples = 4;
  config.data.classes = 2;
  config.data.x = {0, 0, 1, 1, 0, 1, 1, 0};
  config.data.y = {0, 0, 1, 1};
  return config;
}

}  // namespace

TEST_CASE("the default config and every dataset's defaults are valid") {
  CHECK_NOTHROW(trainscope::validate(Config{}));
  for (const char* dataset : {"spiral", "gaussians", "gaussian_cloud"}) {
    Config config;
    config.data.dataset = dataset;
    INFO(dataset);
    CHECK_NOTHROW(trainscope::validate(config));
  }
  for (const char* dataset : {"circles", "xor", "moons"}) {
    Config config;
    config.data.dataset = dataset;
    config.data.classes = 2;
    INFO(dataset);
    CHECK_NOTHROW(trainscope::validate(config));
  }
  Config regression;
  regression.data.dataset = "regression";
  regression.train.loss = "mse";
  CHECK_NOTHROW(trainscope::validate(regression));
  CHECK_NOTHROW(trainscope::validate(custom_config()));
  Config linear;  // no hidden layer: a linear classifier
  linear.model.hidden = {};
  CHECK_NOTHROW(trainscope::validate(linear));
  Config big_batch;  // larger than the training set: clamped, not an error
  big_batch.train.batch_size = 100000;
  CHECK_NOTHROW(trainscope::validate(big_batch));
}

TEST_CASE("invalid configs name the offending field") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<InvalidCase> cases = {
      {"unknown dataset", [](Config& c) { c.data.dataset = "mnist"; }, "data.dataset"},
      {"unknown preprocess", [](Config& c) { c.data.preprocess = "zca"; }, "data.preprocess"},
      {"unknown activation", [](Config& c) { c.model.activation = "swish"; }, "model.activation"},
      {"unknown init", [](Config& c) { c.model.init = "kaiming"; }, "model.init"},
      {"unknown norm", [](Config& c) { c.model.norm = "instance"; }, "model.norm"},
      {"unknown norm position", [](Config& c) { c.model.norm_position = "middle"; }, "model.norm_position"},
      {"unknown optimizer", [](Config& c) { c.train.optimizer = "lbfgs"; }, "train.optimizer"},
      {"unknown schedule", [](Config& c) { c.train.schedule = "linear"; }, "train.schedule"},
      {"unknown loss", [](Config& c) { c.train.loss = "hinge"; }, "train.loss"},
      {"zero width", [](Config& c) { c.model.hidden = {10, 0}; }, "model.hidden[1]"},
      {"negative width", [](Config& c) { c.model.hidden = {-5}; }, "model.hidden[0]"},
      {"too many layers", [](Config& c) { c.model.hidden.assign(65, 4); }, "model.hidden"},
      {"lr zero", [](Config& c) { c.train.lr = 0; }, "train.lr"},
      {"lr negative", [](Config& c) { c.train.lr = -0.1; }, "train.lr"},
      {"lr NaN", [nan](Config& c) { c.train.lr = nan; }, "train.lr"},
      {"lr infinite", [inf](Config& c) { c.train.lr = inf; }, "train.lr"},
      {"dropout 1", [](Config& c) { c.model.dropout = 1.0; }, "model.dropout"},
      {"dropout negative", [](Config& c) { c.model.dropout = -0.1; }, "model.dropout"},
      {"bn momentum 1", [](Config& c) { c.model.bn_momentum = 1.0; }, "model.bn_momentum"},
      {"norm eps 0", [](Config& c) { c.model.norm_eps = 0; }, "model.norm_eps"},
      {"groups 0", [](Config& c) { c.model.groups = 0; }, "model.groups"},
      {"batch norm with batch size 1",
       [](Config& c) { c.model.norm = "batch", c.train.batch_size = 1; }, "train.batch_size"},
      {"batch norm with one training example",
       [](Config& c) { c.model.norm = "batch", c.data.train_limit = 1; }, "train.batch_size"},
      {"groups not dividing",
       [](Config& c) {
         c.model.norm = "group";
         c.model.hidden = {8, 6};
         c.model.groups = 4;
       },
       "model.groups"},
      {"alpha NaN", [nan](Config& c) { c.model.alpha = nan; }, "model.alpha"},
      {"gain 0", [](Config& c) { c.model.gain = 0; }, "model.gain"},
      {"init scale infinite", [inf](Config& c) { c.model.init_scale = inf; }, "model.init_scale"},
      {"bias init NaN", [nan](Config& c) { c.model.bias_init = nan; }, "model.bias_init"},
      {"batch size 0", [](Config& c) { c.train.batch_size = 0; }, "train.batch_size"},
      {"momentum 1", [](Config& c) { c.train.momentum = 1.0; }, "train.momentum"},
      {"beta2 negative", [](Config& c) { c.train.beta2 = -0.5; }, "train.beta2"},
      {"eps 0", [](Config& c) { c.train.eps = 0; }, "train.eps"},
      {"decay_steps 0", [](Config& c) { c.train.decay_steps = 0; }, "train.decay_steps"},
      {"gamma above 1", [](Config& c) { c.train.gamma = 1.5; }, "train.gamma"},
      {"min_lr above lr", [](Config& c) { c.train.min_lr = 1.0; }, "train.min_lr"},
      {"warmup negative", [](Config& c) { c.train.warmup = -1; }, "train.warmup"},
      {"l2 negative", [](Config& c) { c.train.l2 = -1e-3; }, "train.l2"},
      {"l1 NaN", [nan](Config& c) { c.train.l1 = nan; }, "train.l1"},
      {"clip negative", [](Config& c) { c.train.clip = -1; }, "train.clip"},
      {"samples 1", [](Config& c) { c.data.samples = 1; }, "data.samples"},
      {"samples over the cap", [](Config& c) { c.data.samples = 2000000; }, "data.samples"},
      {"classes 1", [](Config& c) { c.data.classes = 1; }, "data.classes"},
      {"circles with 3 classes",
       [](Config& c) {
         c.data.dataset = "circles";
         c.data.classes = 3;
       },
       "data.classes"},
      {"val_fraction 1", [](Config& c) { c.data.val_fraction = 1.0; }, "data.val_fraction"},
      {"val_fraction leaving nothing",
       [](Config& c) {
         c.data.samples = 10;
         c.data.val_fraction = 0.97;
       },
       "data.val_fraction"},
      {"noise negative", [](Config& c) { c.data.noise = -0.1; }, "data.noise"},
      {"spiral in 3 dims", [](Config& c) { c.data.dims = 3; }, "data.dims"},
      {"regression in 3 dims",
       [](Config& c) {
         c.data.dataset = "regression";
         c.train.loss = "mse";
         c.data.dims = 3;
       },
       "data.dims"},
      {"regression with softmax", [](Config& c) { c.data.dataset = "regression"; }, "train.loss"},
      {"regression with svm",
       [](Config& c) {
         c.data.dataset = "regression";
         c.train.loss = "svm";
       },
       "train.loss"},
      {"gaussian cloud with 0 dims",
       [](Config& c) {
         c.data.dataset = "gaussian_cloud";
         c.data.dims = 0;
       },
       "data.dims"},
      {"train_limit negative", [](Config& c) { c.data.train_limit = -1; }, "data.train_limit"},
      {"cadence negative", [](Config& c) { c.diagnostics.cadence = -1; }, "diagnostics.cadence"},
      {"probe size 0", [](Config& c) { c.diagnostics.probe_size = 0; }, "diagnostics.probe_size"},
      {"bins 1", [](Config& c) { c.diagnostics.bins = 1; }, "diagnostics.bins"},
      {"bins 201", [](Config& c) { c.diagnostics.bins = 201; }, "diagnostics.bins"},
      {"history 15", [](Config& c) { c.diagnostics.history = 15; }, "diagnostics.history"},
      {"arrays on a generated dataset", [](Config& c) { c.data.x = {1, 2}; }, "data.x"},
  };
  REQUIRE(cases.size() >= 30);
  for (const InvalidCase& invalid : cases) {
    Config config;
    invalid.mutate(config);
    INFO(invalid.what);
    CHECK(refused_field(config) == invalid.field);
  }
}

TEST_CASE("custom data: sizes, labels and finiteness are checked") {
  CHECK(refused_field(custom_config()).empty());
  struct Case {
    const char* what;
    std::function<void(Config&)> mutate;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"x too short", [](Config& c) { c.data.x.pop_back(); }, "data.x"},
      {"samples mismatch", [](Config& c) { c.data.samples = 5; }, "data.samples"},
      {"label out of range", [](Config& c) { c.data.y[2] = 2; }, "data.y"},
      {"negative label", [](Config& c) { c.data.y[0] = -1; }, "data.y"},
      {"non-integral label", [](Config& c) { c.data.y[1] = 0.5f; }, "data.y"},
      {"NaN feature", [](Config& c) { c.data.x[3] = std::numeric_limits<float>::quiet_NaN(); }, "data.x"},
      {"infinite feature", [](Config& c) { c.data.x[0] = std::numeric_limits<float>::infinity(); }, "data.x"},
      {"NaN target with mse",
       [](Config& c) {
         c.train.loss = "mse";
         c.data.y[0] = std::numeric_limits<float>::quiet_NaN();
       },
       "data.y"},
  };
  for (const Case& invalid : cases) {
    Config config = custom_config();
    invalid.mutate(config);
    INFO(invalid.what);
    CHECK(refused_field(config) == invalid.field);
  }
  Config targets = custom_config();  // with mse, y holds real-valued regression targets
  targets.train.loss = "mse";
  targets.data.y = {0.25f, -1.5f, 3.0f, 0.0f};
  CHECK(refused_field(targets).empty());
}

TEST_CASE("error messages list the allowed values") {
  Config config;
  config.model.activation = "swish";
  try {
    trainscope::validate(config);
    FAIL("no error");
  } catch (const ConfigError& error) {
    const std::string message = error.what();
    CHECK(message.find("model.activation") == 0);
    for (const char* allowed : {"relu", "tanh", "leaky_relu", "maxout", "gelu"}) {
      CHECK(message.find(allowed) != std::string::npos);
    }
  }
}

TEST_CASE("the memory budget refuses huge models before allocating anything") {
  Config config;
  config.model.hidden = {100000, 100000};  // over the width cap
  CHECK(refused_field(config) == "model.hidden[0]");
  config.model.hidden = {20000, 20000};  // 4e8 weights: ~1.6 GB as float alone
  CHECK(refused_field(config) == "model.hidden");
  try {
    trainscope::validate(config);
  } catch (const ConfigError& error) {
    CHECK(std::string(error.what()).find("512 MB budget") != std::string::npos);
  }
  // The Trainer refuses it too (it validates first: nothing of 1.6 GB is ever allocated, or this
  // test would fail under ASan's allocation limits long before the check).
  CHECK_THROWS_AS(trainscope::Trainer{config}, ConfigError);

  // The estimate grows with the model: 20000² weights are at least 4·20000² bytes.
  CHECK(trainscope::estimate_memory_bytes(config) > 4.0 * 20000.0 * 20000.0);
  // and the default config is far below the budget (a 2 → 100 → 100 → 3 net: ~10k parameters).
  const std::size_t small = trainscope::estimate_memory_bytes(Config{});
  CHECK(small < 16u * 1024u * 1024u);
  CHECK(small > 10000u * 4u);

  Config huge_data;  // 1e6 samples x 2000 dims: 8 GB of features
  huge_data.data.dataset = "gaussian_cloud";
  huge_data.data.samples = 1000000;
  huge_data.data.dims = 2000;
  CHECK(refused_field(huge_data) == "data.dims");
}

TEST_CASE("JSON reading is strict") {
  SUBCASE("missing keys take defaults") {
    const Config config = trainscope::config_from_json(R"({"train":{"lr":0.5}})");
    CHECK(config.train.lr == 0.5);
    CHECK(config.train.optimizer == "sgd");
    CHECK(config.model.hidden == std::vector<int>{100, 100});
    CHECK(config.data.dataset == "spiral");
    CHECK(trainscope::config_from_json("{}").seed == Config{}.seed);
  }
  SUBCASE("unknown keys are errors naming the path and the allowed keys") {
    const std::string message = json_error(R"({"train":{"learning_rate":0.1}})");
    CHECK(message.find("train.learning_rate: unknown key") == 0);
    CHECK(message.find("lr") != std::string::npos);
    CHECK(message.find("momentum") != std::string::npos);
    CHECK(json_error(R"({"trian":{}})").find("trian: unknown key") == 0);
    CHECK(json_error(R"({"model":{"hiden":[3]}})").find("model.hiden") == 0);
    CHECK(json_error(R"({"diagnostics":{"cadance":3}})").find("diagnostics.cadance") == 0);
  }
  SUBCASE("wrong types are errors, without coercion") {
    CHECK(json_error(R"({"train":{"lr":"0.1"}})").find("train.lr") == 0);
    CHECK(json_error(R"({"train":{"batch_size":3.5}})").find("train.batch_size") == 0);
    CHECK(json_error(R"({"train":{"shuffle":1}})").find("train.shuffle") == 0);
    CHECK(json_error(R"({"train":{"shuffle":"true"}})").find("train.shuffle") == 0);
    CHECK(json_error(R"({"model":{"activation":3}})").find("model.activation") == 0);
    CHECK(json_error(R"({"model":{"hidden":[10,"20"]}})").find("model.hidden[1]") == 0);
    CHECK(json_error(R"({"model":{"hidden":10}})").find("model.hidden") == 0);
    CHECK(json_error(R"({"data":{"x":[1,null]}})").find("data.x[1]") == 0);
    CHECK(json_error(R"({"seed":-1})").find("seed") == 0);
    CHECK(json_error(R"({"seed":4294967296})").find("seed") == 0);
    CHECK(json_error(R"({"model":[]})").find("model") == 0);
    CHECK(json_error(R"({"train":{"lr":null}})").find("train.lr") == 0);
    CHECK(json_error("[1,2]").find("config") == 0);
    CHECK(json_error("{\"train\":").find("config: invalid JSON") == 0);
    // An integral number written with a fraction is still that integer.
    CHECK(trainscope::config_from_json(R"({"train":{"batch_size":16.0}})").train.batch_size == 16);
  }
  SUBCASE("two-class datasets default to 2 classes; custom derives samples and dims") {
    CHECK(trainscope::config_from_json(R"({"data":{"dataset":"moons"}})").data.classes == 2);
    CHECK(trainscope::config_from_json(R"({"data":{"dataset":"moons","classes":3}})").data.classes == 3);
    const Config custom =
        trainscope::config_from_json(R"({"data":{"dataset":"custom","x":[1,2,3,4,5,6],"y":[0,1,1],"classes":2}})");
    CHECK(custom.data.samples == 3);
    CHECK(custom.data.dims == 2);
    CHECK(trainscope::validate_config_json(R"({"data":{"dataset":"custom","x":[1,2,3,4,5,6],"y":[0,1,1],
      "classes":2}})").empty());
  }
  SUBCASE("validate_config_json reports the first error") {
    CHECK(trainscope::validate_config_json("{}").empty());
    CHECK(trainscope::validate_config_json(R"({"train":{"lr":-1}})").find("train.lr: must be > 0") == 0);
    CHECK(trainscope::validate_config_json(R"({"train":{"lr":"x"}})").find("train.lr") == 0);
  }
}

