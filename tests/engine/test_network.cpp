// Network<T>: full-model gradient checks for every activation × normalization × position, dropout,
// each loss and L1/L2; structure (tensor names, parameter counts); batch-size changes; float/double
// copies; and the BENCHMARKS.md W1 workload reproduced end to end.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "gradcheck.hpp"
#include "loss.hpp"
#include "network.hpp"
#include "reference_mulberry32.hpp"

using namespace trainscope;
using trainscope::test::check_gradient;
using trainscope::test::describe;
using trainscope::test::pattern_matrix;

namespace {

ModelConfig small_model(const std::string& activation, const std::string& norm, const std::string& position) {
  ModelConfig model;
  model.hidden = {6, 4};
  model.activation = activation;
  model.norm = norm;
  model.norm_position = position;
  model.groups = 2;
  model.init = "xavier";
  model.bias_init = 0.05;
  return model;
}

Matrix<double> class_labels(Index batch, int classes) {
  Matrix<double> labels(batch, 1);
  for (Index b = 0; b < batch; ++b) labels(b, 0) = static_cast<double>((b * 7 + 1) % classes);
  return labels;
}

// Smallest distance of any value the last forward fed into a kink (ReLU-family 0, maxout ties) —
// the finite-difference step must not cross one.
double distance_to_kinks(const Network<double>& net) {
  double nearest = INFINITY;
  for (int i = 0; i < net.blocks(); ++i) {
    const BlockView<double> view = net.block(i);
    const Matrix<double>& pre = *view.pre;
    if (view.activation == "maxout") {
      nearest =
          std::min(nearest, (pre.leftCols(view.units) - pre.rightCols(view.units)).cwiseAbs().minCoeff());
    } else if (view.activation == "relu" || view.activation == "leaky_relu" || view.activation == "prelu" ||
               view.activation == "elu") {
      nearest = std::min(nearest, pre.cwiseAbs().minCoeff());
    }
  }
  return nearest;
}

struct NetworkCheck {
  double worst = 0;
  double kink_distance = INFINITY;
  std::vector<std::string> lines;
};

// Checks dL/dparams of data loss + regularization against central differences, tensor by tensor.
// Dropout: every loss evaluation starts from a copy of the same rng, so all of them use one mask.
NetworkCheck check_network(Network<double>& net, const Matrix<double>& x, const Matrix<double>& targets,
                           const std::string& loss, double l1, double l2, Rng dropout_rng,
                           bool regression = false) {
  auto total_loss = [&]() {
    Rng rng = dropout_rng;
    const Matrix<double>& scores = net.forward(x, Mode::kTrain, &rng);
    return compute_loss<double>(loss, scores, targets, regression, nullptr).loss +
           net.regularization(l1, l2, false);
  };
  Rng rng = dropout_rng;
  const Matrix<double>& scores = net.forward(x, Mode::kTrain, &rng);
  Matrix<double> dscores;
  compute_loss(loss, scores, targets, regression, &dscores);
  net.backward(dscores);
  net.regularization(l1, l2, true);
  const std::vector<double> analytic(net.grads(), net.grads() + net.param_count());
  NetworkCheck result;
  result.kink_distance = distance_to_kinks(net);
  for (const TensorInfo& info : net.tensors()) {
    if (!info.trainable) continue;
    const auto check =
        check_gradient(net.params() + info.offset, analytic.data() + info.offset, info.size(), total_loss);
    result.worst = std::max(result.worst, check.max_rel_error);
    result.lines.push_back(describe(info.name, check));
  }
  return result;
}

// Moves every parameter a little off its initial value (γ ≠ 1, β ≠ 0, α ≠ 0.25) so that no
// gradient term is hidden by a special value.
void jitter(Network<double>& net, unsigned seed) {
  const Matrix<double> noise = pattern_matrix(1, static_cast<Index>(net.param_count()), seed, -0.2, 0.2);
  for (std::size_t k = 0; k < net.param_count(); ++k) net.params()[k] += noise(0, static_cast<Index>(k));
}

}  // namespace

