// What a loss's numbers mean: which distance between the data and G's distribution D's loss
// estimates, and whether D's outputs are probabilities. The charts, the runs view and the alarms
// read a run's d_loss, d_real and d_fake through this; the losses themselves are losses.h.
//
// Each estimate is that distance measured with the D of the moment — a lower bound that is exact
// only for the best D — and is 0 when G's distribution is the data's:
//   bce      V + log 4 = log 4 - 2 L_D       = 2 JSD(p_data || p_g)          0 .. 2 log 2
//   lsgan    2 - 8 L_D                       = triangular discrimination    0 .. 2
//            (sum of (p_data - p_g)^2 / (p_data + p_g); D* = p_data / (p_data + p_g) as for bce)
//   hinge    1 - L_D / 2                     = total variation distance     0 .. 1
//   wgan-gp  mean D(x) - mean D(G(z))        = Wasserstein-1 distance       0 .. (scale of the images)
#pragma once

#include <string>

#include "core/config/config.h"
#include "core/run/observer.h"

namespace gan {

struct LossMeaning {
  std::string estimate;         ///< the chart's name for the estimate: "V + log 4", "Wasserstein estimate"
  std::string estimate_detail;  ///< one line for tooltips and the guide
  std::string output;           ///< what D's outputs are: "D(x)" probabilities or critic scores
  bool probabilities = true;    ///< D's outputs lie in 0..1 (bce); else raw scores (their own axis)
  double best_output = 0.5;     ///< D's output on either distribution once G matches the data
};

const LossMeaning& loss_meaning(Loss loss);

/// The estimate of one step's numbers (see the table above).
double divergence_estimate(Loss loss, double d_loss, double d_real, double d_fake);
inline double divergence_estimate(Loss loss, const StepRecord& step) {
  return divergence_estimate(loss, step.d_loss, step.d_real, step.d_fake);
}

}  // namespace gan
