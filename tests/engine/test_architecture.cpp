// model.layers through the public surfaces: JSON in and out, validation messages that show the
// size arithmetic and name the layer, the architecture summary (shapes, parameters, multiply-adds
// counted here by hand), and conv nets that train and pass the gradient check (the zero-allocation
// step of a conv net is held in test_trainer.cpp, which counts allocations).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "config.hpp"
#include "json_io.hpp"
#include "trainer.hpp"

using trainscope::Config;
using trainscope::ConfigError;
using trainscope::LayerSpec;
using trainscope::Trainer;

namespace {

// The ConfigError message config_from_json + validate produce for `json`, or "" when valid.
std::string error_of(const std::string& json) {
  try {
    trainscope::validate(trainscope::config_from_json(json));
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "";
}

// Custom 1 x side x side images, 2 classes: a vertical bar (0) or a horizontal bar (1) at a
// position and brightness from a small LCG, plus a faint noise floor.
void bar_images(Config& config, int count, int side) {
  config.data.dataset = "custom";
  config.data.shape = {1, side, side};
  config.data.dims = side * side;
  config.data.classes = 2;
  config.data.x.assign(static_cast<std::size_t>(count) * side * side, 0.0f);
  config.data.y.resize(count);
  unsigned state = 12345;
  auto next = [&state] { return (state = state * 1103515245u + 12345u) >> 16; };
  for (int n = 0; n < count; ++n) {
    const int label = n % 2;
    const int at = static_cast<int>(next() % side);
    const float value = 0.5f + static_cast<float>(next() % 100) / 200.0f;
    float* image = config.data.x.data() + static_cast<std::size_t>(n) * side * side;
    for (int i = 0; i < side * side; ++i) image[i] = static_cast<float>(next() % 100) / 1000.0f;
    for (int k = 0; k < side; ++k) image[label == 0 ? k * side + at : at * side + k] += value;
    config.data.y[n] = static_cast<float>(label);
  }
  config.data.samples = count;
}

LayerSpec conv(int filters, int size, int stride = 0, int pad = 0) {
  LayerSpec spec;
  spec.type = "conv", spec.filters = filters, spec.size = size, spec.stride = stride, spec.pad = pad;
  return spec;
}
LayerSpec pool(int size, const char* mode = "") {
  LayerSpec spec;
  spec.type = "pool", spec.size = size, spec.mode = mode;
  return spec;
}
LayerSpec dense(int units) {
  LayerSpec spec;
  spec.type = "dense", spec.units = units;
  return spec;
}

}  // namespace

TEST_CASE("the lecture's example: 10 filters of 5x5x3 on 32x32x3 have 760 parameters") {
  Config config;
  bar_images(config, 4, 32);
  config.data.shape = {3, 32, 32};  // three channels: 4 rows of 3·32·32 values
  config.data.dims = 3 * 32 * 32;
  config.data.x.resize(4 * 3 * 32 * 32, 0.25f);
  config.data.val_fraction = 0.25;
  config.model.layers = {conv(10, 5)};
  Trainer trainer(config);
  const std::vector<trainscope::LayerSummary> rows = trainer.summary();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].type == "conv");
  CHECK(rows[0].path == "model.layers[0]");
  CHECK(rows[0].input == std::vector<int>{3, 32, 32});
  CHECK(rows[0].output == std::vector<int>{10, 28, 28});  // (32 − 5 + 0)/1 + 1
  CHECK(rows[0].parameters == 760);                          // 10 · (5·5·3 + 1)
  CHECK(rows[0].multiply_adds == 28.0 * 28 * 10 * 75);
  CHECK(rows[1].type == "output");
  CHECK(rows[1].input == std::vector<int>{10, 28, 28});
  CHECK(rows[1].parameters == 10 * 28 * 28 * 2 + 2);
  // The network's parameter tensors hold exactly the summary's counts.
  std::size_t conv_values = 0;
  for (const auto& tensor : trainer.tensors()) {
    if (tensor.name.rfind(rows[0].name + ".", 0) == 0 && tensor.trainable) conv_values += static_cast<std::size_t>(tensor.rows) * tensor.cols;
  }
  CHECK(conv_values == 760);
}