TEST_CASE("network gradient check: every activation x normalization x position (double, tol 1e-6)") {
  const std::vector<std::string> activations = {"identity", "sigmoid", "tanh",   "relu", "leaky_relu",
                                                "prelu",    "elu",     "maxout", "gelu"};
  const std::vector<std::pair<std::string, std::string>> norms = {
      {"none", "before"}, {"batch", "before"}, {"batch", "after"}, {"layer", "before"},
      {"layer", "after"}, {"group", "before"}, {"group", "after"}};
  const Matrix<double> x = pattern_matrix(7, 3, 11, -1.5, 1.5);
  const Matrix<double> labels = class_labels(7, 3);
  unsigned seed = 100;
  for (const std::string& activation : activations) {
    for (const auto& [norm, position] : norms) {
      ModelConfig model = small_model(activation, norm, position);
      if (activation == "leaky_relu") model.alpha = 0.1;  // a slope big enough to matter
      Network<double> net(model, 3, 3);
      // Deterministically pick the first initialization whose pre-activations all stay 1e-3 away
      // from a kink, so the ±1e-5 steps of the check cannot cross one.
      for (int attempt = 0; attempt < 20; ++attempt) {
        Rng init(seed++);
        net.initialize(init);
        jitter(net, seed++);
        net.forward(x, Mode::kTrain, nullptr);
        if (distance_to_kinks(net) > 1e-3) break;
      }
      const NetworkCheck check = check_network(net, x, labels, "softmax", 0, 0, Rng(1));
      const std::string label = activation + " norm=" + norm + "/" + position;
      std::string details = label;
      for (const std::string& line : check.lines) details += "\n  " + line;
      MESSAGE(label << ": worst rel error " << check.worst);
      CHECK_MESSAGE(check.kink_distance > 1e-3, label);
      CHECK_MESSAGE(check.worst < 1e-6, details);
    }
  }
}

TEST_CASE("network gradient check: dropout with a fixed mask, each loss, L1 and L2") {
  const Matrix<double> x = pattern_matrix(8, 3, 21, -1.5, 1.5);
  const Matrix<double> labels = class_labels(8, 3);
  SUBCASE("dropout p = 0.4, tanh, batch norm") {
    ModelConfig model = small_model("tanh", "batch", "before");
    model.dropout = 0.4;
    Network<double> net(model, 3, 3);
    Rng init(5);
    net.initialize(init);
    jitter(net, 6);
    const NetworkCheck check = check_network(net, x, labels, "softmax", 0, 0, Rng(77));
    for (const std::string& line : check.lines) MESSAGE(line);
    CHECK(check.kink_distance > 1e-4);
    CHECK(check.worst < 1e-6);
  }
  for (const std::string loss : {"softmax", "svm", "mse"}) {
    SUBCASE(("loss " + loss + " with L1 = 0.01 and L2 = 0.1").c_str()) {
      Network<double> net(small_model("elu", "none", "before"), 3, 3);
      Rng init(9);
      net.initialize(init);
      jitter(net, 10);
      const NetworkCheck check = check_network(net, x, labels, loss, 0.01, 0.1, Rng(1));
      if (loss == "svm") {  // hinge kinks: every margin must stay away from 0
        Matrix<double> scores = net.forward(x, Mode::kTrain, nullptr);
        for (Index b = 0; b < scores.rows(); ++b) {
          const int y = static_cast<int>(labels(b, 0));
          for (Index j = 0; j < scores.cols(); ++j)
            if (j != y) REQUIRE(std::abs(scores(b, j) - scores(b, y) + 1) > 1e-4);
        }
      }
      for (const std::string& line : check.lines) MESSAGE(line);
      CHECK(check.kink_distance > 1e-4);
      CHECK(check.worst < 1e-6);
    }
  }
  SUBCASE("mse regression targets") {
    Network<double> net(small_model("gelu", "layer", "before"), 3, 2);
    Rng init(12);
    net.initialize(init);
    const Matrix<double> targets = pattern_matrix(8, 2, 31);
    const NetworkCheck check = check_network(net, x, targets, "mse", 0, 0.05, Rng(1), true);
    for (const std::string& line : check.lines) MESSAGE(line);
    CHECK(check.kink_distance > 1e-4);
    CHECK(check.worst < 1e-6);
  }
}

