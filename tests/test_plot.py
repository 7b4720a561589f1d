"""Tests of mlfz.plot: the figures draw what they are given, fast, and refuse bad input."""

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from mlfz import plot
from mlfz.datasets import make_blobs
from mlfz.nn.scalar import Scalar, sigmoid, sin
from mlfz.nn.scalar.core import _reverse_topological_order
from mlfz.nn.tensor import Tensor
from mlfz.nn.tensor.functional import sigmoid as tensor_sigmoid
from mlfz.nn.tensor.functional import tanh as tensor_tanh


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_scatter_draws_every_point_with_its_label():
    xs, ys = make_blobs(10, seed=1)
    ax = plot.scatter(xs, ys, title="blobs")
    collection = ax.collections[0]
    np.testing.assert_array_equal(collection.get_offsets(), np.array(xs))
    np.testing.assert_array_equal(collection.get_array(), ys)
    assert ax.get_title() == "blobs"


def test_scatter_rejects_mismatched_points_and_labels():
    with pytest.raises(ValueError, match="3 points but labels of shape"):
        plot.scatter([(0, 0), (1, 1), (2, 2)], [0, 1])
    with pytest.raises(ValueError, match=r"shape \(2, 3\)"):
        plot.scatter([(0, 0, 0), (1, 1, 1)], [0, 1])
    with pytest.raises(ValueError, match="numbers"):
        plot.scatter([("a", 0)], [0])


def test_decision_boundary_evaluates_predict_on_the_grid():
    xs, ys = [(-1.0, -1.0), (1.0, 1.0)], [0, 1]
    calls = []

    def predict(point):
        calls.append(point)
        return 1.0 if point[0] > 0 else 0.0

    ax = plot.decision_boundary(predict, xs, ys, resolution=7, margin=0.5)
    assert len(calls) == 49
    assert all(type(coordinate) is float for point in calls for coordinate in point)
    # The grid spans the data plus the margin on every side.
    assert min(p[0] for p in calls) == -1.5 and max(p[1] for p in calls) == 1.5
    assert ax.get_xlim() == (-1.5, 1.5)


def test_decision_boundary_accepts_a_model_returning_scalars():
    xs, ys = make_blobs(20, seed=0)
    w = Scalar(-1.0)

    def model(point):
        return sigmoid(w * point[0])

    ax = plot.decision_boundary(model, xs, ys, resolution=10)
    # A filled heatmap, the 0.5 line and the points.
    assert len(ax.collections) >= 3


def test_decision_boundary_rejects_values_that_are_not_probabilities():
    xs, ys = make_blobs(5, seed=0)
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\], got 2.0"):
        plot.decision_boundary(lambda point: 2.0, xs, ys, resolution=3)
    with pytest.raises(ValueError, match="got nan"):
        plot.decision_boundary(lambda point: math.nan, xs, ys, resolution=3)
    with pytest.raises(ValueError, match="resolution"):
        plot.decision_boundary(lambda point: 0.5, xs, ys, resolution=1)


def test_loss_curves_plots_each_curve_with_its_label():
    ax = plot.loss_curves({"a": [3, 2, 1], "b": [1.0, 0.5]})
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["a", "b"]
    np.testing.assert_array_equal(lines[0].get_ydata(), [3, 2, 1])
    np.testing.assert_array_equal(lines[1].get_xdata(), [1, 2])


def test_loss_curves_rejects_nan_and_empty_curves():
    with pytest.raises(ValueError, match="'run' has nan at index 1"):
        plot.loss_curves({"run": [1.0, math.nan]})
    with pytest.raises(ValueError, match="empty"):
        plot.loss_curves([])


def test_trace_lists_parents_before_children_with_local_derivatives():
    x, y = Scalar(3.0), Scalar(-2.0)
    product = x * y
    out = product + x
    nodes, edges = plot.trace(out)
    assert set(map(id, nodes)) == {id(x), id(y), id(product), id(out)}
    position = {id(node): i for i, node in enumerate(nodes)}
    for parent, child, _ in edges:
        assert position[id(parent)] < position[id(child)]
    local = {(id(parent), id(child)): grad for parent, child, grad in edges}
    assert local[(id(x), id(product))] == -2.0  # d(x*y)/dx = y
    assert local[(id(y), id(product))] == 3.0
    assert local[(id(x), id(out))] == 1.0
    assert len(edges) == 4


def test_trace_rejects_non_nodes():
    with pytest.raises(TypeError, match="got 3.0"):
        plot.trace(3.0)


def test_draw_graph_draws_one_box_per_node_and_labels_each_edge():
    x, y = Scalar(2.0), Scalar(5.0)
    square = x * x
    out = sigmoid(square + y)
    out.backward()
    ax = plot.draw_graph(out, names={x: "x", out: "out"}, show_grads=True)
    texts = [t.get_text() for t in ax.texts]
    nodes, edges = plot.trace(out)
    assert len(nodes) == 5
    for node in nodes:
        assert any(text.endswith(f"{node.value:.3g}\ngrad {node.grad:.3g}") for text in texts), node
    assert f"x\n2\ngrad {x.grad:.3g}" in texts
    assert f"out\n{out.value:.3g}\ngrad 1" in texts
    # x * x has one arrow carrying both local derivatives: 4 arrows for 5 edges.
    assert "2, 2" in texts
    assert len(texts) == len(nodes) + len(edges) - 1


