// Images that live in files outside the engine (Fashion-MNIST). The engine reads no files: the JS
// layer (node: the Debian package's IDX files; the browser: the build's subset in dist/) and the
// native tests hand over the decoded IDX bytes once per module, and make_dataset() copies the
// examples it needs from here. A bank holds bytes (0–255); examples become floats in [0, 1].
//
// IDX (LeCun's MNIST format), big-endian:
//   bytes 0–1 zero, byte 2 the element type (0x08: unsigned byte, the only one used here),
//   byte 3 the number of dimensions d, then d 32-bit sizes, then the elements, row-major.
//   Images: d = 3 (count, height, width); labels: d = 1 (count).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "../tensor.hpp"

namespace trainscope {

struct IdxArray {
  std::vector<int> dims;
  const std::uint8_t* data = nullptr;  // into the parsed buffer
  std::size_t size() const;            // the product of dims
};

// Parses an IDX buffer of unsigned bytes; throws std::invalid_argument saying what is wrong
// (magic, type, sizes that do not match the buffer).
IdxArray parse_idx(const std::uint8_t* bytes, std::size_t length);

struct ImageSplit {
  std::vector<std::uint8_t> pixels;  // count x (C·H·W), channel-major per example
  std::vector<std::uint8_t> labels;  // count
  int count() const { return static_cast<int>(labels.size()); }
};

struct ImageBank {
  ImageShape shape;
  ImageSplit train, test;  // the official training and test files (either may be a subset)
};

// Stores one split ("train" or "test") of an image dataset from its IDX images and labels; the
// images must have the dataset's shape and one label each, below its class count. Replaces what
// was stored for that split. Throws std::invalid_argument.
void load_image_split(const std::string& dataset, const std::string& split, const std::uint8_t* images,
                      std::size_t images_length, const std::uint8_t* labels, std::size_t labels_length);

// The bank of `dataset`, or nullptr when nothing was loaded for it.
const ImageBank* find_image_bank(const std::string& dataset);

}  // namespace trainscope
