"""Bytes per graph node, measured with tracemalloc while a graph is built.

The graph is the seed spiral model's forward pass and loss over 400 points;
every allocation made while building it is divided by the number of nodes.
"""

import random
import tracemalloc

from bench_scalar import SeedNetwork

from mlfz.datasets import make_spiral
from mlfz.nn.scalar import binary_cross_entropy
from mlfz.nn.scalar.core import _reverse_topological_order


def bytes_per_node():
    random.seed(0)
    xs, ys = make_spiral(200, noise=2, seed=0)
    model = SeedNetwork()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    loss = binary_cross_entropy([model(x) for x in xs], ys)
    built = tracemalloc.get_traced_memory()[0]
    loss.backward()
    after_backward = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    n_nodes = len(_reverse_topological_order(loss))
    return n_nodes, (built - before) / n_nodes, (after_backward - before) / n_nodes


def main():
    n_nodes, forward, backward = bytes_per_node()
    print(f"\nMemory per Scalar node ({n_nodes} nodes, seed spiral graph)")
    print(f"  after the forward pass   {forward:>6.0f} bytes")
    print(f"  after backward()         {backward:>6.0f} bytes (gradients stored)")


if __name__ == "__main__":
    main()
