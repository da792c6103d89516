"""One module per source: `fetch()` does the I/O and returns bytes, `parse()` is pure."""