TEST_CASE("regularization: penalty and gradient by hand") {
  ModelConfig model;
  model.hidden = {2};
  Network<double> net(model, 1, 1);
  // Tensors: hidden1.W (1x2), hidden1.b (2), output.W (2x1), output.b (1)
  REQUIRE(net.param_count() == 7);
  const double values[7] = {0.5, -2.0, 9.0, 9.0, 1.0, 0.0, 9.0};
  std::copy(values, values + 7, net.params());
  std::fill(net.grads(), net.grads() + 7, 0.0);
  // Σ|W| = 0.5 + 2 + 1 + 0 = 3.5;  ΣW² = 0.25 + 4 + 1 = 5.25
  // penalty = 0.1·3.5 + ½·0.2·5.25 = 0.35 + 0.525 = 0.875
  CHECK(net.regularization(0.1, 0.2, true) == doctest::Approx(0.875).epsilon(1e-12).scale(0));
  // gradient: 0.1·sign(W) + 0.2·W  →  [0.2, −0.5, (b) 0, 0, 0.3, 0 (sign 0 = 0), (b) 0]
  const double expected[7] = {0.2, -0.5, 0, 0, 0.3, 0, 0};
  for (int k = 0; k < 7; ++k) {
    INFO("entry ", k);
    if (expected[k] == 0) {
      CHECK(net.grads()[k] == 0.0);
    } else {
      CHECK(net.grads()[k] == doctest::Approx(expected[k]).epsilon(1e-12).scale(0));
    }
  }
}

TEST_CASE("tensor layout: names, decay flags, parameter count formula") {
  SUBCASE("plain relu MLP 2 -> 100 -> 100 -> 3") {
    ModelConfig model;
    Network<float> net(model, 2, 3);
    // (2·100 + 100) + (100·100 + 100) + (100·3 + 3)
    CHECK(net.param_count() == 300 + 10100 + 303);
    CHECK(net.state_count() == 0);
    std::vector<std::string> names;
    for (const auto& t : net.tensors()) names.push_back(t.name);
    CHECK(names == std::vector<std::string>{"hidden1.W", "hidden1.b", "hidden2.W", "hidden2.b", "output.W",
                                            "output.b"});
    CHECK(net.tensors()[0].decay);
    CHECK_FALSE(net.tensors()[1].decay);
    CHECK(net.tensors()[4].layer == 2);
  }
  SUBCASE("batch norm + prelu: gamma, beta, alpha, then state") {
    ModelConfig model;
    model.hidden = {5};
    model.norm = "batch";
    model.activation = "prelu";
    Network<float> net(model, 3, 2);
    std::vector<std::string> names;
    for (const auto& t : net.tensors()) names.push_back(t.name + (t.trainable ? "" : "*"));
    CHECK(names == std::vector<std::string>{"hidden1.W", "hidden1.b", "hidden1.gamma", "hidden1.beta",
                                            "hidden1.alpha", "output.W", "output.b", "hidden1.running_mean*",
                                            "hidden1.running_var*"});
    CHECK(net.param_count() == 3 * 5 + 5 + 5 + 5 + 5 + 5 * 2 + 2);
    CHECK(net.state_count() == 10);
    for (const auto& t : net.tensors()) CHECK(t.decay == (t.name == "hidden1.W" || t.name == "output.W"));
    Rng rng(3);
    net.initialize(rng);
    const auto& alpha = net.tensors()[4];
    for (int j = 0; j < 5; ++j) CHECK(net.params()[alpha.offset + j] == 0.25f);
    const auto& running_var = net.tensors()[8];
    for (int j = 0; j < 5; ++j) CHECK(net.state()[running_var.offset + j] == 1.0f);
  }
  SUBCASE("maxout doubles the hidden dense parameters") {
    ModelConfig relu_model, maxout_model;
    relu_model.hidden = maxout_model.hidden = {8, 6};
    maxout_model.activation = "maxout";
    Network<float> relu(relu_model, 4, 3), maxout(maxout_model, 4, 3);
    // hidden dense parameters: relu (4·8 + 8) + (8·6 + 6) = 94; maxout twice that; output 6·3 + 3 = 21 in
    // both
    CHECK(relu.param_count() == 94 + 21);
    CHECK(maxout.param_count() == 2 * 94 + 21);
    CHECK(maxout.tensors()[0].cols == 16);
  }
}

