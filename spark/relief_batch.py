"""Plans a population overnight on Apache Spark: `relief batch` piped over the partitions.

`relief batch` reads one JSON request per line and writes one JSON answer per line, in the same
order, with no state between lines. Spark's RDD.pipe runs it unchanged once per partition, and
keeps order within a partition; partitions keep the order of the input file. So the answers,
read partition by partition, are the lines `relief batch` would write for the whole file.

Usage (a cluster; every worker needs the `relief` binary and the catalogue at the same paths):

    spark-submit --master yarn spark/relief_batch.py \\
        --relief /opt/relief/bin/relief --data /opt/relief/data \\
        --input hdfs:///plans/requests.jsonl --output hdfs:///plans/answers \\
        --partitions 400

Locally (a test, or a laptop): `python3 spark/relief_batch.py --master 'local[2]' ...`; with
`--collect FILE` the answers are also written, in order, to one local file.

Each `relief batch` runs with `--threads 1` (Spark's executors are the parallelism) and the
catalogue from `--data` (RELIEF_DATA). An invalid request gets its error line, as in a direct
run (`relief batch --numbered` takes each line's number from the job).
Exit codes: 0 done; 64 bad arguments; 1 the Spark job failed (its log says why).
"""
import argparse
import os
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(description="relief batch over Spark partitions (RDD.pipe)")
    parser.add_argument("--relief", required=True, help="path of the relief binary on every worker")
    parser.add_argument("--data", required=True, help="catalogue folder on every worker")
    parser.add_argument("--input", required=True, help="JSON Lines requests (any path Spark reads)")
    parser.add_argument("--output", help="folder for the answers (Spark's part files, in order)")
    parser.add_argument("--collect", help="also write every answer, in order, to this local file")
    parser.add_argument("--partitions", type=int, default=0, help="at least this many partitions (default: Spark's)")
    parser.add_argument("--master", default=None, help="Spark master, e.g. local[2]; default: spark-submit's")
    parser.add_argument("--strategy", default="auto", choices=["auto", "core", "full"], help="relief batch --strategy")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:
        return 64 if exit.code else 0
    if not args.output and not args.collect:
        print("error: give --output (a folder) or --collect (a local file), or both", file=sys.stderr)
        return 64
    if args.partitions < 0:
        print(f"error: --partitions must be 0 or more, got {args.partitions}", file=sys.stderr)
        return 64

    from pyspark.sql import SparkSession  # imported late so that --help works without Spark

    builder = SparkSession.builder.appName("relief-batch")
    if args.master:
        builder = builder.master(args.master)
    if args.master and args.master.startswith("local"):
        # A local run needs no network beyond the loopback interface, and no web UI.
        builder = (builder.config("spark.ui.enabled", "false")
                   .config("spark.driver.host", "127.0.0.1")
                   .config("spark.driver.bindAddress", "127.0.0.1"))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    try:
        lines = spark.sparkContext.textFile(args.input, minPartitions=args.partitions or None)
        # Each line goes with its number in the whole file, so an error names the same line as
        # a direct run would (zipWithIndex keeps the file's order).
        numbered = lines.zipWithIndex().map(lambda pair: f"{pair[1] + 1}\t{pair[0]}")
        command = [args.relief, "batch", "--numbered", "--threads", "1", "--data", args.data, "--strategy", args.strategy]
        answers = numbered.pipe(" ".join(_quote(c) for c in command), env={"RELIEF_DATA": args.data}, checkCode=True)
        if args.collect:
            # Planned once, by all executors at the same time (toLocalIterator alone would run the
            # partitions one after another), then written out from memory.
            answers = answers.cache()
            answers.count()
        if args.output:
            # Part files in name order (part-00000, part-00001, ...) are the answers in order.
            answers.saveAsTextFile(args.output)
        if args.collect:
            # Partition by partition, in order (reading the part files back through Hadoop
            # would list them in no guaranteed order).
            tmp = args.collect + ".tmp"
            with open(tmp, "w", encoding="utf-8") as out:
                for line in answers.toLocalIterator():
                    out.write(line + "\n")
            os.replace(tmp, args.collect)
    except Exception as error:  # the job's own log has the details
        print(f"error: the Spark job failed: {str(error).splitlines()[0] if str(error) else error!r}", file=sys.stderr)
        return 1
    finally:
        spark.stop()
    return 0


def _quote(part):
    import shlex
    return shlex.quote(part)


if __name__ == "__main__":
    sys.exit(main())
