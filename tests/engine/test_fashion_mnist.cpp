// Image banks and Fashion-MNIST: the IDX parser on hand-made buffers (and its refusals), then,
// natively, the real files of Debian's dataset-fashion-mnist package: counts, the first labels
// (read independently with Python's gzip: train 9 0 0 3 0 2 7 2 5 5, test 9 2 1 1 6 1 4 6 5 7),
// pixel scaling, the deterministic subset and data.val_from "test". Under wasm the files are
// loaded by the JS API instead (tests/js/images.test.js).
#include <doctest/doctest.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "config.hpp"
#include "data/dataset.hpp"
#include "data/image_bank.hpp"
#include "trainer.hpp"

using namespace trainscope;

namespace {

std::vector<std::uint8_t> idx(std::vector<std::uint32_t> dims, const std::vector<std::uint8_t>& data) {
  std::vector<std::uint8_t> bytes = {0, 0, 0x08, static_cast<std::uint8_t>(dims.size())};
  for (std::uint32_t d : dims) {
    for (int shift : {24, 16, 8, 0}) bytes.push_back(static_cast<std::uint8_t>(d >> shift));
  }
  bytes.insert(bytes.end(), data.begin(), data.end());
  return bytes;
}

}  // namespace

TEST_CASE("IDX: a hand-made buffer parses; broken ones are refused with the reason") {
  const std::vector<std::uint8_t> two_by_three = idx({2, 3}, {1, 2, 3, 4, 5, 6});
  const IdxArray array = parse_idx(two_by_three.data(), two_by_three.size());
  CHECK(array.dims == std::vector<int>{2, 3});
  CHECK(array.size() == 6);
  CHECK(array.data[5] == 6);
  std::vector<std::uint8_t> bad = two_by_three;
  bad[0] = 1;
  CHECK_THROWS_WITH_AS(parse_idx(bad.data(), bad.size()), doctest::Contains("not an IDX file"), std::invalid_argument);
  bad = two_by_three;
  bad[2] = 0x0D;  // float elements
  CHECK_THROWS_WITH_AS(parse_idx(bad.data(), bad.size()), doctest::Contains("not supported"), std::invalid_argument);
  bad = two_by_three;
  bad.pop_back();
  CHECK_THROWS_WITH_AS(parse_idx(bad.data(), bad.size()), doctest::Contains("5 bytes of data; its sizes say 6"),
                       std::invalid_argument);
  CHECK_THROWS_AS(parse_idx(bad.data(), 6), std::invalid_argument);  // header cut off
}

TEST_CASE("an image bank takes only images of the dataset's shape with labels in range") {
  Config config;
  config.data.dataset = "fashion_mnist";
  config.data.dims = 784;
  config.data.classes = 10;
  config.data.samples = 4;
  if (find_image_bank("fashion_mnist") == nullptr) {
    CHECK_THROWS_WITH_AS(Trainer{config}, doctest::Contains("the fashion_mnist images are not loaded"), ConfigError);
  }
  const std::vector<std::uint8_t> small = idx({2, 27, 28}, std::vector<std::uint8_t>(2 * 27 * 28));
  const std::vector<std::uint8_t> labels = idx({2}, {1, 2});
  CHECK_THROWS_WITH_AS(load_image_split("fashion_mnist", "train", small.data(), small.size(), labels.data(), labels.size()),
                       doctest::Contains("must be count x 28 x 28"), std::invalid_argument);
  const std::vector<std::uint8_t> images = idx({2, 28, 28}, std::vector<std::uint8_t>(2 * 784, 51));
  const std::vector<std::uint8_t> bad_labels = idx({2}, {1, 10});
  CHECK_THROWS_WITH_AS(load_image_split("fashion_mnist", "train", images.data(), images.size(), bad_labels.data(), bad_labels.size()),
                       doctest::Contains("label 10 of image 1 is not below 10"), std::invalid_argument);
  CHECK_THROWS_AS(load_image_split("spiral", "train", images.data(), images.size(), labels.data(), labels.size()),
                  std::invalid_argument);
  CHECK_THROWS_AS(load_image_split("fashion_mnist", "validation", images.data(), images.size(), labels.data(), labels.size()),
                  std::invalid_argument);
}

