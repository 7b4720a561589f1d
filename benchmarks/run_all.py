"""Run every benchmark: `make bench`."""

import bench_memory
import bench_micrograd
import bench_scalar
import bench_tensor

if __name__ == "__main__":
    bench_scalar.main()
    bench_micrograd.main()
    bench_tensor.main()
    bench_memory.main()
