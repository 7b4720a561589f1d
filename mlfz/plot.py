"""Figures for the book: datasets, decision boundaries, loss curves and computational graphs.

Each function draws on a matplotlib Axes, a new one unless `ax` is given,
and returns it, so a chapter can place several figures side by side.
Nothing here calls `plt.show()`: Jupyter displays a cell's figure by itself.
"""

import math

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np

from mlfz.nn.scalar.core import _reverse_topological_order

__all__ = ["scatter", "decision_boundary", "loss_curves", "trace", "draw_graph"]

# Class 0 is blue and class 1 is red, in the points and in the heatmaps.
CMAP = "RdBu_r"


def scatter(xs, ys, ax=None, title=None):
    """Plot 2D points `xs` coloured by their 0/1 labels `ys`."""
    points, labels = _check_dataset(xs, ys)
    ax = _new_axes(ax)
    ax.scatter(points[:, 0], points[:, 1], c=labels, cmap=CMAP, vmin=0, vmax=1,
               s=18, edgecolors="white", linewidths=0.5, zorder=3)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_aspect("equal", adjustable="box")
    if title:
        ax.set_title(title)
    return ax


def decision_boundary(predict, xs, ys, ax=None, resolution=50, margin=1.0, title=None):
    """A heatmap of `predict` over the data's bounding box, with the data on top.

    `predict` maps a point `(x1, x2)` of plain floats to a probability: a
    float, or anything with a `.value` such as the Scalar a Model returns.
    It is called once per grid point, so the default 50 x 50 grid keeps even
    a Scalar network to a fraction of a second. The black line is where the
    probability crosses 0.5.
    """
    points, _ = _check_dataset(xs, ys)
    if isinstance(resolution, bool) or not isinstance(resolution, int) or resolution < 2:
        raise ValueError(f"resolution must be an int of at least 2, got {resolution!r}")
    low = points.min(axis=0) - margin
    high = points.max(axis=0) + margin
    grid_x1 = np.linspace(low[0], high[0], resolution)
    grid_x2 = np.linspace(low[1], high[1], resolution)
    probs = np.empty((resolution, resolution))
    for i, x2 in enumerate(grid_x2):
        for j, x1 in enumerate(grid_x1):
            probs[i, j] = _probability(predict((float(x1), float(x2))), (x1, x2))

    ax = _new_axes(ax)
    ax.contourf(grid_x1, grid_x2, probs, levels=np.linspace(0, 1, 21), cmap=CMAP, alpha=0.45)
    # Draw the 0.5 line only where there is one: contour warns otherwise.
    if probs.min() < 0.5 < probs.max():
        ax.contour(grid_x1, grid_x2, probs, levels=[0.5], colors="black", linewidths=1.2)
    scatter(xs, ys, ax=ax, title=title)
    ax.set_xlim(low[0], high[0])
    ax.set_ylim(low[1], high[1])
    return ax


def loss_curves(curves, ax=None, xlabel="step", ylabel="loss", title=None, log_scale=False):
    """Plot one loss curve (a list of numbers) or several (a dict of label to list)."""
    labelled = isinstance(curves, dict)
    if not labelled:
        curves = {None: curves}
    if not curves:
        raise ValueError("loss_curves needs at least one curve")
    ax = _new_axes(ax, figsize=(6, 3.5))
    for label, losses in curves.items():
        losses = [float(loss) for loss in losses]
        if not losses:
            raise ValueError(f"loss_curves: the curve {label!r} is empty")
        for step, loss in enumerate(losses):
            if not math.isfinite(loss):
                raise ValueError(f"loss_curves: the curve {label!r} has {loss} at index {step}")
        ax.plot(range(1, len(losses) + 1), losses, label=label)
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if labelled:
        ax.legend()
    if title:
        ax.set_title(title)
    return ax


def trace(root):
    """The nodes and edges of the graph that ends in `root`, a Scalar or a Tensor.

    Nodes are listed inputs first (each after all of its parents), and each
    edge is a tuple (parent, child, local derivative of child by parent).
    A Tensor records no local derivative, only a function that passes the
    gradient back, so in a Tensor graph the third item is None.
    """
    if not hasattr(root, "_parents"):
        raise TypeError(f"trace needs a node of a computational graph (a Scalar or a Tensor), got {root!r}")
    nodes = _reverse_topological_order(root)[::-1]
    edges = []
    for node in nodes:
        local_grads = getattr(node, "_local_grads", None)
        if local_grads is None:
            local_grads = (None,) * len(node._parents)
        edges.extend(zip(node._parents, (node,) * len(node._parents), local_grads))
    return nodes, edges


