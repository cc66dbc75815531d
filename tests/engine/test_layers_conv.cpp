// Convolution, pooling and the image forms of batch, layer, group and instance norm: forward
// against naive loops written from the definitions, hand-computed values, invariants, and
// finite-difference checks of dX and every parameter gradient.
#include <doctest/doctest.h>

#include <cmath>
#include <utility>
#include <vector>

#include "gradcheck.hpp"
#include "layers/batch_norm.hpp"
#include "layers/conv.hpp"
#include "layers/group_norm.hpp"
#include "layers/pool.hpp"

using namespace trainscope;

namespace {

struct ConvCase {
  ImageShape in;
  int filters, size, stride, pad;
};

// y[b, f, oh, ow] = b_f + Σ_{c,kh,kw} W[(c,kh,kw), f] · x[b, c, oh·S − P + kh, ow·S − P + kw]
Matrix<double> naive_conv(const Matrix<double>& x, const ConvCase& k, const std::vector<double>& w,
                          const std::vector<double>& bias) {
  const int oh_n = (k.in.height - k.size + 2 * k.pad) / k.stride + 1;
  const int ow_n = (k.in.width - k.size + 2 * k.pad) / k.stride + 1;
  Matrix<double> y(x.rows(), k.filters * oh_n * ow_n);
  for (Index b = 0; b < x.rows(); ++b)
    for (int f = 0; f < k.filters; ++f)
      for (int oh = 0; oh < oh_n; ++oh)
        for (int ow = 0; ow < ow_n; ++ow) {
          double sum = bias[f];
          for (int c = 0; c < k.in.channels; ++c)
            for (int kh = 0; kh < k.size; ++kh)
              for (int kw = 0; kw < k.size; ++kw) {
                const int ih = oh * k.stride - k.pad + kh, iw = ow * k.stride - k.pad + kw;
                if (ih < 0 || iw < 0 || ih >= k.in.height || iw >= k.in.width) continue;
                const int tap = (c * k.size + kh) * k.size + kw;
                sum += w[tap * k.filters + f] * x(b, (c * k.in.height + ih) * k.in.width + iw);
              }
          y(b, (f * oh_n + oh) * ow_n + ow) = sum;
        }
  return y;
}

void fill_pattern(std::vector<double>& values, unsigned seed) {
  const Matrix<double> m = test::pattern_matrix(1, static_cast<Index>(values.size()), seed);
  for (std::size_t k = 0; k < values.size(); ++k) values[k] = m(0, static_cast<Index>(k));
}

const ConvCase kConvCases[] = {
    {{1, 5, 5}, 2, 3, 1, 0},  // valid
    {{2, 5, 6}, 3, 3, 1, 1},  // same padding, non-square image
    {{3, 7, 7}, 2, 3, 2, 1},  // stride 2 with padding (the lecture's 7x7, 3x3, stride 2, pad 1)
    {{2, 4, 4}, 1, 2, 2, 0},  // non-overlapping windows
    {{2, 3, 3}, 2, 1, 1, 0},  // 1x1 filters
    {{2, 6, 7}, 3, 5, 1, 2},  // same padding with 5x5 filters (W4's convs: taps shift by up to 2)
    {{1, 2, 3}, 2, 5, 1, 2},  // same padding wider than the image: some taps never land on it
    {{2, 5, 5}, 2, 3, 1, 2},  // stride 1, padding more than same (the image grows)
};

}  // namespace

TEST_CASE("conv forward equals the naive loop (valid, same, stride 2, 1x1)") {
  for (const ConvCase& k : kConvCases) {
    CAPTURE(k.in.channels);
    CAPTURE(k.in.height);
    CAPTURE(k.size);
    CAPTURE(k.stride);
    CAPTURE(k.pad);
    Conv2D<double> conv(k.in, k.filters, k.size, k.stride, k.pad);
    test::LayerHarness<double> harness(conv);
    fill_pattern(harness.value("W"), 3);
    fill_pattern(harness.value("b"), 4);
    const Matrix<double> x = test::pattern_matrix(3, k.in.size(), 5);
    const Matrix<double> expected = naive_conv(x, k, harness.value("W"), harness.value("b"));
    const Matrix<double>& y = conv.forward(x, Mode::kTrain, nullptr);
    REQUIRE(y.rows() == expected.rows());
    REQUIRE(y.cols() == expected.cols());
    CHECK((y - expected).cwiseAbs().maxCoeff() < 1e-13);
  }
}

