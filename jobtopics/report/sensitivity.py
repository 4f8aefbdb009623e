"""The report's Sensitivity section: the sweep's metrics over the grid, seed stability, and
how many people would change category under the neighboring settings."""

from __future__ import annotations

import html
import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..sweep.compare import category_change_share
from ..sweep.grid import cell_folder, grid_neighbors
from .charts import Charts
from .facts import percent
from .render import html_table, raw_html

HEATMAP_METRICS = [
    ("n_topics", "Topics"),
    ("outlier_share", "HDBSCAN noise share"),
    ("stability_ari", "Seed stability (ARI)"),
    ("npmi", "Coherence (NPMI)"),
    ("diversity", "Topic diversity"),
    ("silhouette", "Silhouette"),
]


def umap_label(row: dict) -> str:
    return f"UMAP k={row['n_neighbors']} d={row['min_dist']:g} dim={row['n_components']}"


def hdbscan_label(row: dict) -> str:
    return f"mcs={row['min_cluster_size']} ms={row['min_samples']}"


def metric_heatmaps(settings: pd.DataFrame, chosen: dict) -> go.Figure:
    """Small multiples: one heatmap per metric, UMAP settings down, HDBSCAN settings across; red box = chosen."""
    rows = settings.to_dict("records")
    y_labels = list(dict.fromkeys(umap_label(r) for r in rows))
    x_labels = list(dict.fromkeys(hdbscan_label(r) for r in rows))
    n_cols = 3
    n_rows = math.ceil(len(HEATMAP_METRICS) / n_cols)
    figure = make_subplots(rows=n_rows, cols=n_cols, subplot_titles=[title for _, title in HEATMAP_METRICS],
                           horizontal_spacing=0.08, vertical_spacing=0.18)
    for index, (metric, title) in enumerate(HEATMAP_METRICS):
        grid = np.full((len(y_labels), len(x_labels)), np.nan)
        for row in rows:
            grid[y_labels.index(umap_label(row)), x_labels.index(hdbscan_label(row))] = row[metric]
        position = {"row": index // n_cols + 1, "col": index % n_cols + 1}
        figure.add_trace(go.Heatmap(z=grid, x=x_labels, y=y_labels, colorscale="Viridis", showscale=False,
                                    texttemplate="%{z:.2f}", hovertemplate=f"{title}: %{{z:.3f}}<br>%{{y}}<br>%{{x}}"
                                    "<extra></extra>"), **position)
        figure.add_trace(go.Scatter(x=[hdbscan_label(chosen)], y=[umap_label(chosen)], mode="markers",
                                    marker={"symbol": "square-open", "size": 30, "color": "red",
                                            "line": {"width": 3}},
                                    name="recommended", showlegend=index == 0, hoverinfo="skip"), **position)
    for column in range(2, n_cols + 1):  # UMAP labels once per row of plots, so they never overlap a neighbor
        figure.update_yaxes(showticklabels=False, col=column)
    figure.update_xaxes(tickangle=-35)
    figure.update_layout(height=330 * n_rows + 80, margin={"l": 10, "r": 10, "t": 70, "b": 10},
                         legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1.1})
    return figure


def comparison_runs(cells: pd.DataFrame, chosen_cell: dict, map_uses_pick: bool = True) -> list[tuple[str, dict]]:
    """The chosen cell, its other seeds, and its grid neighbors (same seed), labelled for the matrix. With
    cluster.params: config the map was not made from the sweep's pick, and its row says so."""
    same_setting = cells
    for name in ("n_neighbors", "min_dist", "n_components", "min_cluster_size", "min_samples"):
        same_setting = same_setting[same_setting[name] == chosen_cell[name]]
    chosen = " (chosen)" if map_uses_pick else " (the sweep's pick; the map uses the config's settings)"
    runs = [(f"seed {int(r['seed'])}" + (chosen if r["seed"] == chosen_cell["seed"] else ""), r)
            for r in same_setting.sort_values("seed").to_dict("records")]
    for neighbor in grid_neighbors(cells, chosen_cell).to_dict("records"):
        changed = neighbor["changed"]
        runs.append((f"{changed}={neighbor[changed]:g}", neighbor))
    return runs


