// Image data: the procedural `shapes` set (determinism, balance, two colours per channel at
// noise 0, the shape drawn where its class says) and image preprocessing (mean_image,
// channel_mean) worked out by hand on a 2 x 2 x 2 example.
#include <doctest/doctest.h>

#include <cmath>
#include <set>
#include <vector>

#include "config.hpp"
#include "data/dataset.hpp"

using namespace trainscope;

namespace {

DataConfig shapes_config(int samples, int classes, double noise) {
  DataConfig data;
  data.dataset = "shapes";
  data.samples = samples;
  data.classes = classes;
  data.noise = noise;
  data.dims = 3 * 16 * 16;
  return data;
}

}  // namespace

TEST_CASE("shapes: 3x16x16, balanced, deterministic from the seed") {
  const DataConfig data = shapes_config(203, 10, 0.2);
  CHECK(input_shape(data) == ImageShape{3, 16, 16});
  Rng a(3), b(3), c(4);
  const Dataset first = make_dataset(data, a), same = make_dataset(data, b), other = make_dataset(data, c);
  CHECK(first.x.rows() == 203);
  CHECK(first.x.cols() == 768);
  CHECK(first.x == same.x);
  CHECK(first.x != other.x);
  for (int k = 0; k < 203; ++k) CHECK(first.y(k, 0) == static_cast<float>(k % 10));
  CHECK(first.classes == 10);
  CHECK(first.x.allFinite());
}

TEST_CASE("shapes at noise 0: each channel holds a foreground and a darker background colour, placed by class") {
  const DataConfig data = shapes_config(40, 10, 0.0);
  Rng rng(11);
  const Dataset set = make_dataset(data, rng);
  for (int k = 0; k < 40; ++k) {
    INFO("example " << k << " class " << k % 10);
    int on_pixels = 0;
    for (int channel = 0; channel < 3; ++channel) {
      std::set<float> values;
      for (int p = 0; p < 256; ++p) values.insert(set.x(k, channel * 256 + p));
      REQUIRE(values.size() == 2);  // background and foreground, nothing else
      const float background = *values.begin(), foreground = *values.rbegin();
      CHECK(background >= 0.0f);
      CHECK(background < 0.35f);
      CHECK(foreground >= 0.45f);
      CHECK(foreground < 1.0f);
      if (channel == 0) {
        for (int p = 0; p < 256; ++p) on_pixels += set.x(k, p) == foreground ? 1 : 0;
      }
      // The same pixels are foreground in every channel.
      for (int p = 0; p < 256; ++p) {
        CHECK((set.x(k, p) > 0.4f) == (set.x(k, channel * 256 + p) == foreground));
      }
    }
    // r in [3, 7.5): every shape covers some pixels and never the whole image.
    CHECK(on_pixels >= 4);
    CHECK(on_pixels < 256);
  }
  // Bars: a horizontal bar (class 0) has more foreground pixels in its busiest row than in its
  // busiest column; a vertical bar (class 1) the other way round.
  auto busiest = [&](int k, bool rows) {
    const float threshold = 0.4f;
    int best = 0;
    for (int line = 0; line < 16; ++line) {
      int count = 0;
      for (int along = 0; along < 16; ++along) count += set.x(k, rows ? line * 16 + along : along * 16 + line) > threshold;
      best = std::max(best, count);
    }
    return best;
  };
  for (int k = 0; k < 40; k += 10) {
    CHECK(busiest(k, true) > busiest(k, false));
    CHECK(busiest(k + 1, false) > busiest(k + 1, true));
  }
}

TEST_CASE("shapes: classes above 10 are refused, naming the field") {
  Config config;
  config.data = shapes_config(50, 11, 0.2);
  try {
    validate(config);
    FAIL("11 classes were accepted");
  } catch (const ConfigError& error) {
    CHECK(error.field() == "data.classes");
  }
  config.data.classes = 10;
  CHECK_NOTHROW(validate(config));
}

// Two training images of C = 2 channels, 2 x 2 pixels, channel-major:
//   image 0: channel 0 = 1 2 3 4,  channel 1 = 10 20 30 40
//   image 1: channel 0 = 3 4 5 6,  channel 1 = 30 40 50 60
// mean image = [2 3 4 5 | 20 30 40 50]; channel means = 28/8 = 3.5 and 280/8 = 35.
TEST_CASE("mean_image and channel_mean, by hand") {
  Matrix<float> train(2, 8);
  train << 1, 2, 3, 4, 10, 20, 30, 40,  //
      3, 4, 5, 6, 30, 40, 50, 60;
  const ImageShape shape{2, 2, 2};
  Matrix<float> image_centred = Preprocessor("mean_image", train, shape).applied(train);
  Matrix<float> expected(2, 8);
  expected << -1, -1, -1, -1, -10, -10, -10, -10,  //
      1, 1, 1, 1, 10, 10, 10, 10;
  CHECK(image_centred == expected);

  Matrix<float> channel_centred = Preprocessor("channel_mean", train, shape).applied(train);
  expected << -2.5f, -1.5f, -0.5f, 0.5f, -25, -15, -5, 5,  //
      -0.5f, 0.5f, 1.5f, 2.5f, -5, 5, 15, 25;
  CHECK(channel_centred == expected);
  // Statistics from the training rows only: another row gets the same shift.
  Matrix<float> other(1, 8);
  other << 0, 0, 0, 0, 0, 0, 0, 0;
  Matrix<float> shifted = Preprocessor("channel_mean", train, shape).applied(other);
  CHECK(shifted(0, 0) == -3.5f);
  CHECK(shifted(0, 7) == -35.0f);
  // Without an image shape (2-D points) channel_mean is the per-feature mean.
  CHECK(Preprocessor("channel_mean", train).applied(train) == image_centred);
}