def draw_graph(root, names=None, ax=None, show_grads=False, max_nodes=40, show_order=False):
    """Draw the computational graph that ends in `root`, inputs on the left.

    Each box shows a node's value (and its `.grad` if `show_grads`), headed
    by its name when `names` maps the node to one. With `show_order`, the
    heading starts with the node's place in the order `root.backward()`
    visits the nodes: #1 is `root`, and every node comes after all the nodes
    computed from it. Each arrow goes from a
    parent to the node computed from it and is labelled with the local
    derivative recorded in the forward pass. Nodes are placed in layers: a
    node's layer is one more than the deepest of its parents'.

    A Tensor node's box shows its shape instead of its numbers (unless it
    is a single number, with shape ()), and its arrows are unlabelled: a
    Tensor records how to pass the gradient back, not a local derivative.
    """
    names = {} if names is None else names
    nodes, edges = trace(root)
    if len(nodes) > max_nodes:
        raise ValueError(f"draw_graph: the graph has {len(nodes)} nodes, more than "
                         f"max_nodes={max_nodes}; draw a smaller expression or raise max_nodes")

    index = {id(node): i for i, node in enumerate(nodes)}
    graph = nx.DiGraph()
    layers = []
    for i, node in enumerate(nodes):
        layer = 1 + max((layers[index[id(p)]] for p in node._parents), default=-1)
        layers.append(layer)
        graph.add_node(i, layer=layer)
    # A node that uses the same parent twice (x * x) gets one arrow with both derivatives.
    edge_labels = {}
    for parent, child, local_grad in edges:
        key = (index[id(parent)], index[id(child)])
        graph.add_edge(*key)
        text = "" if local_grad is None else f"{local_grad:.3g}"
        edge_labels[key] = f"{edge_labels[key]}, {text}" if edge_labels.get(key) else text

    n_layers = max(layers) + 1
    widest = max(layers.count(layer) for layer in range(n_layers))
    ax = _new_axes(ax, figsize=(max(4.0, 2.2 * n_layers), max(2.5, 1.3 * widest)))
    pos = nx.multipartite_layout(graph, subset_key="layer")

    # An arrow that skips a layer would run straight through the boxes
    # between its ends (in x * x + x, through the box of x * x), so it bends
    # away from the middle row, where most boxes are: up in the upper half
    # of the figure, down otherwise (rad > 0 bends a rightward arrow down).
    styles = {"arc3": set(), "arc3,rad=-0.3": set(), "arc3,rad=0.3": set()}
    for key in edge_labels:
        if layers[key[1]] - layers[key[0]] == 1:
            styles["arc3"].add(key)
        elif pos[key[0]][1] + pos[key[1]][1] > 1e-9:
            styles["arc3,rad=-0.3"].add(key)
        else:
            styles["arc3,rad=0.3"].add(key)
    texts = [_box_text(node, i, len(nodes), names, show_order, show_grads) for i, node in enumerate(nodes)]
    # Arrows stop short of a node by half its node_size's square root (in
    # points): grow it for a box whose text is wider than a few characters
    # (a Tensor's shape), so that the arrowhead is not hidden behind the box.
    sizes = [max(2600, (5.4 * max(map(len, text.split("\n"))) + 16) ** 2) for text in texts]
    for style, keys in styles.items():
        if not keys:
            continue
        nx.draw_networkx_edges(graph, pos, edgelist=sorted(keys), ax=ax, arrows=True, arrowstyle="-|>",
                               arrowsize=14, node_size=sizes, edge_color="0.45", connectionstyle=style)
        labels = {key: edge_labels[key] for key in keys if edge_labels[key]}
        if labels:
            nx.draw_networkx_edge_labels(graph, pos, edge_labels=labels,
                                         ax=ax, font_size=8, font_color="0.25", connectionstyle=style,
                                         bbox=dict(fc="white", ec="none", alpha=0.8))
    for i, node in enumerate(nodes):
        color = "#ffe9b3" if node is root else ("#d7ecd9" if not node._parents else "#dde7f5")
        x, y = pos[i]
        ax.text(x, y, texts[i], ha="center", va="center", fontsize=9, zorder=3,
                bbox=dict(boxstyle="round,pad=0.4", fc=color, ec="0.4"))
    ax.set_axis_off()
    ax.margins(0.12)
    return ax


def _box_text(node, i, n_nodes, names, show_order, show_grads):
    """The text in the box of the i-th of n_nodes nodes (listed inputs first)."""
    heading = [names[node]] if node in names else []
    if show_order:
        # `nodes` lists inputs first; backward() walks it from the end.
        heading.insert(0, f"#{n_nodes - i}")
    lines = [" ".join(heading)] if heading else []
    lines.append(_number_or_shape(node.value))
    if show_grads:
        lines.append(f"grad {_number_or_shape(node.grad)}")
    return "\n".join(lines)


def _number_or_shape(value):
    """A number (a Scalar's value, a 0-d array) as 3 digits; an array as its shape, such as 400×8."""
    if value is None:
        return "None"  # a Tensor's .grad before backward() reaches it
    if np.ndim(value) == 0:
        return f"{float(value):.3g}"
    return "shape " + "×".join(str(n) for n in np.shape(value))


def _check_dataset(xs, ys):
    """xs as an (n, 2) float array and ys as n labels, or a ValueError naming the shapes."""
    try:
        points = np.asarray(xs, dtype=float)
        labels = np.asarray(ys, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"points and labels must be numbers: {error}") from None
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"points must be a list of (x1, x2) pairs, got shape {points.shape}")
    if labels.shape != (len(points),):
        raise ValueError(f"got {len(points)} points but labels of shape {labels.shape}")
    if len(points) == 0:
        raise ValueError("got no points to plot")
    return points, labels


def _probability(prediction, point):
    p = float(getattr(prediction, "value", prediction))
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"decision_boundary needs probabilities in [0, 1], got {p} at {point}")
    return p


def _new_axes(ax, figsize=(5, 5)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax
