"""The benchmark behind ``make bench``: synthetic data, side-by-side ratios, a results table."""

# Bump when what the synthetic datasets hold changes: the runner then rebuilds its database.
GENERATOR_VERSION = 2
