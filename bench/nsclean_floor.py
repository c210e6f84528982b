"""The I/O floor of an NSClean job: a plain read of the input and a write + fsync of a file the product's size.

usage: nsclean_floor.py INPUT PRODUCT_BYTES FOLDER RUNS
Each run reads INPUT whole into memory (from the page cache, as the job that just ran on it does), writes that
many bytes, cut or repeated to PRODUCT_BYTES, to a new file in FOLDER (the product's folder, the same file system),
fsyncs it and removes it. Prints the median wall times of the RUNS runs as
`floor_seconds=<read+write+fsync> floor_read=<read> floor_write=<write> floor_fsync=<fsync>`: no process start,
no decoding, no computation, nothing any NSClean could do without.
"""
import os
import statistics
import sys
import time


def main():
    source, product_bytes, folder, runs = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    target = os.path.join(folder, "floor.bin")
    reads, writes, syncs = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        with open(source, "rb") as f:
            data = f.read()
        read = time.perf_counter()
        # Sized outside the timed part: only the write is the floor's.
        body = (data * (product_bytes // len(data) + 1))[:product_bytes] if product_bytes != len(data) else data
        writing = time.perf_counter()
        with open(target, "wb") as f:
            f.write(body)
            f.flush()
            written = time.perf_counter()
            os.fsync(f.fileno())
        synced = time.perf_counter()
        os.remove(target)
        reads.append(read - start)
        writes.append(written - writing)
        syncs.append(synced - written)
        del data, body
    total = [r + w + s for r, w, s in zip(reads, writes, syncs)]
    print(f"floor_seconds={statistics.median(total):.4f} floor_read={statistics.median(reads):.4f} "
          f"floor_write={statistics.median(writes):.4f} floor_fsync={statistics.median(syncs):.4f}")


if __name__ == "__main__":
    main()
