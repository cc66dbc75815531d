// Embind glue for the trainscope engine: forwards to trainscope::Trainer and the JSON helpers of
// engine/json_io.hpp. No logic lives here (docs/ARCHITECTURE.md lists the surface).
//
// Compiled twice (CMakeLists.txt): the full module, and with TRAINSCOPE_ENGINE_LITE the pages'
// module, which leaves out the two entry points no page calls (gradCheckJson, schemaJson) so that
// the linker drops the code only they reach.
//
// Every bound entry point runs through `forward_errors`, which turns any C++ exception into a JS
// Error carrying its message. Structured results cross as JSON strings, per-step metrics as a
// plain object, bulk floats as typed_memory_view: a view into the wasm heap that is detached as
// soon as memory grows, so the JS side copies it (`.slice()`) before the next engine call.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <malloc.h>

#include <Eigen/Core>
#include <cstdint>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "config.hpp"
#include "data/image_bank.hpp"
#include "json_io.hpp"
#include "records.hpp"
#include "schema.hpp"
#include "trainer.hpp"

namespace {

using emscripten::val;

// Runs `call` and returns its result; a C++ exception becomes a thrown JS Error. The JS throw
// happens after the catch block has finished, so the C++ exception object is released first.
template <class Call>
auto forward_errors(Call&& call) -> decltype(call()) {
  std::string message;
  try {
    return call();
  } catch (const std::exception& error) {
    message = error.what();
  } catch (...) {
    message = "unknown C++ exception in the trainscope engine";
  }
  val::global("Error").new_(message).throw_();
}

// The JS-visible `Engine`: one Trainer, plus the buffers that typed_memory_views point into (a
// view must outlive the call that returns it).
class Engine {
 public:
  explicit Engine(const std::string& config_json) : trainer_(trainscope::config_from_json(config_json)) {}

  val step(int steps) {
    return forward_errors([&] {
      const trainscope::StepMetrics metrics = trainer_.step(steps);
      val result = val::object();
#define TRAINSCOPE_SET_FIELD(type, name) result.set(#name, metrics.name);
      TRAINSCOPE_STEP_FIELDS(TRAINSCOPE_SET_FIELD)
#undef TRAINSCOPE_SET_FIELD
      return result;
    });
  }

  std::string status_json() const {
    return forward_errors([&] { return trainscope::to_json(trainer_.status()); });
  }
  int steps_done() const {
    return forward_errors([&] { return trainer_.steps_done(); });
  }
  std::string evaluate_json() {
    return forward_errors([&] { return trainscope::to_json(trainer_.evaluate()); });
  }
  std::string layer_stats_json() {
    return forward_errors([&] { return trainscope::to_json(trainer_.layer_stats()); });
  }
#ifndef TRAINSCOPE_ENGINE_LITE
  std::string grad_check_json() {
    return forward_errors([&] { return trainscope::to_json(trainer_.grad_check()); });
  }
#endif
  std::string initial_loss_check_json() {
    return forward_errors([&] { return trainscope::to_json(trainer_.initial_loss_check()); });
  }
  std::string history_json() const {
    return forward_errors([&] { return trainscope::to_json(trainer_.history()); });
  }
  std::string history_since_json(double step) const {
    return forward_errors([&] { return trainscope::to_json(trainer_.history_since(step)); });
  }

  val predict_grid(double xmin, double xmax, double ymin, double ymax, int resolution) {
    return forward_errors([&] {
      grid_ = trainer_.predict_grid(xmin, xmax, ymin, ymax, resolution);
      return val(emscripten::typed_memory_view(grid_.size(), grid_.data()));
    });
  }

  // Evaluation-mode outputs of raw rows (count x dims values, any array-like of numbers).
  val predict(const val& x, int count) {
    return forward_errors([&] {
      predictions_ = trainer_.predict(emscripten::convertJSArrayToNumberVector<float>(x), count);
      return val(emscripten::typed_memory_view(predictions_.size(), predictions_.data()));
    });
  }

  std::string feature_maps_json(int index) {
    return forward_errors([&] { return trainscope::to_json(trainer_.feature_maps(index)); });
  }

  std::string data_json() const {
    return forward_errors([&] { return trainscope::to_json(trainer_.train_data(), trainer_.val_data()); });
  }
  int outputs() const {
    return forward_errors([&] { return trainer_.outputs(); });
  }

  void set_live_json(const std::string& config_json) {
    forward_errors([&] {
      const trainscope::Config changed = trainscope::config_from_json(config_json);
      trainscope::validate(changed);
      trainer_.set_live(changed);
    });
  }

  void reset(std::uint32_t seed) {
    forward_errors([&] { trainer_.reset(seed); });
  }

  std::string tensors_json() const {
    return forward_errors([&] { return trainscope::to_json(trainer_.tensors()); });
  }
  std::string summary_json() const {
    return forward_errors([&] { return trainscope::to_json(trainer_.summary()); });
  }

  // A view of a snapshot of tensor `index` (Trainer hands out copies): reading is zero-copy;
  // changes written into it reach the trainer only through setTensor.
  val tensor_view(int index) {
    return forward_errors([&] {
      tensor_snapshot_ = trainer_.get_tensor(index);
      return val(emscripten::typed_memory_view(tensor_snapshot_.size(), tensor_snapshot_.data()));
    });
  }

  // `values`: any array-like of numbers (Float32Array normally); Trainer checks the size.
  void set_tensor(int index, const val& values) {
    forward_errors([&] { trainer_.set_tensor(index, emscripten::convertJSArrayToNumberVector<float>(values)); });
  }

