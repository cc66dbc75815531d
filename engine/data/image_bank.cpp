#include "image_bank.hpp"

#include <map>
#include <stdexcept>

#include "dataset.hpp"

namespace trainscope {
namespace {

std::map<std::string, ImageBank>& banks() {
  static std::map<std::string, ImageBank> all;
  return all;
}

std::uint32_t big_endian(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
}

}  // namespace

std::size_t IdxArray::size() const {
  std::size_t total = 1;
  for (int d : dims) total *= static_cast<std::size_t>(d);
  return total;
}

IdxArray parse_idx(const std::uint8_t* bytes, std::size_t length) {
  if (length < 4 || bytes[0] != 0 || bytes[1] != 0) {
    throw std::invalid_argument("not an IDX file (it must start with two zero bytes, the type and the rank)");
  }
  if (bytes[2] != 0x08) {
    throw std::invalid_argument("IDX element type 0x" + std::to_string(bytes[2]) + " is not supported (only 0x08, unsigned bytes)");
  }
  const int rank = bytes[3];
  if (rank < 1 || rank > 4) throw std::invalid_argument("IDX rank " + std::to_string(rank) + " is not 1 to 4");
  const std::size_t header = 4 + 4 * static_cast<std::size_t>(rank);
  if (length < header) throw std::invalid_argument("IDX header is cut off");
  IdxArray array;
  for (int d = 0; d < rank; ++d) {
    const std::uint32_t size = big_endian(bytes + 4 + 4 * d);
    if (size > (1u << 30)) throw std::invalid_argument("IDX dimension " + std::to_string(d) + " is too large");
    array.dims.push_back(static_cast<int>(size));
  }
  if (length - header != array.size()) {
    throw std::invalid_argument("IDX holds " + std::to_string(length - header) + " bytes of data; its sizes say " +
                                std::to_string(array.size()));
  }
  array.data = bytes + header;
  return array;
}

void load_image_split(const std::string& dataset, const std::string& split, const std::uint8_t* images,
                      std::size_t images_length, const std::uint8_t* labels, std::size_t labels_length) {
  const DatasetInfo& info = dataset_info(dataset);
  if (!info.external) throw std::invalid_argument("the " + dataset + " dataset does not come from files");
  if (split != "train" && split != "test") throw std::invalid_argument("split must be train or test, got " + split);
  const IdxArray image_array = parse_idx(images, images_length);
  const IdxArray label_array = parse_idx(labels, labels_length);
  const ImageShape shape = info.image;
  const bool greyscale = shape.channels == 1 && image_array.dims.size() == 3 && image_array.dims[1] == shape.height &&
                         image_array.dims[2] == shape.width;
  if (!greyscale) throw std::invalid_argument("the " + dataset + " images must be count x " + std::to_string(shape.height) +
                                              " x " + std::to_string(shape.width));
  if (label_array.dims.size() != 1 || label_array.dims[0] != image_array.dims[0]) {
    throw std::invalid_argument("the labels file must hold one label per image (" + std::to_string(image_array.dims[0]) + ")");
  }
  for (std::size_t i = 0; i < label_array.size(); ++i) {
    if (label_array.data[i] >= info.fixed_classes) {
      throw std::invalid_argument("label " + std::to_string(label_array.data[i]) + " of image " + std::to_string(i) +
                                  " is not below " + std::to_string(info.fixed_classes));
    }
  }
  ImageBank& bank = banks()[dataset];
  bank.shape = shape;
  ImageSplit& target = split == "train" ? bank.train : bank.test;
  target.pixels.assign(image_array.data, image_array.data + image_array.size());
  target.labels.assign(label_array.data, label_array.data + label_array.size());
}

const ImageBank* find_image_bank(const std::string& dataset) {
  const auto found = banks().find(dataset);
  return found == banks().end() ? nullptr : &found->second;
}

}  // namespace trainscope
