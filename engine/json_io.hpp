// Config <-> JSON, and every structured result -> a JSON string, for the bindings and the CLI.
// JSON shapes are the ones docs/ARCHITECTURE.md lists. Non-finite doubles are written as null
// (JSON has no NaN): InitialLossCheck::expected is NaN for mse, for example.
#pragma once

#include <string>
#include <vector>

#include "config.hpp"
#include "optim/path.hpp"
#include "tensor.hpp"
#include "trainer.hpp"

namespace trainscope {

// STRICT parse: an unknown key, a wrong JSON type (no coercion: "0.1" is not a number, 3.5 is not
// an int, 1 is not a bool) or malformed JSON throws ConfigError naming the dotted path. Missing
// keys take the defaults of config.hpp, with two data-dependent defaults:
//   - data.classes absent and data.dataset circles | xor | moons  -> 2
//   - data.dataset custom: data.samples absent -> data.y's length; data.dims absent -> x / y length
// Does NOT call validate(): ranges are checked there (the Trainer constructor calls it).
Config config_from_json(const std::string& json);

// Every key, defaults included; parsing the output gives back an equal Config.
std::string config_to_json(const Config& config);

// config_from_json + validate: "" when valid, else the first error message ("train.lr: ...").
std::string validate_config_json(const std::string& json);

// {"step","loss","data_loss","reg_loss","batch_acc","lr","grad_norm"}
std::string to_json(const StepMetrics& metrics);
// {"diverged":bool,"step":int,"reason":str}
std::string to_json(const Status& status);
// {"train":{"loss","acc","count"},"val":{...}}
std::string to_json(const Evaluation& evaluation);
// [{name, units, activation, pre:{mean,std,hist,edges}, act:{...}, dead_fraction, zero_fraction,
//   saturated_fraction, weight_norm, grad_norm, update_ratio}]
std::string to_json(const std::vector<LayerStats>& stats);
// {"tensors":[{name,max_rel_error,checked}],"max_rel_error","passed"}
std::string to_json(const GradCheckResult& result);
// {"expected","measured","explanation"}
std::string to_json(const InitialLossCheck& check);
// {step:[...], loss, data_loss, reg_loss, batch_acc, lr, diag_step:[...],
//  dead_fraction:[[...] per layer], zero_fraction, saturated_fraction, act_mean, act_std,
//  weight_norm, grad_norm, update_ratio, version, layers:[names],
//  histograms:{step, layers:[{name, pre:{hist,edges}, act:{hist,edges}}]}}  (records.hpp)
std::string to_json(const History& history);
// {"train":{"x":[..],"y":[..],"count","dims"},"val":{...}}
std::string to_json(const DataSplit& train, const DataSplit& val);
// [{name,layer,rows,cols,trainable}]
std::string to_json(const std::vector<TensorInfo>& tensors);
// [{type, path, name, input:[C,H,W], output:[C,H,W], parameters, multiply_adds, filters?, size?,
//   stride?, pad?, mode?, activation?, norm?}]
std::string to_json(const std::vector<LayerSummary>& rows);
std::string to_json(const std::vector<FeatureMap>& maps);

// {"surface", "kappa", "start": [x, y], "steps", "noise", "seed", "train": {train.* keys}}, all
// optional, read as strictly as a Config (unknown keys and wrong types name the field).
PathConfig path_config_from_json(const std::string& json);
// {"x": [...], "y": [...], "loss": [...], "steps", "stopped", "reason"}
std::string to_json(const OptimizerPath& path);

}  // namespace trainscope
