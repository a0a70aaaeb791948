// The command-line tools' first run: MNIST is fetched (core/data/dataset_fetch.h), or a picture
// folder decoded into its cache (core/data/image_folder.h), with a progress line on stderr before
// the dataset is loaded.
#pragma once

#include "core/data/dataset.h"

/// Fetches MNIST into its default folder when `data` needs it and it is not there yet.
void fetch_mnist_if_needed(const gan::DataConfig& data);

/// load_dataset(data), after fetching MNIST into its default folder when it is not there yet, or
/// reading a picture folder the first time with progress and the list of skipped files.
gan::ImageSet load_dataset_fetching(const gan::DataConfig& data);
