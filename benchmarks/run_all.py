"""Run every benchmark: `make bench`."""

import bench_scalar

if __name__ == "__main__":
    bench_scalar.main()
