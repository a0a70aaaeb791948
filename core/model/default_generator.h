// LibTorch's default CPU (and CUDA) generators are one per process. A run draws its noise, its
// shuffles and its dropout masks from them, seeded by train.seed, so that a run repeats and
// resumes exactly. The judge trains on a thread of its own beside the run (judge_loader.h): it
// must neither draw from them nor move them, or a run would come out differently depending on
// when the judge happened to train. Code that uses the default generators takes this lock; the
// judge draws from generators of its own and takes the lock only to build its modules (LibTorch's
// layer constructors initialise their weights from the default generator).
#pragma once

#include <mutex>

namespace gan {

/// Held while the default generators are used: a training step, seeding and building models.
std::mutex& default_generator_mutex();

}  // namespace gan