TEST_CASE("validation shows the size arithmetic and names the layer") {
  const std::string image = R"("data": {"dataset": "custom", "shape": [1, 28, 28], "x": [)" +
                            [] {
                              std::string values;
                              for (int i = 0; i < 2 * 28 * 28; ++i) values += (i ? ",0" : "0");
                              return values;
                            }() +
                            R"(], "y": [0, 1]})";
  auto config_with = [&](const std::string& layers) { return "{" + image + R"(, "model": {"layers": )" + layers + "}}"; };
  CHECK(error_of(config_with(R"([{"type": "conv", "filters": 4, "size": 3, "pad": "same"}, {"type": "pool"},
                                 {"type": "conv", "filters": 4, "size": 5, "stride": 2}])")) ==
        "model.layers[2]: output size (14 − 5 + 2·0)/2 + 1 = 5.5 is not an integer; change stride or pad");
  const std::string below = error_of(config_with(R"([{"type": "conv", "filters": 4, "size": 4, "stride": 4},
                                                      {"type": "pool", "size": 7}, {"type": "conv", "filters": 2, "size": 3}])"));
  CHECK(below.rfind("model.layers[2]: output size (1 − 3 + 2·0)/1 + 1 = -1 is below 1", 0) == 0);
  CHECK(error_of(config_with(R"([{"type": "conv", "filters": 4, "size": 4, "pad": "same"}])"))
            .rfind("model.layers[0]", 0) == 0);
  CHECK(error_of(config_with(R"([{"type": "conv", "filters": 4, "size": 3, "units": 7}])"))
            .rfind("model.layers[0].units", 0) == 0);
  CHECK(error_of(config_with(R"([{"type": "conv", "size": 3}])")).rfind("model.layers[0].filters: is required", 0) == 0);
  CHECK(error_of(config_with(R"([{"type": "fc", "units": 3}])")).rfind("model.layers[0].type: unknown layer type 'fc'", 0) == 0);
  CHECK(error_of(config_with(R"([{"type": "pool", "mode": "min"}])")).rfind("model.layers[0].mode", 0) == 0);
  CHECK(error_of(config_with(R"([{"type": "dense", "units": 8, "norm": "instance"}])")).rfind("model.layers[0]", 0) == 0);
  CHECK(error_of(config_with(R"([{"type": "conv", "filters": 6, "size": 3, "norm": "group"}])")).find("does not divide the layer's 6 filters") !=
        std::string::npos);
  CHECK(error_of(config_with(R"([{"type": "conv", "filters": 8, "size": 3, "norm": "group"}])")).empty());
  CHECK(error_of(config_with(R"([{"type": "conv", "filters": 8, "size": 3, "activation": "maxout"}])"))
            .rfind("model.layers[0]: maxout is for dense layers only", 0) == 0);
  // model.hidden and model.layers together are refused; pooling a 2-D point is refused.
  CHECK(error_of(R"({"model": {"hidden": [8], "layers": [{"type": "dense", "units": 8}]}})")
            .rfind("model.layers: give either model.hidden", 0) == 0);
  CHECK(error_of(R"({"model": {"layers": [{"type": "pool"}]}})").rfind("model.layers[0]", 0) == 0);
  CHECK(error_of(R"({"model": {"layers": [{"type": "dense", "units": 8}]}})").empty());
  // data.shape must match the rows.
  CHECK(error_of(R"({"data": {"dataset": "custom", "dims": 3, "shape": [1, 2, 2], "x": [0,0,0, 0,0,0], "y": [0, 1]}})")
            .rfind("data.shape", 0) == 0);
}

TEST_CASE("model.layers round-trips through JSON with its overrides and pad \"same\"") {
  const std::string json = R"({"model": {"layers": [
      {"type": "conv", "filters": 4, "size": 3, "pad": "same", "norm": "batch", "activation": "tanh"},
      {"type": "pool", "size": 2, "mode": "avg"},
      {"type": "dense", "units": 16, "dropout": 0.25, "init": "xavier"}]},
    "data": {"dataset": "custom", "shape": [2, 4, 4], "x": [)" +
                           std::string([] {
                             std::string values;
                             for (int i = 0; i < 3 * 32; ++i) values += (i ? ",0.5" : "0.5");
                             return values;
                           }()) +
                           R"(], "y": [0, 1, 0]}})";
  const Config config = trainscope::config_from_json(json);
  REQUIRE(config.model.layers.size() == 3);
  CHECK(config.model.layers[0].pad == trainscope::kPadSame);
  CHECK(config.model.layers[1].mode == "avg");
  CHECK(config.model.layers[2].dropout == 0.25);
  CHECK(config.data.dims == 32);  // C·H·W of data.shape
  const std::string written = trainscope::config_to_json(config);
  CHECK(written.find("\"hidden\"") == std::string::npos);  // one of the two, never both
  CHECK(written.find("\"pad\":\"same\"") != std::string::npos);
  const Config again = trainscope::config_from_json(written);
  CHECK(again.model.layers == config.model.layers);
  CHECK(trainscope::config_to_json(again) == written);
}

TEST_CASE("a dense layer list is model.hidden by another name: identical training") {
  Config hidden;
  hidden.data.samples = 200;
  hidden.model.hidden = {16, 8};
  Config layers = hidden;
  layers.model.hidden = {};
  layers.model.layers = {dense(16), dense(8)};
  Trainer a(hidden), b(layers);
  for (int round = 0; round < 3; ++round) CHECK(a.step(20).loss == b.step(20).loss);
  const auto rows = b.summary();
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].parameters == 2 * 16 + 16);
  CHECK(rows[1].parameters == 16 * 8 + 8);
  CHECK(rows[2].parameters == 8 * 3 + 3);
  CHECK(a.summary()[1].path == "model.hidden[1]");
  CHECK(rows[1].path == "model.layers[1]");
}