TEST_CASE("invalid structures throw ConfigError naming the field") {
  ModelConfig model;
  model.hidden = {30, 20};
  model.norm = "group";
  model.groups = 4;
  // validate() names the field and the group counts that would fit ...
  Config config;
  config.model = model;
  try {
    validate(config);
    FAIL("expected ConfigError");
  } catch (const ConfigError& error) {
    CHECK(error.field() == "model.groups");
    const std::string message = error.what();
    CHECK(message.find("got 4 for width 30") != std::string::npos);
    CHECK(message.find("1, 2, 5, 10") != std::string::npos);  // common divisors of 30 and 20
  }
  // ... and the layer refuses such a split on its own.
  try {
    Network<float> net(model, 2, 3);
    FAIL("expected ConfigError");
  } catch (const ConfigError& error) {
    CHECK(error.field() == "model.groups");
  }
  model.norm = "none";
  model.activation = "swish";
  CHECK_THROWS_WITH_AS(Network<float>(model, 2, 3),
                       doctest::Contains("model.activation: unknown activation 'swish'"), ConfigError);
  model.activation = "relu";
  model.init = "kaiming";
  CHECK_THROWS_WITH_AS(Network<float>(model, 2, 3),
                       doctest::Contains("model.init: unknown initializer 'kaiming'"), ConfigError);
}

TEST_CASE("W = 0 initialization: every hidden unit computes the same value and gets the same gradient") {
  ModelConfig model;
  model.hidden = {5, 4};
  model.activation = "tanh";
  model.init = "zeros";
  model.bias_init = 0.3;
  Network<double> net(model, 3, 3);
  Rng rng(1);
  net.initialize(rng);
  const Matrix<double> x = pattern_matrix(6, 3, 4);
  const Matrix<double>& scores = net.forward(x, Mode::kTrain, nullptr);
  for (int i = 0; i < net.blocks(); ++i) {
    const Matrix<double>& act = *net.block(i).act;
    for (Index j = 1; j < act.cols(); ++j) CHECK((act.col(j) - act.col(0)).cwiseAbs().maxCoeff() == 0.0);
    CHECK(act(0, 0) == doctest::Approx(std::tanh(0.3)).epsilon(1e-12).scale(0));
  }
  Matrix<double> dscores;
  compute_loss("softmax", scores, class_labels(6, 3), false, &dscores);
  net.backward(dscores);
  // hidden2.W's columns (one per unit) receive identical gradients: symmetry is never broken.
  const TensorInfo& w2 = net.tensors()[2];
  const ConstMatrixMap<double> grad(net.grads() + w2.offset, w2.rows, w2.cols);
  for (Index j = 1; j < grad.cols(); ++j) CHECK((grad.col(j) - grad.col(0)).cwiseAbs().maxCoeff() < 1e-15);
}

TEST_CASE("forward/backward at a second batch size, and eval mode after train mode") {
  ModelConfig model;
  model.hidden = {6, 4};
  model.norm = "batch";
  model.activation = "tanh";
  Network<double> net(model, 3, 3);
  Rng rng(2);
  net.initialize(rng);
  for (Index batch : {5, 9, 5}) {
    const Matrix<double> x = pattern_matrix(batch, 3, static_cast<unsigned>(batch));
    const NetworkCheck check = check_network(net, x, class_labels(batch, 3), "softmax", 0, 0, Rng(1));
    INFO("batch ", batch);
    CHECK(check.kink_distance > 1e-4);
    CHECK(check.worst < 1e-6);
    CHECK(net.forward(x, Mode::kEval, nullptr).rows() == batch);
  }
}

