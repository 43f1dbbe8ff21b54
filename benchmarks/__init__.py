"""Speed and accuracy benchmarks: run a module with ``python -m benchmarks.<name>``."""