  std::string config_json() const {
    return forward_errors([&] { return trainscope::config_to_json(trainer_.config()); });
  }

 private:
  trainscope::Trainer trainer_;
  std::vector<float> grid_;
  std::vector<float> predictions_;
  std::vector<float> tensor_snapshot_;
};

// Construction goes through a factory so that an invalid configuration (ConfigError) is caught
// before any JS-visible object exists.
Engine* make_engine(const std::string& config_json) {
  return forward_errors([&] { return new Engine(config_json); });
}

std::string validate_config_json(const std::string& config_json) {
  return forward_errors([&] { return trainscope::validate_config_json(config_json); });
}

// loadImages(dataset, split, imagesIdx, labelsIdx): decoded IDX bytes (Uint8Array) of an image
// dataset's file (engine/data/image_bank.hpp).
void load_images(const std::string& dataset, const std::string& split, const val& images, const val& labels) {
  forward_errors([&] {
    const std::vector<std::uint8_t> image_bytes = emscripten::convertJSArrayToNumberVector<std::uint8_t>(images);
    const std::vector<std::uint8_t> label_bytes = emscripten::convertJSArrayToNumberVector<std::uint8_t>(labels);
    trainscope::load_image_split(dataset, split, image_bytes.data(), image_bytes.size(), label_bytes.data(),
                                 label_bytes.size());
  });
}

// optimizerPath(): the engine's optimizers on a 2-D surface (engine/optim/path.hpp).
std::string optimizer_path_json(const std::string& path_json) {
  return forward_errors(
      [&] { return trainscope::to_json(trainscope::optimizer_path(trainscope::path_config_from_json(path_json))); });
}

#ifndef TRAINSCOPE_ENGINE_LITE
std::string schema_json() {
  return forward_errors([] { return trainscope::schema_json(); });
}
#endif

// The engine's memory estimate of a configuration (for the JS mirror's parity test).
double estimate_memory_bytes(const std::string& config_json) {
  return forward_errors(
      [&] { return static_cast<double>(trainscope::estimate_memory_bytes(trainscope::config_from_json(config_json))); });
}

// Bytes the allocator has handed out and not taken back (dlmalloc's uordblks): unlike the size of
// linear memory, which grows in large chunks and never shrinks, this shows every leaked byte.
double allocated_bytes() { return static_cast<double>(mallinfo().uordblks); }

// {"simd":bool,"eigen_vectorize":bool,"instruction_sets":str,"grad_check":bool}: what this binary
// was compiled to, and whether it has the gradient check (the lite module has not).
std::string build_info() {
#ifdef __wasm_simd128__
  const bool simd = true;
#else
  const bool simd = false;
#endif
#ifdef EIGEN_VECTORIZE
  const bool eigen_vectorize = true;
#else
  const bool eigen_vectorize = false;
#endif
#ifdef TRAINSCOPE_ENGINE_LITE
  const bool grad_check = false;
#else
  const bool grad_check = true;
#endif
  // Eigen's list is a fixed set of names ("SSE, SSE2, ...", "None"): no JSON escaping needed.
  return std::string("{\"simd\":") + (simd ? "true" : "false") +
         ",\"eigen_vectorize\":" + (eigen_vectorize ? "true" : "false") + ",\"instruction_sets\":\"" +
         Eigen::SimdInstructionSetsInUse() + "\",\"grad_check\":" + (grad_check ? "true" : "false") + "}";
}

}  // namespace

EMSCRIPTEN_BINDINGS(trainscope_engine) {
  emscripten::class_<Engine>("Engine")
      .constructor(&make_engine, emscripten::allow_raw_pointers())
      .function("step", &Engine::step)
      .function("statusJson", &Engine::status_json)
      .function("stepsDone", &Engine::steps_done)
      .function("evaluateJson", &Engine::evaluate_json)
      .function("layerStatsJson", &Engine::layer_stats_json)
#ifndef TRAINSCOPE_ENGINE_LITE
      .function("gradCheckJson", &Engine::grad_check_json)
#endif
      .function("initialLossCheckJson", &Engine::initial_loss_check_json)
      .function("historyJson", &Engine::history_json)
      .function("historySinceJson", &Engine::history_since_json)
      .function("predictGrid", &Engine::predict_grid)
      .function("predict", &Engine::predict)
      .function("featureMapsJson", &Engine::feature_maps_json)
      .function("dataJson", &Engine::data_json)
      .function("outputs", &Engine::outputs)
      .function("setLiveJson", &Engine::set_live_json)
      .function("reset", &Engine::reset)
      .function("tensorsJson", &Engine::tensors_json)
      .function("summaryJson", &Engine::summary_json)
      .function("tensorView", &Engine::tensor_view)
      .function("setTensor", &Engine::set_tensor)
      .function("configJson", &Engine::config_json);
  emscripten::function("validateConfigJson", &validate_config_json);
  emscripten::function("buildInfo", &build_info);
#ifndef TRAINSCOPE_ENGINE_LITE
  emscripten::function("schemaJson", &schema_json);
#endif
  emscripten::function("loadImages", &load_images);
  emscripten::function("optimizerPathJson", &optimizer_path_json);
  emscripten::function("allocatedBytes", &allocated_bytes);
  emscripten::function("estimateMemoryBytes", &estimate_memory_bytes);
  emscripten::function("recordsJson", &trainscope::records_json);
}