TEST_CASE("copy_from float <-> double keeps parameters and state") {
  ModelConfig model;
  model.hidden = {4};
  model.norm = "batch";
  Network<float> single(model, 2, 3);
  Rng rng(8);
  single.initialize(rng);
  single.forward(pattern_matrix(6, 2, 1).cast<float>(), Mode::kTrain, nullptr);  // moves running stats
  Network<double> twin(model, 2, 3);
  twin.copy_from(single);
  for (std::size_t k = 0; k < single.param_count(); ++k)
    CHECK(twin.params()[k] == double(single.params()[k]));
  for (std::size_t k = 0; k < single.state_count(); ++k) CHECK(twin.state()[k] == double(single.state()[k]));
  Network<float> back(model, 2, 3);
  back.copy_from(twin);
  for (std::size_t k = 0; k < single.param_count(); ++k) CHECK(back.params()[k] == single.params()[k]);
  ModelConfig other = model;
  other.hidden = {5};
  Network<double> different(other, 2, 3);
  CHECK_THROWS_WITH_AS(different.copy_from(single),
                       doctest::Contains("copy_from: networks have different structures"),
                       std::invalid_argument);
}

TEST_CASE("dropout rate can change live and eval mode is deterministic") {
  ModelConfig model;
  model.hidden = {50};
  Network<double> net(model, 3, 2);
  Rng rng(4);
  net.initialize(rng);
  const Matrix<double> x = pattern_matrix(10, 3, 3);
  const Matrix<double> clean = net.forward(x, Mode::kTrain, nullptr);
  net.set_dropout(0.5);
  Rng dropout(9);
  const Matrix<double> noisy = net.forward(x, Mode::kTrain, &dropout);
  CHECK((noisy - clean).cwiseAbs().maxCoeff() > 1e-3);
  const Matrix<double> eval = net.forward(x, Mode::kEval, nullptr);
  CHECK((eval - clean).cwiseAbs().maxCoeff() == 0.0);
  CHECK_THROWS_WITH_AS(net.set_dropout(1.0), doctest::Contains("model.dropout: must be in [0, 1)"),
                       ConfigError);
}

// BENCHMARKS.md workload W1, end to end: data from mulberry32(42), He initialization from
// Rng(1337) through Network::initialize, float32, plain SGD written out here. The published
// losses were reproduced by four independent engines.
TEST_CASE("BENCHMARKS W1: initial loss 1.035703 and 0.702420 after 200 SGD steps") {
  const int count = 512, batch = 64;
  trainscope_test::ReferenceMulberry32 data_rng(42);
  Matrix<float> x(count, 2), labels(count, 1);
  for (int k = 0; k < count; ++k) {
    const int c = k % 3;
    const double r = data_rng.rand();
    const double theta = 4.0 * c + 4.0 * r + 0.2 * data_rng.randn();
    x(k, 0) = static_cast<float>(r * std::sin(theta));
    x(k, 1) = static_cast<float>(r * std::cos(theta));
    labels(k, 0) = static_cast<float>(c);
  }
  ModelConfig model;  // defaults: hidden {100, 100}, relu, he, bias 0
  Network<float> net(model, 2, 3);
  Rng init(1337);
  net.initialize(init);
  auto pool_loss = [&]() {
    return compute_loss<float>("softmax", net.forward(x, Mode::kEval, nullptr), labels, false, nullptr).loss;
  };
  CHECK(pool_loss() == doctest::Approx(1.035703).epsilon(2e-6));
  Matrix<float> xb(batch, 2), yb(batch, 1), dscores;
  for (int s = 0; s < 200; ++s) {
    const int first = (s % 8) * batch;
    xb = x.middleRows(first, batch);
    yb = labels.middleRows(first, batch);
    compute_loss("softmax", net.forward(xb, Mode::kTrain, nullptr), yb, false, &dscores);
    net.backward(dscores);
    for (std::size_t k = 0; k < net.param_count(); ++k) net.params()[k] -= 0.01f * net.grads()[k];
  }
  const double after = pool_loss();
  MESSAGE("W1 loss after 200 steps: " << after << " (published 0.702420)");
  CHECK(after == doctest::Approx(0.702420).epsilon(1e-5).scale(0));
}
