"""The Long Biên demo dataset, built from the seed articles."""
