// CS231n lectures 6–7 as properties of the engine: each phenomenon the lab teaches (LECTURE.md)
// must actually happen, measured through the public Trainer API.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "trainer.hpp"

namespace {

using trainscope::Config;
using trainscope::Trainer;

// The lecture's initialization experiment: 10 hidden layers of 500 units on unit-Gaussian input
// (gaussian_cloud, 500 dims). Only forward statistics are needed, so no training happens.
std::vector<trainscope::LayerStats> deep_net_stats(const std::string& activation, const std::string& init,
                                                   double init_scale) {
  Config config;
  config.data.dataset = "gaussian_cloud";
  config.data.dims = 500;
  config.data.samples = 100;
  config.data.classes = 10;
  config.data.val_fraction = 0;
  config.model.hidden = std::vector<int>(10, 500);
  config.model.activation = activation;
  config.model.init = init;
  config.model.init_scale = init_scale;
  config.train.batch_size = 100;
  config.diagnostics.probe_size = 100;
  Trainer trainer(config);
  std::vector<trainscope::LayerStats> stats = trainer.layer_stats();
  stats.pop_back();  // the output layer
  REQUIRE(stats.size() == 10);
  return stats;
}

Config spiral_config() {
  Config config;
  config.seed = 5;
  config.data.dataset = "spiral";
  config.data.samples = 300;
  config.data.classes = 3;
  config.model.hidden = {50, 50};
  config.diagnostics.cadence = 0;
  return config;
}

}  // namespace

TEST_CASE("W = 0: no symmetry breaking, every unit of a layer stays identical") {
  Config config = spiral_config();
  config.model.init = "zeros";
  config.model.activation = "sigmoid";  // sigmoid(0) = 0.5: the gradients are not all zero
  config.model.hidden = {6, 5};
  config.train.lr = 0.5;
  Trainer trainer(config);
  trainer.step(100);
  for (const char* name : {"hidden1.W", "hidden2.W"}) {
    int index = -1;
    for (std::size_t t = 0; t < trainer.tensors().size(); ++t)
      if (trainer.tensors()[t].name == name) index = static_cast<int>(t);
    REQUIRE(index >= 0);
    const trainscope::TensorInfo& info = trainer.tensors()[static_cast<std::size_t>(index)];
    const std::vector<float> w = trainer.get_tensor(index);
    double largest = 0;
    // Column u holds unit u's incoming weights; all columns must equal column 0, relative to the
    // weight's size (the weights are small: an absolute bound would hide differences between them).
    for (int i = 0; i < info.rows; ++i) {
      const float first = w[static_cast<std::size_t>(i) * info.cols];
      largest = std::max(largest, std::abs(static_cast<double>(first)));
      for (int u = 1; u < info.cols; ++u) {
        const float other = w[static_cast<std::size_t>(i) * info.cols + u];
        INFO("row ", i, " column ", u, ": ", other, " vs column 0: ", first);
        CHECK(std::abs(other - first) <= 1e-5f * std::abs(first));
      }
    }
    INFO(name);
    CHECK(largest > 1e-4);  // the weights did move: identical, not frozen
  }
}

TEST_CASE("initialization: the 10 x 500 tanh net of the lecture") {
  SUBCASE("normal 0.01: activations shrink layer after layer towards 0") {
    const auto stats = deep_net_stats("tanh", "normal", 0.01);
    for (std::size_t k = 1; k < stats.size(); ++k) {
      INFO("layer " << k + 1 << " std " << stats[k].act.std << " after " << stats[k - 1].act.std);
      CHECK(stats[k].act.std < stats[k - 1].act.std);
    }
    CHECK(stats.back().act.std < 1e-4);
    CHECK(stats.front().act.std > 0.1);
  }
  SUBCASE("normal 1.0: tanh units saturate in every layer") {
    const auto stats = deep_net_stats("tanh", "normal", 1.0);
    for (const auto& layer : stats) {
      INFO(layer.name << " saturated " << layer.saturated_fraction);
      CHECK(layer.saturated_fraction > 0.5);
    }
  }
  SUBCASE("xavier keeps the last layer's std within a small factor of the first") {
    const auto stats = deep_net_stats("tanh", "xavier", 0.0);
    const double ratio = stats.back().act.std / stats.front().act.std;
    INFO("first " << stats.front().act.std << ", last " << stats.back().act.std);
    CHECK(ratio > 0.2);
    CHECK(ratio <= 1.0);
    for (const auto& layer : stats) CHECK(layer.saturated_fraction < 0.05);
  }
}

TEST_CASE("initialization: ReLU needs He, Xavier collapses") {
  const auto xavier = deep_net_stats("relu", "xavier", 0.0);
  const auto he = deep_net_stats("relu", "he", 0.0);
  const double xavier_ratio = xavier.back().act.std / xavier.front().act.std;
  const double he_ratio = he.back().act.std / he.front().act.std;
  INFO("xavier ratio " << xavier_ratio << ", he ratio " << he_ratio);
  // Xavier halves the variance per ReLU layer: std × (1/√2)^9 ≈ 0.044 over nine layers.
  CHECK(xavier_ratio < 0.1);
  CHECK(he_ratio > 0.5);
  CHECK(he_ratio < 2.0);
}

