"""The Spark job's overhead: relief batch on N requests directly (--threads 2) against
spark/relief_batch.py in local mode (local[2]) with several partition counts, same requests.
usage: python3 benchmarks/spark.py RELIEF DATA REQUESTS.jsonl [PARTITIONS,...]
prints a Markdown table; the answers of every run are compared with the direct run's bytes."""
import os
import subprocess
import sys
import tempfile
import time

relief, data, requests = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
counts = [int(p) for p in (sys.argv[4] if len(sys.argv) > 4 else "2,8,32").split(",")]
lines = sum(1 for _ in open(requests, encoding="utf-8"))
work = tempfile.mkdtemp(prefix="relief-spark-bench-")


def timed(command, **kwargs):
    start = time.perf_counter()
    subprocess.run(command, check=True, **kwargs)
    return time.perf_counter() - start


direct_out = os.path.join(work, "direct.jsonl")
direct = timed([relief, "batch", "--threads", "2", "--data", data, "--input", requests, "--output", direct_out])
expected = open(direct_out, "rb").read()
# Spark's own start and stop, with nothing to plan: part of every Spark row below.
empty = os.path.join(work, "empty.jsonl")
open(empty, "w").close()
startup = timed([sys.executable, "spark/relief_batch.py", "--master", "local[2]", "--relief", relief, "--data", data,
                 "--input", empty, "--collect", os.path.join(work, "empty-out.jsonl")], stderr=subprocess.DEVNULL)
print(f"{lines} requests (the seeded realistic mix against the shipped catalogue, time_limit 5). Direct: `relief batch --threads 2`. "
      f"Spark: `spark/relief_batch.py --master local[2]` (pyspark, Java 17), each partition one `relief batch --numbered --threads 1`; "
      f"a Spark session that plans nothing takes {startup:.1f} s here (start and stop), included in every Spark row.")
print()
print("| how | partitions | seconds | requests per partition | over direct | per extra partition | answers |")
print("|---|---:|---:|---:|---:|---:|---|")
print(f"| relief batch --threads 2 | | {direct:.1f} | | | | |")
previous = None
for p in counts:
    out = os.path.join(work, f"spark-{p}.jsonl")
    seconds = timed([sys.executable, "spark/relief_batch.py", "--master", "local[2]", "--relief", relief, "--data", data,
                     "--input", requests, "--collect", out, "--partitions", str(p)], stderr=subprocess.DEVNULL)
    same = "byte-identical" if open(out, "rb").read() == expected else "DIFFER"
    per = "" if previous is None else f"{(seconds - previous[1]) / (p - previous[0]) * 1000:.0f} ms"
    print(f"| Spark local[2] | {p} | {seconds:.1f} | {lines // p} | {seconds - direct:+.1f} s | {per} | {same} |")
    previous = (p, seconds)
