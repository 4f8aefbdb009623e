"""Sensitivity sweep over UMAP x HDBSCAN settings and seeds: grid, metrics, stability, selection."""