TEST_CASE("a small conv net learns bars and passes the gradient check") {
  Config config;
  bar_images(config, 160, 8);
  config.data.val_fraction = 0.25;
  config.model.layers = {conv(4, 3, 1, trainscope::kPadSame), pool(2), conv(6, 3), dense(8)};
  config.model.layers[2].norm = "group";
  config.model.groups = 2;
  config.model.norm = "batch";
  config.train.optimizer = "adam";
  config.train.lr = 0.01;
  config.train.batch_size = 16;
  config.diagnostics.cadence = 10;
  Trainer trainer(config);
  const auto rows = trainer.summary();
  REQUIRE(rows.size() == 5);
  CHECK(rows[0].output == std::vector<int>{4, 8, 8});
  CHECK(rows[1].output == std::vector<int>{4, 4, 4});
  CHECK(rows[2].output == std::vector<int>{6, 2, 2});
  CHECK(rows[2].norm == "group");
  CHECK(rows[0].norm == "batch");
  CHECK(rows[3].input == std::vector<int>{6, 2, 2});
  // conv: W 9·4 + b 4, batch norm γ, β per channel 2·4
  CHECK(rows[0].parameters == 9 * 4 + 4 + 2 * 4);
  CHECK(rows[1].parameters == 0);
  CHECK(rows[1].multiply_adds == 0);

  const double first = trainer.step(1).loss;
  trainer.step(299);
  const trainscope::Evaluation evaluation = trainer.evaluate();
  CHECK(evaluation.train.loss < 0.5 * first);
  CHECK(evaluation.val.acc >= 0.9);

  // Diagnostics: one row per conv / dense block and the output, dead fraction per channel in [0, 1].
  const auto stats = trainer.layer_stats();
  CHECK(stats.size() == 4);
  for (const auto& layer : stats) {
    CHECK(layer.dead_fraction >= 0.0);
    CHECK(layer.dead_fraction <= 1.0);
  }

  const trainscope::GradCheckResult check = trainer.grad_check();
  INFO(check.reason);
  CHECK(check.passed);
  CHECK(check.max_rel_error < 1e-5);
}

TEST_CASE("feature maps: the first conv block's maps are ReLU(conv(x)) computed here by a naive loop") {
  Config config;
  bar_images(config, 40, 8);
  config.data.val_fraction = 0.25;
  config.model.layers = {conv(2, 3, 1, 1), pool(2), dense(4)};
  Trainer trainer(config);
  trainer.step(5);
  const trainscope::DataSplit val = trainer.val_data();
  const int index = 3;
  const std::vector<trainscope::FeatureMap> maps = trainer.feature_maps(index);
  REQUIRE(maps.size() == 2);  // conv and dense blocks (pooling has no activation)
  CHECK(maps[0].path == "model.layers[0]");
  CHECK(maps[0].shape == std::vector<int>{2, 8, 8});
  CHECK(maps[1].shape == std::vector<int>{4, 1, 1});
  std::vector<float> W, b;
  for (std::size_t t = 0; t < trainer.tensors().size(); ++t) {
    if (trainer.tensors()[t].name == maps[0].name + ".W") W = trainer.get_tensor(static_cast<int>(t));
    if (trainer.tensors()[t].name == maps[0].name + ".b") b = trainer.get_tensor(static_cast<int>(t));
  }
  REQUIRE(W.size() == 9 * 2);
  const float* x = val.x.data() + static_cast<std::size_t>(index) * 64;
  double worst = 0;
  for (int f = 0; f < 2; ++f) {
    for (int i = 0; i < 8; ++i) {
      for (int j = 0; j < 8; ++j) {
        double sum = b[f];
        for (int ky = 0; ky < 3; ++ky) {
          for (int kx = 0; kx < 3; ++kx) {
            const int y = i + ky - 1, xx = j + kx - 1;  // pad 1
            if (y < 0 || y >= 8 || xx < 0 || xx >= 8) continue;
            sum += static_cast<double>(x[y * 8 + xx]) * W[(ky * 3 + kx) * 2 + f];  // W: taps x filters
          }
        }
        worst = std::max(worst, std::fabs(std::max(0.0, sum) - maps[0].values[(f * 8 + i) * 8 + j]));
      }
    }
  }
  CHECK(worst < 1e-5);
  CHECK_THROWS_AS(trainer.feature_maps(10), std::out_of_range);  // 10 validation examples: 0..9
  CHECK_THROWS_AS(trainer.feature_maps(-1), std::out_of_range);
  // Asking for maps between steps does not change training: the next step equals a twin's.
  Trainer twin(config);
  twin.step(5);
  CHECK(trainer.step(3).loss == twin.step(3).loss);
}