#ifndef __EMSCRIPTEN__
namespace {

std::vector<std::uint8_t> gunzip(const std::string& path) {
  std::vector<std::uint8_t> bytes;
  FILE* pipe = popen(("gzip -dc '" + path + "'").c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::uint8_t buffer[65536];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) bytes.insert(bytes.end(), buffer, buffer + got);
  pclose(pipe);
  return bytes;
}

void load_split(const char* split, const char* prefix) {
  const std::string root = "/usr/share/datasets/fashion-mnist/";
  const std::vector<std::uint8_t> images = gunzip(root + prefix + "-images-idx3-ubyte.gz");
  const std::vector<std::uint8_t> labels = gunzip(root + prefix + "-labels-idx1-ubyte.gz");
  REQUIRE_MESSAGE(!images.empty(), "install Debian's dataset-fashion-mnist (scripts/ensure-deps.mjs does)");
  load_image_split("fashion_mnist", split, images.data(), images.size(), labels.data(), labels.size());
}

}  // namespace

TEST_CASE("the real Fashion-MNIST: counts, first labels, pixels / 255, val_from test") {
  load_split("train", "train");
  load_split("test", "t10k");
  const ImageBank* bank = find_image_bank("fashion_mnist");
  REQUIRE(bank != nullptr);
  CHECK(bank->train.count() == 60000);
  CHECK(bank->test.count() == 10000);
  const std::vector<int> train_labels = {9, 0, 0, 3, 0, 2, 7, 2, 5, 5};
  const std::vector<int> test_labels = {9, 2, 1, 1, 6, 1, 4, 6, 5, 7};
  for (int k = 0; k < 10; ++k) {
    CHECK(bank->train.labels[k] == train_labels[k]);
    CHECK(bank->test.labels[k] == test_labels[k]);
  }

  DataConfig data;
  data.dataset = "fashion_mnist";
  data.samples = 50;
  data.dims = 784;
  data.classes = 10;
  data.val_fraction = 0.2;
  Rng rng(1);
  const Dataset first = make_dataset(data, rng);
  CHECK(first.rows() == 50);
  CHECK(first.test_rows == 0);
  double sum = 0;
  for (int j = 0; j < 784; ++j) sum += first.x(0, j);
  CHECK(sum * 255 == doctest::Approx(76247).epsilon(1e-6));  // the first image's pixel sum (Python)
  CHECK(first.x.maxCoeff() <= 1.0f);
  CHECK(first.x.minCoeff() >= 0.0f);
  for (int k = 0; k < 10; ++k) CHECK(first.y(k, 0) == train_labels[k]);

  // val_from test: 40 training images, then the first 10 of the test file, in order, as validation.
  data.val_from = "test";
  Rng split_rng(5);
  const Dataset both = make_dataset(data, split_rng);
  CHECK(both.test_rows == 10);
  const Split split = split_dataset(both, data, split_rng);
  CHECK(split.train.rows() == 40);
  REQUIRE(split.val.rows() == 10);
  for (int k = 0; k < 10; ++k) CHECK(split.val.y(k, 0) == test_labels[k]);

  // Too many examples for the file is a ConfigError naming the field.
  data.samples = 80000;
  data.val_fraction = 0.1;
  CHECK_THROWS_WITH_AS(make_dataset(data, rng), doctest::Contains("training file has 60000 images"), ConfigError);
  data.val_from = "train";
  data.samples = 400;
  Config config;
  config.data = data;
  config.model.hidden = {32};
  config.train.optimizer = "adam";
  config.train.lr = 0.003;
  Trainer trainer(config);
  trainer.step(150);
  CHECK(trainer.evaluate().val.acc > 0.6);  // ten classes: chance is 0.1
}
#endif

TEST_CASE("data.val_from \"test\" needs a dataset with a test file") {
  Config config;
  config.data.val_from = "test";
  try {
    validate(config);
    FAIL("val_from test on spiral was accepted");
  } catch (const ConfigError& error) {
    CHECK(error.field() == "data.val_from");
  }
}