TEST_CASE("sanity check: the initial softmax loss with small weights is ln C") {
  Config config = spiral_config();
  config.data.dataset = "gaussians";
  config.data.classes = 5;
  config.model.init = "normal";
  config.model.init_scale = 1e-3;
  Trainer trainer(config);
  const trainscope::InitialLossCheck check = trainer.initial_loss_check();
  CHECK(check.expected == doctest::Approx(std::log(5.0)));
  CHECK(check.measured == doctest::Approx(std::log(5.0)).epsilon(1e-3));

  // Raising the regularization strength raises the loss.
  Config regularized = config;
  regularized.train.l2 = 1e3;
  Trainer plain_run(config), regularized_run(regularized);
  const trainscope::StepMetrics plain = plain_run.step(1), strong = regularized_run.step(1);
  CHECK(plain.data_loss == strong.data_loss);
  CHECK(strong.reg_loss > 0);
  CHECK(strong.loss > plain.loss);
}

TEST_CASE("sanity check: a 20-example subset can be overfit to 100% training accuracy") {
  Config config = spiral_config();
  config.data.train_limit = 20;
  config.train.optimizer = "adam";
  config.train.lr = 0.01;
  config.train.batch_size = 20;
  Trainer trainer(config);
  trainer.step(400);
  const trainscope::Evaluation evaluation = trainer.evaluate();
  CHECK(evaluation.train.count == 20);
  CHECK(evaluation.train.acc == 1.0);
  CHECK(evaluation.train.loss < 0.05);
  CHECK(evaluation.val.acc < 1.0);  // 20 points do not describe the spiral
}

TEST_CASE("a huge learning rate is reported as a divergence, not silent NaN") {
  Config config = spiral_config();
  config.train.lr = 1e4;
  Trainer trainer(config);
  for (int s = 0; s < 100 && !trainer.status().diverged; ++s) trainer.step(1);
  REQUIRE(trainer.status().diverged);
  INFO(trainer.status().reason);
  CHECK(trainer.status().step >= 1);
  CHECK_THROWS_AS(trainer.step(1), std::runtime_error);
  for (double loss : trainer.history().loss) CHECK(std::isfinite(loss));
}

TEST_CASE("batch norm rescues the deep net initialized with normal 0.01") {
  auto final_loss = [](const std::string& norm) {
    Config config = spiral_config();
    config.model.hidden = std::vector<int>(8, 50);
    config.model.activation = "tanh";
    config.model.init = "normal";
    config.model.init_scale = 0.01;
    config.model.norm = norm;
    config.train.optimizer = "momentum";
    config.train.lr = 0.05;
    config.train.batch_size = 64;
    Trainer trainer(config);
    trainer.step(150);
    return trainer.evaluate().train.loss;
  };
  const double without = final_loss("none");
  const double with = final_loss("batch");
  INFO("without BN " << without << ", with BN " << with << ", ln 3 = " << std::log(3.0));
  CHECK(without > std::log(3.0) - 0.02);  // stuck at chance level
  CHECK(with < std::log(3.0) - 0.3);      // clearly learning
}

TEST_CASE("dead ReLUs rise with a very high learning rate") {
  auto dead_after = [](double lr) {
    Config config = spiral_config();
    config.model.hidden = {100, 100};
    config.train.lr = lr;
    Trainer trainer(config);
    trainer.step(200);
    REQUIRE_FALSE(trainer.status().diverged);
    const auto stats = trainer.layer_stats();
    return (stats[0].dead_fraction + stats[1].dead_fraction) / 2;
  };
  const double gentle = dead_after(0.05);
  const double violent = dead_after(3.0);
  INFO("dead fraction: lr 0.05 → " << gentle << ", lr 3 → " << violent);
  CHECK(gentle < 0.1);
  CHECK(violent > gentle + 0.15);
}

TEST_CASE("every optimizer decreases the loss on a 20-example subset") {
  const std::vector<std::pair<std::string, double>> optimizers = {
      {"sgd", 0.1},      {"momentum", 0.05}, {"nesterov", 0.05}, {"adagrad", 0.05},
      {"rmsprop", 0.005}, {"adam", 0.005},    {"adamw", 0.005}};
  // Plain locals, not a structured binding: clang 14 (em++) rejects bindings captured by INFO's lambda.
  for (const auto& optimizer : optimizers) {
    const std::string& name = optimizer.first;
    const double lr = optimizer.second;
    Config config = spiral_config();
    config.data.train_limit = 20;
    config.train.batch_size = 20;
    config.train.optimizer = name;
    config.train.lr = lr;
    Trainer trainer(config);
    const double before = trainer.evaluate().train.loss;
    trainer.step(100);
    const double after = trainer.evaluate().train.loss;
    INFO(name << ": " << before << " → " << after);
    CHECK(after < 0.7 * before);
  }
}
