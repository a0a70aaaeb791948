// What a Gan writes and reads back: its networks (model.pt) and whole checkpoints, which hold
// everything an exact resume needs (gan.h). The training step is gan.cpp.
#include <ATen/CPUGeneratorImpl.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <string>
#include <vector>

#include "core/config/config_fields.h"
#include "core/io/sha256.h"
#include "core/model/archive_file.h"
#include "core/model/checkpoint.h"
#include "core/model/checkpoint_generator.h"
#include "core/model/default_generator.h"
#include "core/model/gan.h"

namespace gan {
namespace {

// LibTorch writes archives by file name: let it write the temporary file, then rename.
void save_atomically(torch::serialize::OutputArchive& archive, const std::filesystem::path& path, Replace replace,
                     const char* what) {
  AtomicFile file(path, replace);
  write_archive(archive, file, what);
  file.commit();
}

void write_adam(torch::serialize::OutputArchive& archive, const std::string& key, const Adam& adam) {
  torch::serialize::OutputArchive state;
  state.write("steps", c10::IValue(adam.steps()));
  for (std::size_t i = 0; i < adam.first_moments().size(); ++i) {
    state.write("m." + std::to_string(i), adam.first_moments()[i]);
    state.write("v." + std::to_string(i), adam.second_moments()[i]);
  }
  archive.write(key, state);
}

// Module::save nests submodules as archives ("layers" -> "0" -> "weight"): follow a dotted name.
bool try_read_nested(torch::serialize::InputArchive& archive, const std::string& name, torch::Tensor& out,
                     bool is_buffer) {
  const auto dot = name.find('.');
  if (dot == std::string::npos) return archive.try_read(name, out, is_buffer);
  torch::serialize::InputArchive inner;
  if (!archive.try_read(name.substr(0, dot), inner)) return false;
  return try_read_nested(inner, name.substr(dot + 1), out, is_buffer);
}

// Module parameters and buffers by name, read into fresh tensors and checked against `module`.
std::vector<torch::Tensor> read_module(torch::serialize::InputArchive& archive, const std::string& key,
                                       const torch::nn::Module& module, const std::string& file) {
  torch::serialize::InputArchive part;
  if (!archive.try_read(key, part)) throw CheckpointError(file + ": checkpoint has no " + key);
  std::vector<torch::Tensor> values;
  auto take = [&](const std::string& name, const torch::Tensor& current, bool is_buffer) {
    torch::Tensor value;
    if (!try_read_nested(part, name, value, is_buffer)) throw CheckpointError(file + ": " + key + " lacks " + name + " (another model?)");
    if (value.sizes() != current.sizes()) {
      throw CheckpointError(file + ": " + key + "." + name + " has shape " + c10::str(value.sizes()) + ", this model has " +
                            c10::str(current.sizes()) + " (the checkpoint is for another model)");
    }
    values.push_back(value);
  };
  for (const auto& item : module.named_parameters()) take(item.key(), item.value(), false);
  for (const auto& item : module.named_buffers()) take(item.key(), item.value(), true);
  return values;
}

// The zip container LibTorch writes does not check its contents on reading, so a checkpoint carries
// a digest of every tensor it holds; a flipped bit anywhere is then caught before anything loads.
std::string digest_of(const std::vector<torch::Tensor>& tensors) {
  Sha256 digest;
  for (const auto& tensor : tensors) {
    const torch::Tensor bytes = tensor.detach().to(torch::kCPU).contiguous();
    digest.update(bytes.data_ptr(), static_cast<std::size_t>(bytes.nbytes()));
  }
  return digest.hex_digest();
}

struct AdamState {
  std::int64_t steps = 0;
  std::vector<torch::Tensor> m, v;
};

// One Adam's state, its moments checked against the shapes of the parameters it updates.
AdamState read_adam(torch::serialize::InputArchive& archive, const std::string& key,
                    const std::vector<torch::Tensor>& parameters, const std::string& file) {
  torch::serialize::InputArchive part;
  c10::IValue steps;
  if (!archive.try_read(key, part) || !part.try_read("steps", steps) || !steps.isInt()) {
    throw CheckpointError(file + ": checkpoint has no " + key);
  }
  AdamState state;
  state.steps = steps.toInt();
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    torch::Tensor m, v;
    if (!part.try_read("m." + std::to_string(i), m) || !part.try_read("v." + std::to_string(i), v) ||
        m.sizes() != parameters[i].sizes() || v.sizes() != parameters[i].sizes()) {
      throw CheckpointError(file + ": " + key + " does not fit this model's parameters");
    }
    state.m.push_back(m);
    state.v.push_back(v);
  }
  return state;
}

// Every tensor of a checkpoint, read for networks shaped as `generator` and `discriminator` and
// checked against the digest written with them: what resuming and exporting G both start from.
struct CheckpointTensors {
  std::vector<torch::Tensor> generator, discriminator;  // read_module's order
  AdamState g_adam, d_adam;
  torch::Tensor noise, permutation, rng_training, rng_cpu, rng_export;
};

CheckpointTensors read_checkpoint_tensors(torch::serialize::InputArchive& archive, const torch::nn::Module& generator,
                                          const torch::nn::Module& discriminator, const std::string& file) {
  CheckpointTensors read;
  try {
    read.generator = read_module(archive, "generator", generator, file);
    read.discriminator = read_module(archive, "discriminator", discriminator, file);
    read.g_adam = read_adam(archive, "adam.generator", generator.parameters(), file);
    read.d_adam = read_adam(archive, "adam.discriminator", discriminator.parameters(), file);
    archive.read("rng.training", read.rng_training);
    archive.read("rng.cpu", read.rng_cpu);
    archive.read("rng.export", read.rng_export);
    archive.read("fixed_noise", read.noise);
    archive.read("permutation", read.permutation);
  } catch (const CheckpointError&) {
    throw;
  } catch (const std::exception& e) {
    throw CheckpointError(file + ": damaged checkpoint: " + std::string(e.what()).substr(0, 200));
  }
  c10::IValue digest;
  if (!archive.try_read("digest", digest) || !digest.isString()) throw CheckpointError(file + ": checkpoint has no digest");
  // In the order save_checkpoint wrote them.
  std::vector<torch::Tensor> contents = read.generator;
  contents.insert(contents.end(), read.discriminator.begin(), read.discriminator.end());
  for (const AdamState* state : {&read.g_adam, &read.d_adam}) {
    for (std::size_t i = 0; i < state->m.size(); ++i) contents.insert(contents.end(), {state->m[i], state->v[i]});
  }
  contents.insert(contents.end(), {read.noise, read.permutation, read.rng_training, read.rng_cpu, read.rng_export});
  if (digest_of(contents) != digest.toStringRef()) {
    throw CheckpointError(file + ": checkpoint is corrupt (its contents do not match the digest written with them)");
  }
  return read;
}

// Copies read_module's values into `module` (its parameters, then its buffers).
void assign(torch::nn::Module& module, const std::vector<torch::Tensor>& values) {
  torch::NoGradGuard no_grad;
  std::size_t index = 0;
  for (auto& item : module.named_parameters()) item.value().copy_(values[index++]);
  for (auto& item : module.named_buffers()) item.value().copy_(values[index++]);
}

// A checkpoint written before the data shape was saved with it: the side from the config (28 for
// the MNIST family, data.size for a folder), the channels from G's last layer, the classes from
// G's label embedding (10, MNIST's, for an unconditional G, whose D does not use them).
DataShape inferred_shape(torch::serialize::InputArchive& archive, const Config& config, const std::string& file) {
  DataShape shape;
  if (config.data.dataset == "folder") shape.rows = shape.cols = config.data.size;
  torch::serialize::InputArchive generator;
  if (!archive.try_read("generator", generator)) throw CheckpointError(file + ": checkpoint has no generator");
  torch::Tensor embedding;
  if (config.model.conditional && try_read_nested(generator, "label_embedding.weight", embedding, false)) {
    shape.classes = embedding.size(0);
  }
  // The last layer with a weight: G's output layer.
  torch::Tensor last;
  for (int i = 0; i < 64; ++i) {
    torch::Tensor weight;
    if (try_read_nested(generator, "layers." + std::to_string(i) + ".weight", weight, false)) last = weight;
  }
  if (!last.defined()) throw CheckpointError(file + ": checkpoint's generator has no layers");
  const bool convolutional = config.model.architecture == Architecture::kDcgan;
  // A DCGAN's last transposed convolution is (in, channels, k, k); an MLP's last Linear draws
  // channels x rows x cols values.
  const std::int64_t values = convolutional ? last.size(1) : last.size(0);
  shape.channels = convolutional ? values : values / (shape.rows * shape.cols);
  if (!convolutional && values % (shape.rows * shape.cols) != 0) {
    throw CheckpointError(file + ": checkpoint's generator draws " + std::to_string(values) + " values, not images of " +
                          std::to_string(shape.rows) + " x " + std::to_string(shape.cols) +
                          " (a checkpoint of an IDX dataset of another size, from before GAN Studio saved the shape: "
                          "export it from the studio with the data at hand)");
  }
  return shape;
}

}  // namespace

CheckpointGenerator load_checkpoint_generator(const std::filesystem::path& path) {
  const std::string file = path.string();
  CheckpointGenerator loaded;
  loaded.info = read_checkpoint_info(path);
  const ModelConfig& model = loaded.info.config.model;
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(file, torch::Device(torch::kCPU));
    c10::IValue saved;
    if (archive.try_read("data_shape", saved) && saved.isIntList() && saved.toIntVector().size() == 4) {
      const std::vector<std::int64_t> values = saved.toIntVector();
      loaded.shape = DataShape{values[1], values[2], values[3], values[0]};
    } else {
      loaded.shape = inferred_shape(archive, loaded.info.config, file);
    }
    if (const std::string refusal = architecture_refusal(model, loaded.shape); !refusal.empty()) {
      throw CheckpointError(file + ": " + refusal);
    }
    loaded.generator = Generator(model, loaded.shape);
    // D is built only so that its tensors, which the digest covers, can be read and checked.
    const Discriminator discriminator(model, loaded.shape);
    assign(*loaded.generator, read_checkpoint_tensors(archive, *loaded.generator, *discriminator, file).generator);
  } catch (const CheckpointError&) {
    throw;
  } catch (const std::exception& e) {
    throw CheckpointError(file + ": damaged checkpoint: " + std::string(e.what()).substr(0, 200));
  }
  loaded.generator->eval();
  return loaded;
}

void Gan::save_models(const std::filesystem::path& path, Replace replace) const {
  torch::serialize::OutputArchive archive;
  write_networks(archive);
  save_atomically(archive, path, replace, "model");
}

void Gan::write_networks(torch::serialize::OutputArchive& archive) const {
  torch::serialize::OutputArchive generator_archive;
  torch::serialize::OutputArchive discriminator_archive;
  generator_->save(generator_archive);
  discriminator_->save(discriminator_archive);
  archive.write("generator", generator_archive);
  archive.write("discriminator", discriminator_archive);
}



void Gan::save_checkpoint(const std::filesystem::path& path) const {
  torch::NoGradGuard no_grad;
  torch::serialize::OutputArchive archive;
  archive.write("format", c10::IValue(std::string("gan-studio checkpoint")));
  archive.write("version", c10::IValue(kCheckpointVersion));
  archive.write("step", c10::IValue(step_));
  archive.write("config", c10::IValue(to_yaml(config_)));
  // Not read back on resume (the dataset tells it then): what G alone needs to be rebuilt without
  // the data (load_checkpoint_generator). Outside the digest, which covers the tensors.
  archive.write("data_shape", c10::IValue(std::vector<std::int64_t>{shape_.channels, shape_.rows, shape_.cols,
                                                                    shape_.classes}));
  write_networks(archive);
  write_adam(archive, "adam.generator", *generator_optimizer_);
  write_adam(archive, "adam.discriminator", *discriminator_optimizer_);
  // Training draws noise, dropout masks and permutations from the device's default generator.
  // Generators are shared handles: copies read the same state.
  at::Generator training_rng = at::globalContext().defaultGenerator(device_.type());
  at::Generator cpu_rng = at::detail::getDefaultCPUGenerator();
  at::Generator export_rng = export_rng_;
  std::unique_lock rng_lock(default_generator_mutex());
  const torch::Tensor rng_states[] = {training_rng.get_state(), cpu_rng.get_state(), export_rng.get_state()};
  rng_lock.unlock();
  archive.write("rng.training", rng_states[0]);
  archive.write("rng.cpu", rng_states[1]);
  archive.write("rng.export", rng_states[2]);
  const torch::Tensor permutation = permutation_.defined() ? permutation_ : torch::empty({0}, torch::kLong);
  archive.write("fixed_noise", fixed_noise_);
  archive.write("permutation", permutation);
  std::vector<torch::Tensor> contents;
  for (const auto* module : {static_cast<const torch::nn::Module*>(generator_.get()),
                             static_cast<const torch::nn::Module*>(discriminator_.get())}) {
    for (const auto& p : module->parameters()) contents.push_back(p);
    for (const auto& b : module->buffers()) contents.push_back(b);
  }
  for (const Adam* adam : {generator_optimizer_.get(), discriminator_optimizer_.get()}) {
    for (std::size_t i = 0; i < adam->first_moments().size(); ++i) {
      contents.push_back(adam->first_moments()[i]);
      contents.push_back(adam->second_moments()[i]);
    }
  }
  contents.insert(contents.end(), {fixed_noise_, permutation, rng_states[0], rng_states[1], rng_states[2]});
  archive.write("digest", c10::IValue(digest_of(contents)));
  save_atomically(archive, path, Replace::kAllowed, "checkpoint");
}

