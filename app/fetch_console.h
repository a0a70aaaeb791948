// The command-line tools' first run: MNIST is fetched (core/data/dataset_fetch.h) with a progress line
// on stderr before the dataset is loaded.
#pragma once

#include "core/data/dataset.h"

/// load_dataset(data), after fetching MNIST into its default folder when it is not there yet.
gan::ImageSet load_dataset_fetching(const gan::DataConfig& data);
