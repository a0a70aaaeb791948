#include "core/model/inside_probe.h"

#include <torch/utils.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace gan {
namespace {

const auto kFloat = torch::kFloat32;

// One L2 norm per tensor (or per tensor's gradient), stacked; an absent gradient counts as 0.
torch::Tensor norms(const std::vector<torch::Tensor>& tensors, bool of_gradients) {
  std::vector<torch::Tensor> each;
  each.reserve(tensors.size());
  for (const torch::Tensor& tensor : tensors) {
    const torch::Tensor& value = of_gradients ? tensor.grad() : tensor;
    each.push_back(value.defined() ? value.detach().norm().to(kFloat) : torch::zeros({}, tensor.options().dtype(kFloat)));
  }
  return torch::stack(each);
}

// Numbers off the front of a host tensor, in the order read() packed them.
class Cursor {
 public:
  explicit Cursor(const torch::Tensor& values) : values_(values.data_ptr<double>()), size_(values.numel()) {}
  std::vector<double> take(std::int64_t count) {
    const std::int64_t end = std::min(at_ + count, size_);
    std::vector<double> taken(values_ + at_, values_ + end);
    at_ = end;
    return taken;
  }
  double one() { return at_ < size_ ? values_[at_++] : 0.0; }

 private:
  const double* values_;
  std::int64_t size_;
  std::int64_t at_ = 0;
};

VerdictHistogram histogram(Cursor& cursor, double low, double high) {
  VerdictHistogram h;
  h.low = low;
  h.high = high;
  h.counts = cursor.take(InsideProbe::kBins);
  h.min = cursor.one();
  h.max = cursor.one();
  if (!(h.min <= h.max)) h.min = h.max = 0;  // nothing seen: the extremes are still +inf and -inf
  return h;
}

}  // namespace

InsideProbe::Network InsideProbe::network(const std::string& label, torch::nn::Module& module,
                                          const torch::Device& device) {
  Network n;
  n.label = label;
  for (const auto& item : module.named_parameters()) {
    n.names.push_back(item.key());
    n.parameters.push_back(item.value());
  }
  const auto options = torch::TensorOptions().dtype(kFloat).device(device);
  const auto count = static_cast<std::int64_t>(n.parameters.size());
  n.gradient_sum = torch::zeros({count}, options);
  n.gradient_max = torch::zeros({count}, options);
  n.updates = torch::zeros({}, options);
  n.update_ratio = torch::zeros({count}, options);
  return n;
}

InsideProbe::InsideProbe(torch::nn::Module& generator, torch::nn::Module& discriminator, bool probabilities,
                         const torch::Device& device)
    : probabilities_(probabilities),
      generator_(network("G", generator, device)),
      discriminator_(network("D", discriminator, device)) {
  const auto options = torch::TensorOptions().dtype(kFloat).device(device);
  range_ = torch::zeros({2}, options);
  real_counts_ = torch::zeros({kBins}, options);
  fake_counts_ = torch::zeros({kBins}, options);
  real_extremes_ = torch::zeros({2}, options);
  fake_extremes_ = torch::zeros({2}, options);
  range_.copy_(torch::tensor({probabilities ? 0.0 : kFirstLow, probabilities ? 1.0 : kFirstHigh}, torch::kFloat64));
  begin_window();
}

void InsideProbe::add_histogram(torch::Tensor& counts, torch::Tensor& extremes, const torch::Tensor& values) {
  torch::NoGradGuard no_grad;
  const torch::Tensor v = values.detach().reshape({-1}).to(kFloat);
  const torch::Tensor low = range_[0];
  const torch::Tensor high = range_[1];
  const torch::Tensor at = ((v - low) / (high - low) * static_cast<double>(kBins)).floor();
  // A NaN verdict (a diverging run, which its alarm ends) must not become an index out of range:
  // on a GPU that would end the CUDA context.
  const double last = static_cast<double>(kBins - 1);
  const torch::Tensor bins = torch::nan_to_num(at, 0.0, last, 0.0).clamp(0.0, last).to(torch::kLong);
  counts.index_add_(/*dim=*/0, bins, torch::ones_like(v));
  extremes.copy_(torch::stack({torch::minimum(extremes[0], v.min()), torch::maximum(extremes[1], v.max())}));
}

void InsideProbe::add_verdicts(const torch::Tensor& on_real, const torch::Tensor& on_fake) {
  add_histogram(real_counts_, real_extremes_, on_real);
  add_histogram(fake_counts_, fake_extremes_, on_fake);
}

void InsideProbe::add_gradients(Network& n) {
  torch::NoGradGuard no_grad;
  const torch::Tensor now = norms(n.parameters, /*of_gradients=*/true);
  n.gradient_sum.add_(now);
  n.gradient_max.copy_(torch::maximum(n.gradient_max, now));
  n.updates.add_(1);
}

void InsideProbe::add_generator_gradients() { add_gradients(generator_); }
void InsideProbe::add_discriminator_gradients() { add_gradients(discriminator_); }