def test_draw_graph_numbers_the_nodes_in_the_order_backward_visits_them():
    x, y = Scalar(2.0), Scalar(5.0)
    product = x * y
    out = sigmoid(product + x)
    ax = plot.draw_graph(out, names={x: "x", out: "out"}, show_order=True)
    texts = [t.get_text() for t in ax.texts]
    nodes, edges = plot.trace(out)
    place = {}
    for node in nodes:
        [text] = [t for t in texts if t.endswith(f"\n{node.value:.3g}")]
        number = text.partition("\n")[0].split(" ")[0]
        assert number.startswith("#")
        place[node] = int(number[1:])
    assert sorted(place.values()) == list(range(1, len(nodes) + 1))
    assert place[out] == 1
    assert texts.count(f"#{place[x]} x\n2") == 1  # the number comes before the name
    # backward() handles a node only after every node computed from it.
    for parent, child, _ in edges:
        assert place[child] < place[parent]
    # The numbers are the order backward() itself uses.
    assert [place[node] for node in _reverse_topological_order(out)] == list(range(1, len(nodes) + 1))


def test_draw_graph_bends_an_arrow_that_skips_a_layer_around_the_boxes_between():
    x = Scalar(0.5)
    between = sin(x)
    out = between * x  # the arrow x -> out skips the layer of sin(x)
    ax = plot.draw_graph(out, names={x: "x", between: "s", out: "out"})
    ax.figure.canvas.draw()
    place = {t.get_text(): ax.transData.transform(t.get_position())[1] for t in ax.texts}
    row = place["s\n0.479"]  # every box sits in one row here
    # The arrows x -> s and s -> out are straight, their labels in the row.
    assert abs(place["0.878"] - row) < 1 and abs(place["0.5"] - row) < 1
    # d out/dx = sin(x) labels the arrow x -> out: well clear of the row,
    # not hidden behind the box of s, which is halfway between x and out.
    assert abs(place["0.479"] - row) > 20


def test_draw_graph_refuses_graphs_too_big_to_read():
    total = sum(Scalar(float(i)) * 2 for i in range(30))
    with pytest.raises(ValueError, match=r"has \d+ nodes, more than max_nodes=40"):
        plot.draw_graph(total)


def test_trace_and_draw_graph_take_a_tensor_graph():
    X = np.ones((5, 2))  # data: a constant, not a node
    W, b = Tensor(np.full((2, 3), 0.1)), Tensor(np.zeros(3))
    hidden = tensor_tanh(X @ W + b)
    loss = (hidden * hidden).mean()
    nodes, edges = plot.trace(loss)
    assert len(nodes) == 7  # W, b, X @ W, + b, tanh, * and mean: X is no node
    assert {id(W), id(b), id(hidden), id(loss)} <= set(map(id, nodes))
    assert all(local_grad is None for _, _, local_grad in edges)
    assert len(edges) == 7  # hidden * hidden: two edges from hidden

    loss.backward()
    ax = plot.draw_graph(loss, names={W: "W", b: "b", hidden: "h", loss: "loss"}, show_grads=True)
    texts = [t.get_text() for t in ax.texts]
    # Arrays show their shapes, the single-number loss its value; no arrow has a label.
    assert "W\nshape 2×3\ngrad shape 2×3" in texts
    assert "b\nshape 3\ngrad shape 3" in texts
    assert "h\nshape 5×3\ngrad shape 5×3" in texts
    assert f"loss\n{float(loss.value):.3g}\ngrad 1" in texts
    assert len(texts) == len(nodes)


def test_draw_graph_of_a_tensor_says_none_for_a_gradient_not_yet_computed():
    x = Tensor([1.0, 2.0])
    ax = plot.draw_graph(x.sum(), names={x: "x"}, show_grads=True)
    assert "x\nshape 2\ngrad None" in [t.get_text() for t in ax.texts]


def test_draw_graph_arrowheads_stop_outside_wide_boxes():
    w = Tensor.ones(2, 1)
    products = np.ones((200, 2)) @ w
    out = tensor_sigmoid(products).sum()
    ax = plot.draw_graph(out, names={w: "w", products: "X @ w", out: "out"})
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_bbox_patch().get_window_extent(renderer) for t in ax.texts]
    arrows = [p for p in ax.patches if isinstance(p, matplotlib.patches.FancyArrowPatch)]
    assert len(arrows) == 3
    for arrow in arrows:
        # No point of the drawn arrow, head included, is inside a box ("shape 200×1" is wide).
        path = arrow.get_transform().transform_path(arrow.get_path())
        for x, y in path.vertices:
            assert not any(box.contains(x, y) for box in boxes), (x, y)