TEST_CASE("conv output size (N − F + 2P)/S + 1 and parameter count F·(C·K·K + 1)") {
  // The lecture's example: a 32x32x3 input through 10 filters of 5x5x3 has 10·(5·5·3 + 1) = 760
  // parameters; with stride 1 and pad 2 the output stays 32x32.
  Conv2D<float> conv({3, 32, 32}, 10, 5, 1, 2);
  std::size_t parameters = 0;
  for (const TensorSpec& spec : conv.tensor_specs()) parameters += static_cast<std::size_t>(spec.rows) * spec.cols;
  CHECK(parameters == 760);
  CHECK(conv.output_shape() == ImageShape{10, 32, 32});
  // 7x7 input, 3x3 filter: stride 1 → 5x5, stride 2 → 3x3 (lecture 5's walk-through)
  CHECK(Conv2D<float>({1, 7, 7}, 1, 3, 1, 0).output_shape() == ImageShape{1, 5, 5});
  CHECK(Conv2D<float>({1, 7, 7}, 1, 3, 2, 0).output_shape() == ImageShape{1, 3, 3});
}

TEST_CASE("a conv with one-hot 1x1 filters copies (and permutes) channels") {
  const ImageShape in{3, 4, 5};
  Conv2D<double> conv(in, 3, 1, 1, 0);
  test::LayerHarness<double> harness(conv);
  // output channel f reads input channel (f + 1) mod 3: W[c, f] = 1 iff c = (f + 1) mod 3
  for (int c = 0; c < 3; ++c)
    for (int f = 0; f < 3; ++f) harness.value("W")[c * 3 + f] = c == (f + 1) % 3 ? 1.0 : 0.0;
  const Matrix<double> x = test::pattern_matrix(2, in.size(), 7);
  const Matrix<double>& y = conv.forward(x, Mode::kTrain, nullptr);
  const int s = in.spatial();
  for (int f = 0; f < 3; ++f) {
    const int c = (f + 1) % 3;
    CHECK((y.middleCols(f * s, s) - x.middleCols(c * s, s)).cwiseAbs().maxCoeff() == 0.0);
  }
}

TEST_CASE("conv gradient check: dx, dW, db (double, rel err < 1e-7)") {
  unsigned seed = 11;
  for (const ConvCase& k : kConvCases) {
    Conv2D<double> conv(k.in, k.filters, k.size, k.stride, k.pad);
    test::LayerHarness<double> harness(conv);
    fill_pattern(harness.value("W"), seed++);
    fill_pattern(harness.value("b"), seed++);
    std::vector<std::string> report;
    const unsigned input_seed = seed++;
    const unsigned mask_seed = seed++;
    const double worst =
        test::check_layer(conv, harness, test::pattern_matrix(2, k.in.size(), input_seed), Mode::kTrain, mask_seed, &report);
    for (const std::string& line : report) MESSAGE(line);
    CHECK(worst < 1e-7);
  }
}

TEST_CASE("max pool by hand: the max of each window; the gradient goes to the first arg-max only") {
  struct HandCase {
    std::vector<double> x, y;
    std::vector<std::pair<int, double>> dx;  // (pixel, gradient); dy = 10, 20, 30, 40
  };
  const HandCase cases[] = {
      {{1, 5, 2, 0, /**/ 3, 4, 8, 1, /**/ 0, 2, 7, 7.5, /**/ 9, 1, 6, 3},
       {5, 8, 9, 7.5},
       {{1, 10}, {6, 20}, {12, 30}, {11, 40}}},  // 5 at (0, 1), 8 at (1, 2), 9 at (3, 0), 7.5 at (2, 3)
      // ties: all four equal → the top-left; 3 at (0, 3), (1, 2), (1, 3) → the first row's;
      // 4 at (3, 0) and (3, 1) → the left one; 5 at (2, 2) and (3, 2) → the upper one
      {{2, 2, 1, 3, /**/ 2, 2, 3, 3, /**/ 0, 0, 5, 1, /**/ 4, 4, 5, 1},
       {2, 3, 4, 5},
       {{0, 10}, {3, 20}, {12, 30}, {10, 40}}},
  };
  for (const HandCase& hand : cases) {
    Pool2D<double> pool({1, 4, 4}, 2, 2, true);
    const Matrix<double> x = Eigen::Map<const Matrix<double>>(hand.x.data(), 1, 16);
    const Matrix<double> expected = Eigen::Map<const Matrix<double>>(hand.y.data(), 1, 4);
    CHECK((pool.forward(x, Mode::kTrain, nullptr) - expected).cwiseAbs().maxCoeff() == 0.0);
    Matrix<double> dy(1, 4);
    dy << 10, 20, 30, 40;
    Matrix<double> dx_expected = Matrix<double>::Zero(1, 16);
    for (const auto& [pixel, gradient] : hand.dx) dx_expected(0, pixel) = gradient;
    CHECK((pool.backward(x, dy, true) - dx_expected).cwiseAbs().maxCoeff() == 0.0);
  }
}