def stability_matrix(names: list[str], labelings: list[np.ndarray]) -> go.Figure:
    from sklearn.metrics import adjusted_rand_score  # ARI alone: AMI (agreement()) costs ~1 s per 7K-title matrix

    size = len(names)
    matrix = np.ones((size, size))
    for i in range(size):
        for j in range(i + 1, size):
            matrix[i, j] = matrix[j, i] = adjusted_rand_score(labelings[i], labelings[j])
    figure = go.Figure(go.Heatmap(z=matrix, x=names, y=names, zmin=0, zmax=1, colorscale="Blues",
                                  texttemplate="%{z:.2f}", colorbar={"title": {"text": "ARI"}},
                                  hovertemplate="%{y} vs %{x}: ARI %{z:.3f}<extra></extra>"))
    figure.update_layout(height=120 + 45 * size, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                         yaxis={"autorange": "reversed"})
    return figure


def sensitivity_section(settings: pd.DataFrame, cells: pd.DataFrame, recommended: dict,
                        labels_of: dict[str, np.ndarray], main_categories: np.ndarray, weights: np.ndarray,
                        categories_of: Callable[[np.ndarray], np.ndarray], charts: Charts,
                        map_uses_pick: bool = True) -> str:
    """`labels_of` maps a cell folder to its topic per title; main_categories/weights are per title;
    `categories_of` replays the label and outliers steps on a run's topics (category index per title, -1 grey),
    so that each run is compared with the map as a reader sees it, not with HDBSCAN's raw topics."""
    chosen_cell = {**recommended["reduce"], **recommended["cluster"]}
    runs = comparison_runs(cells, chosen_cell, map_uses_pick)
    labelings = [labels_of[cell_folder(run)] for _, run in runs]
    rows = []
    for (name, _), labels in zip(runs, labelings):
        categories = categories_of(labels)
        changed = category_change_share(main_categories, categories, weights)
        rows.append({"Setting": name, "Topics": int(len(set(labels.tolist()) - {-1})),
                     "HDBSCAN noise": percent(float(np.mean(labels == -1))),
                     "Uncategorized titles": percent(float(np.mean(categories == -1))),
                     "People who change category": percent(changed)})
    neighbors = pd.DataFrame(rows)
    n_seeds = cells["seed"].nunique()
    intro = (
        f"<p>The sweep ran {len(cells)} combinations: {len(settings)} UMAP + HDBSCAN settings, each with "
        f"{n_seeds} seeds, on the same embeddings (no LLM calls; k = n_neighbors, d = min_dist, dim = "
        "n_components, mcs = min_cluster_size, ms = min_samples). Recommended and used for the map: "
        f"{html.escape(umap_label(chosen_cell))}, seed {chosen_cell['seed']}; HDBSCAN "
        f"{html.escape(hdbscan_label(chosen_cell))}. Why: {html.escape(recommended['reason'])}</p>"
        "<p>How to read it: more topics is not better by itself; a high noise share means HDBSCAN left many "
        "titles out of every topic (lower <code>min_samples</code> reduces it), for the outliers step to place "
        "where similar enough; seed stability is the "
        "adjusted Rand index between runs that differ only in the UMAP seed (1 = identical grouping). "
        "DBCV is left out of the heatmaps: it is only comparable within one UMAP space.</p>"
    )
    heatmaps = charts.embed(metric_heatmaps(settings, chosen_cell), "sweep-heatmaps")
    matrix = charts.embed(stability_matrix([name for name, _ in runs], labelings), "sweep-stability")
    table = html_table(neighbors, "The chosen setting, its other seeds and its neighbors in the grid, each "
                                   "grouped into categories as the map was: how many people would land in a "
                                   "different category")
    return raw_html("\n".join([intro, shortlist_table(recommended), heatmaps,
                               "<h3>Stability of the chosen setting</h3>", matrix, table]))


def shortlist_table(recommended: dict) -> str:
    """The stable settings the choice was made among, best first, with the evidence that ranked them."""
    rows = recommended.get("shortlist") or []
    if not rows:
        return ""
    frame = pd.DataFrame([{"UMAP": umap_label(row), "HDBSCAN": hdbscan_label(row),
                           "Categories' silhouette": _rounded(row.get("category_silhouette")),
                           "Coherence x diversity": _rounded(row.get("score"))} for row in rows])
    if frame["Categories' silhouette"].eq("").all():
        frame = frame.drop(columns="Categories' silhouette")
    return html_table(frame, "The shortlisted settings, chosen first: how well the categories each would ship "
                             "separate (silhouette, cosine), then the topic terms' coherence x diversity")


def _rounded(value) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else f"{float(value):.3f}"