void Gan::load_checkpoint(const std::filesystem::path& path, CheckpointUse use) {
  const std::string file = path.string();
  const CheckpointInfo info = read_checkpoint_info(path);
  // What may differ between the checkpoint's run and this one (config_fields.cpp says, field by
  // field); everything else must match.
  const ConfigChange change = use == CheckpointUse::kFork ? ConfigChange::kFork : ConfigChange::kResume;
  Config theirs = info.config;
  for (const ConfigField& field : config_fields()) {
    if (may_change(field, change)) field.set(theirs, field.get(config_));
  }
  if (to_yaml(theirs) != to_yaml(config_)) {
    throw CheckpointError(file + (use == CheckpointUse::kFork
                                      ? ": checkpoint has another model, dataset or batch size; a fork may change only " +
                                            keys_that_may_change(ConfigChange::kFork)
                                      : std::string(": checkpoint belongs to a run with another config")));
  }
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(file, device_);
  } catch (const std::exception& e) {
    throw CheckpointError(file + ": damaged checkpoint: " + std::string(e.what()).substr(0, 200));
  }
  const CheckpointTensors read = read_checkpoint_tensors(archive, *generator_, *discriminator_, file);
  const torch::Tensor& noise = read.noise;
  const torch::Tensor& permutation = read.permutation;
  if (noise.sizes() != fixed_noise_.sizes()) throw CheckpointError(file + ": fixed noise does not fit this model");
  if (permutation.numel() != 0 && permutation.numel() != images_.size(0)) {
    throw CheckpointError(file + ": checkpoint was written for a dataset of " + std::to_string(permutation.numel()) +
                          " images, this one has " + std::to_string(images_.size(0)));
  }

  // Everything is read and checked: now apply it.
  torch::NoGradGuard no_grad;
  assign(*generator_, read.generator);
  assign(*discriminator_, read.discriminator);
  generator_optimizer_->restore(read.g_adam.steps, read.g_adam.m, read.g_adam.v);
  discriminator_optimizer_->restore(read.d_adam.steps, read.d_adam.m, read.d_adam.v);
  // A checkpoint from another device type carries that device's RNG state; the CPU one always fits.
  const auto& restored_training = (device_.is_cpu() ? read.rng_cpu : read.rng_training).to(torch::kCPU);
  std::lock_guard rng_lock(default_generator_mutex());
  try {
    at::Generator training_rng = at::globalContext().defaultGenerator(device_.type());
    training_rng.set_state(restored_training);
  } catch (const std::exception&) {
    // A CUDA RNG state cannot seed another device type: continue with the current state (the run
    // goes on correctly, just not bit for bit).
  }
  at::Generator cpu_rng = at::detail::getDefaultCPUGenerator();
  cpu_rng.set_state(read.rng_cpu.to(torch::kCPU));
  export_rng_.set_state(read.rng_export.to(torch::kCPU));
  fixed_noise_ = noise.to(device_);
  permutation_ = permutation.numel() == 0 ? torch::Tensor() : permutation.to(device_);
  step_ = info.step;
  // The capture read the tensors this replaced, and the batch position moved.
  graph_->reset();
  reposition_ = true;
}

}  // namespace gan