TEST_CASE("max pool in float equals the naive loop, ties included (overlapping and not, 4-window vectors)") {
  // Values in {−3, …, 3}: most windows hold ties, and the gradient must still reach the first
  // maximum in row-major order. Output widths 5 and 6 take four windows at a time and a rest.
  struct PoolCase {
    ImageShape in;
    int size, stride;
  };
  for (const PoolCase& k : {PoolCase{{2, 9, 11}, 3, 2}, PoolCase{{3, 6, 12}, 2, 2}, PoolCase{{1, 5, 9}, 2, 1}}) {
    CAPTURE(k.size);
    CAPTURE(k.stride);
    Pool2D<float> pool(k.in, k.size, k.stride, true);
    const ImageShape out = pool.output_shape();
    const Matrix<float> x = (test::pattern_matrix(3, k.in.size(), 25) * 3.49).array().round().cast<float>().matrix();
    const Matrix<float> y = pool.forward(x, Mode::kTrain, nullptr);
    const Matrix<float> dy = test::pattern_matrix(3, out.size(), 26).cast<float>();
    const Matrix<float> dx = pool.backward(x, dy, true);
    Matrix<float> dx_expected = Matrix<float>::Zero(3, k.in.size());
    int ties = 0;
    for (Index b = 0; b < 3; ++b)
      for (int c = 0; c < out.channels; ++c)
        for (int oh = 0; oh < out.height; ++oh)
          for (int ow = 0; ow < out.width; ++ow) {
            Index at = -1;
            int equal = 0;
            for (int h = oh * k.stride; h < oh * k.stride + k.size; ++h)
              for (int w = ow * k.stride; w < ow * k.stride + k.size; ++w) {
                const Index pixel = (c * k.in.height + h) * k.in.width + w;
                if (at < 0 || x(b, pixel) > x(b, at)) at = pixel;
              }
            for (int h = oh * k.stride; h < oh * k.stride + k.size; ++h)
              for (int w = ow * k.stride; w < ow * k.stride + k.size; ++w)
                equal += x(b, (c * k.in.height + h) * k.in.width + w) == x(b, at);
            ties += equal > 1;
            const Index o = (c * out.height + oh) * out.width + ow;
            CHECK(y(b, o) == x(b, at));
            dx_expected(b, at) += dy(b, o);
          }
    CHECK(ties > 10);
    CHECK((dx - dx_expected).cwiseAbs().maxCoeff() < 1e-6f);
  }
}

TEST_CASE("average pool by hand, overlapping windows (size 3, stride 1) and a gradient check") {
  Pool2D<double> pool({2, 3, 4}, 3, 1, false);
  CHECK(pool.output_shape() == ImageShape{2, 1, 2});
  const Matrix<double> x = test::pattern_matrix(2, 24, 21);
  const Matrix<double>& y = pool.forward(x, Mode::kTrain, nullptr);
  for (Index b = 0; b < 2; ++b)
    for (int c = 0; c < 2; ++c)
      for (int ow = 0; ow < 2; ++ow) {
        double sum = 0;
        for (int h = 0; h < 3; ++h)
          for (int w = ow; w < ow + 3; ++w) sum += x(b, c * 12 + h * 4 + w);
        CHECK(std::abs(y(b, c * 2 + ow) - sum / 9) < 1e-15);
      }
  test::LayerHarness<double> harness(pool);
  CHECK(test::check_layer(pool, harness, x, Mode::kTrain, 22, nullptr) < 1e-8);
  Pool2D<double> max_pool({2, 5, 5}, 3, 2, true);
  test::LayerHarness<double> max_harness(max_pool);
  // random values: no ties, and the ±h steps do not change any arg-max
  CHECK(test::check_layer(max_pool, max_harness, test::pattern_matrix(2, 50, 23), Mode::kTrain, 24, nullptr) < 1e-8);
}

