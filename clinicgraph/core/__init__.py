"""Infrastructure every room may use: the exception family with its place, atomic writes,
folder locks, the CPUs a process may use, the build marker. It imports nothing of ours, so
any room can rely on it without a cycle."""