void InsideProbe::before_update() {
  torch::NoGradGuard no_grad;
  for (Network* n : {&generator_, &discriminator_}) {
    n->before.clear();
    for (const torch::Tensor& p : n->parameters) n->before.push_back(p.detach().clone());
  }
}

void InsideProbe::after_update() {
  torch::NoGradGuard no_grad;
  for (Network* n : {&generator_, &discriminator_}) {
    if (n->before.size() != n->parameters.size()) continue;
    std::vector<torch::Tensor> ratios;
    for (std::size_t i = 0; i < n->parameters.size(); ++i) {
      const torch::Tensor after = n->parameters[i].detach();
      const torch::Tensor& before = n->before[i];
      // Over the larger of the two norms: a tensor that starts at zero (batch norm's shift) makes
      // a ratio of 1 with its first update, not a division by zero.
      const torch::Tensor scale = torch::maximum(before.norm(), after.norm()).clamp_min(1e-30);
      ratios.push_back(((after - before).norm() / scale).to(kFloat));
    }
    if (!ratios.empty()) n->update_ratio.copy_(torch::stack(ratios));
    n->before.clear();
  }
  wants_update_ = false;
}

torch::Tensor InsideProbe::close_window() {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> parts{range_, real_counts_, real_extremes_, fake_counts_, fake_extremes_};
  for (Network* n : {&generator_, &discriminator_}) {
    parts.insert(parts.end(), {n->gradient_sum, n->gradient_max, n->updates.reshape({1}), n->update_ratio,
                               norms(n->parameters, /*of_gradients=*/false)});
  }
  const torch::Tensor packed = torch::cat(parts);
  if (!probabilities_) {
    // The next window's bins span what this one saw, padded; a window that saw nothing (or only
    // non-finite scores) leaves them where they are. All on the device: no host sync.
    const torch::Tensor low = torch::minimum(real_extremes_[0], fake_extremes_[0]);
    const torch::Tensor high = torch::maximum(real_extremes_[1], fake_extremes_[1]);
    const torch::Tensor seen = torch::isfinite(low).logical_and(torch::isfinite(high));
    const torch::Tensor span = high - low;
    const torch::Tensor pad = torch::where(span > 1e-6, span / 20, torch::clamp_min(high.abs() / 20, 1e-3));
    range_.copy_(torch::where(seen, torch::stack({low - pad, high + pad}), range_));
  }
  begin_window();
  return packed;
}

InsideRecord InsideProbe::unpack(const torch::Tensor& packed, std::int64_t step, std::int64_t steps) const {
  const torch::Tensor values = packed.to(torch::kCPU).to(torch::kFloat64).contiguous();
  Cursor cursor(values);  // reads `values`' memory: it must outlive the cursor
  InsideRecord record;
  record.step = step;
  record.steps = steps;
  record.probabilities = probabilities_;
  const double low = cursor.one();
  const double high = cursor.one();
  record.real = histogram(cursor, low, high);
  record.fake = histogram(cursor, low, high);
  for (const Network* n : {&generator_, &discriminator_}) {
    const auto count = static_cast<std::int64_t>(n->parameters.size());
    const std::vector<double> sums = cursor.take(count);
    const std::vector<double> maxima = cursor.take(count);
    const double updates = cursor.one();
    const std::vector<double> ratios = cursor.take(count);
    const std::vector<double> weights = cursor.take(count);
    for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i) {
      ParameterFigures figures;
      figures.network = n->label;
      figures.name = n->names[i];
      figures.gradient_norm = updates > 0 ? sums[i] / updates : 0.0;
      figures.gradient_norm_max = maxima[i];
      figures.weight_norm = weights[i];
      figures.update_ratio = ratios[i];
      record.parameters.push_back(std::move(figures));
    }
  }
  return record;
}

InsideRecord InsideProbe::read(std::int64_t step, std::int64_t steps) { return unpack(close_window(), step, steps); }

void InsideProbe::begin_window() {
  torch::NoGradGuard no_grad;
  const double infinity = std::numeric_limits<double>::infinity();
  for (torch::Tensor* counts : {&real_counts_, &fake_counts_}) counts->zero_();
  for (torch::Tensor* extremes : {&real_extremes_, &fake_extremes_}) {
    (*extremes)[0].fill_(infinity);
    (*extremes)[1].fill_(-infinity);
  }
  for (Network* n : {&generator_, &discriminator_}) {
    n->gradient_sum.zero_();
    n->gradient_max.zero_();
    n->updates.zero_();
    n->update_ratio.zero_();
  }
  wants_update_ = true;
}

std::vector<torch::Tensor> InsideProbe::state() const {
  std::vector<torch::Tensor> tensors{real_counts_, fake_counts_, real_extremes_, fake_extremes_};
  for (const Network* n : {&generator_, &discriminator_}) {
    tensors.insert(tensors.end(), {n->gradient_sum, n->gradient_max, n->updates, n->update_ratio});
  }
  return tensors;
}

}  // namespace gan