TEST_CASE("spatial batch norm: one mean and variance per channel over batch and positions") {
  const ImageShape in{3, 2, 3};
  BatchNorm<double> bn(in.channels, 0.9, 1e-5, in.spatial());
  test::LayerHarness<double> harness(bn);
  Rng unused(0);
  bn.initialize(ModelConfig{}, unused);
  CHECK(harness.value("gamma").size() == 3);
  const Matrix<double> x = test::pattern_matrix(4, in.size(), 31, -2, 5);
  const Matrix<double>& y = bn.forward(x, Mode::kTrain, nullptr);
  const int s = in.spatial();
  for (int c = 0; c < 3; ++c) {
    // the naive statistics of channel c over the 4·6 values
    const auto xc = x.middleCols(c * s, s).array();
    const double mean = xc.mean(), var = (xc - mean).square().mean();
    const auto yc = y.middleCols(c * s, s).array();
    CHECK(std::abs(yc.mean()) < 1e-12);
    CHECK(std::abs((yc.square().mean()) - var / (var + 1e-5)) < 1e-12);
    CHECK(std::abs(yc(0, 0) - (x(0, c * s) - mean) / std::sqrt(var + 1e-5)) < 1e-12);
    CHECK(harness.value("running_mean")[c] == doctest::Approx(0.1 * mean).epsilon(1e-12).scale(0));
    // unbiased over n = B·H·W = 24 values
    CHECK(harness.value("running_var")[c] == doctest::Approx(0.9 + 0.1 * var * 24 / 23).epsilon(1e-12).scale(0));
  }
}

TEST_CASE("image norms: instance norm is group norm with groups = channels; layer norm spans C, H, W") {
  const ImageShape in{4, 3, 2};
  const Matrix<double> x = test::pattern_matrix(3, in.size(), 41, -1, 3);
  GroupNorm<double> instance(in.channels, in.channels, 1e-5, in.spatial());
  CHECK(instance.kind() == "instance_norm");
  test::LayerHarness<double> harness(instance);
  Rng unused(0);
  instance.initialize(ModelConfig{}, unused);
  const Matrix<double>& y = instance.forward(x, Mode::kTrain, nullptr);
  const int s = in.spatial();
  for (Index b = 0; b < 3; ++b)
    for (int c = 0; c < 4; ++c) {
      const auto xc = x.row(b).segment(c * s, s).array();
      const double mean = xc.mean(), var = (xc - mean).square().mean();
      for (int p = 0; p < s; ++p) {
        CHECK(std::abs(y(b, c * s + p) - (x(b, c * s + p) - mean) / std::sqrt(var + 1e-5)) < 1e-12);
      }
    }
  GroupNorm<double> layer(in.channels, 1, 1e-5, in.spatial());
  test::LayerHarness<double> layer_harness(layer);
  layer.initialize(ModelConfig{}, unused);
  const Matrix<double>& z = layer.forward(x, Mode::kEval, nullptr);
  for (Index b = 0; b < 3; ++b) {
    CHECK(std::abs(z.row(b).mean()) < 1e-12);
    const double var = x.row(b).array().square().mean() - std::pow(x.row(b).mean(), 2);
    CHECK(std::abs(z.row(b).array().square().mean() - var / (var + 1e-5)) < 1e-12);
  }
  CHECK_THROWS_WITH_AS(GroupNorm<double>(6, 4, 1e-5, 9), "model.groups: 4 groups do not divide 6 channels", ConfigError);
}

TEST_CASE("image norm gradient checks: spatial batch norm (train, eval), group, instance, layer norm") {
  const ImageShape in{4, 2, 3};
  const Matrix<double> x = test::pattern_matrix(3, in.size(), 51, -1, 2);
  unsigned seed = 52;
  auto randomize = [&](test::LayerHarness<double>& harness) {
    fill_pattern(harness.value("gamma"), seed++);
    fill_pattern(harness.value("beta"), seed++);
  };
  for (Mode mode : {Mode::kTrain, Mode::kEval}) {
    BatchNorm<double> bn(in.channels, 0.9, 1e-5, in.spatial());
    test::LayerHarness<double> harness(bn);
    randomize(harness);
    harness.value("running_var") = {0.5, 1.5, 2, 0.7};
    std::vector<std::string> report;
    CHECK(test::check_layer(bn, harness, x, mode, seed++, &report) < 1e-6);
    for (const std::string& line : report) MESSAGE(line);
  }
  for (int groups : {1, 2, 4}) {
    GroupNorm<double> gn(in.channels, groups, 1e-5, in.spatial());
    test::LayerHarness<double> harness(gn);
    randomize(harness);
    std::vector<std::string> report;
    CHECK(test::check_layer(gn, harness, x, Mode::kTrain, seed++, &report) < 1e-6);
    for (const std::string& line : report) MESSAGE(line);
  }
}
