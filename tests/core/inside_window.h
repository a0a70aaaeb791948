// A window of the inside figures (observer.h InsideRecord) made by hand, for the tests of what
// reads them: the alarms, the inside view. Torch-free.
#pragma once

#include <cstdint>

#include "core/run/observer.h"

namespace gan::test {

/// A window of 20 steps ending at `step`: D's verdicts all at `real` and all at `fake` (1280 each, in
/// 32 bins over 0..1), and one tensor "layers.0.weight" in each network with these figures.
struct InsideTensor {
  double gradient_norm = 0;
  double gradient_norm_max = 0;
  double update_ratio = 0;
  double weight_norm = 0;
};
inline InsideRecord inside_window(std::int64_t step, double real, double fake, const InsideTensor& g,
                                  const InsideTensor& d) {
  InsideRecord r;
  r.step = step;
  r.steps = 20;
  r.real.counts.assign(32, 0.0);
  r.fake.counts.assign(32, 0.0);
  r.real.counts[r.real.bin_of(real)] = 1280;
  r.fake.counts[r.fake.bin_of(fake)] = 1280;
  r.real.min = r.real.max = real;
  r.fake.min = r.fake.max = fake;
  for (const auto& [network, figures] : {std::pair{"G", g}, std::pair{"D", d}}) {
    ParameterFigures p;
    p.network = network;
    p.name = "layers.0.weight";
    p.gradient_norm = figures.gradient_norm;
    p.gradient_norm_max = figures.gradient_norm_max;
    p.update_ratio = figures.update_ratio;
    p.weight_norm = figures.weight_norm;
    r.parameters.push_back(p);
  }
  return r;
}

}  // namespace gan::test
