"""Re-run chapters and store the reference outputs that nbval checks.

    python tests/notebooks/refresh_outputs.py book/*.ipynb

Run this after changing a chapter. Each notebook is executed from its own
folder, as the book build does. Only the outputs of cells tagged
`nbval-check-output` are kept, since those are the only ones the notebook
tests compare; every other output is cleared, so the repository holds the
checked text and no images.
"""

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

CHECK_TAG = "nbval-check-output"


def refresh(path):
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    # No timing metadata: it would change every cell on every refresh.
    NotebookClient(notebook, timeout=300, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    kept = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        if CHECK_TAG in cell.metadata.get("tags", []):
            cell.outputs = merge_streams(cell.outputs)
            kept += 1
        else:
            cell.outputs = []
            cell.execution_count = None
    nbformat.write(notebook, path)
    print(f"{path}: kept the outputs of {kept} checked cells")


def merge_streams(outputs):
    """Join consecutive prints into one output, however the kernel split them."""
    merged = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (output.output_type == "stream" and previous is not None
                and previous.output_type == "stream" and previous.name == output.name):
            previous.text += output.text
        else:
            merged.append(output)
    return merged


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for notebook_path in sys.argv[1:]:
        refresh(notebook_path)
