// data.dataset "fashion_mnist": Zalando's Fashion-MNIST (MIT licence), 60,000 training and 10,000
// test images of 28 x 28 grey pixels, 10 classes, read from its ImageBank (image_bank.hpp).
// The subset is deterministic: the first `samples` images of the training file (split by
// split_dataset with the seed as usual), or with data.val_from "test" the first
// samples − round(val_fraction·samples) images of the training file followed by the first
// round(val_fraction·samples) images of the test file (Dataset::test_rows). Pixels become v/255.
#include "dataset.hpp"
#include "image_bank.hpp"

namespace trainscope {

const char* const kFashionMnistNames[10] = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                            "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

namespace {

// Raw pointers into the row-major x: this file is compiled for size (CMakeLists.txt), where
// Eigen's operator() would stay an out-of-line call per pixel (2.5x slower setup).
void copy_examples(const ImageSplit& from, int count, Dataset& into, int first_row) {
  const std::size_t features = static_cast<std::size_t>(into.x.cols());
  const std::uint8_t* pixels = from.pixels.data();
  float* to = into.x.data() + static_cast<std::size_t>(first_row) * features;
  for (std::size_t i = 0; i < static_cast<std::size_t>(count) * features; ++i) to[i] = static_cast<float>(pixels[i]) / 255.0f;
  float* labels = into.y.data() + first_row;
  for (int k = 0; k < count; ++k) labels[k] = static_cast<float>(from.labels[static_cast<std::size_t>(k)]);
}

}  // namespace

Dataset fashion_mnist_images(const DataConfig& data, Rng&) {
  const ImageBank* bank = find_image_bank(data.dataset);
  if (bank == nullptr || bank->train.count() == 0) {
    throw ConfigError("data.dataset", "the fashion_mnist images are not loaded (the JS API loads them from the "
                                      "dataset-fashion-mnist package or the page's data/; C++ callers use load_image_split)");
  }
  const bool from_test = data.val_from == "test";
  const int held_out = from_test ? validation_count(data, data.samples) : 0;
  const int train_rows = data.samples - held_out;
  if (train_rows > bank->train.count()) {
    throw ConfigError("data.samples", "the fashion_mnist training file has " + std::to_string(bank->train.count()) +
                                          " images here; " + std::to_string(train_rows) + " were asked for");
  }
  if (held_out > bank->test.count()) {
    throw ConfigError("data.val_fraction", "the fashion_mnist test file has " + std::to_string(bank->test.count()) +
                                               " images here; " + std::to_string(held_out) + " were asked for");
  }
  Dataset dataset;
  dataset.x.resize(data.samples, bank->shape.size());
  dataset.y.resize(data.samples, 1);
  dataset.classes = 10;
  dataset.test_rows = held_out;
  copy_examples(bank->train, train_rows, dataset, 0);
  copy_examples(bank->test, held_out, dataset, train_rows);
  return dataset;
}

}  // namespace trainscope
