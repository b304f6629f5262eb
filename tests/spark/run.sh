#!/usr/bin/env bash
# The Spark job (spark/relief_batch.py) in local mode on a small input, in 3
# partitions, against a direct `relief batch` run: the answers must be the same bytes.
# Needs Java (17) and pyspark; `make test` installs them (make spark-test-deps).
set -euo pipefail
cd "$(dirname "$0")/../.."
relief="$(swift build --show-bin-path)/relief"
input=tests/spark/requests.jsonl
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$relief" batch --threads 1 --data data --input "$input" > "$work/direct.jsonl"
[ "$(wc -l < "$work/direct.jsonl")" -eq "$(wc -l < "$input")" ] || { echo "spark test: the direct run did not answer every line" >&2; exit 1; }
for partitions in 3; do
  python3 spark/relief_batch.py --master 'local[2]' --relief "$relief" --data "$PWD/data" \
    --input "$PWD/$input" --output "$work/out-$partitions" --collect "$work/spark-$partitions.jsonl" \
    --partitions "$partitions" 2> "$work/spark-$partitions.log" || { tail -20 "$work/spark-$partitions.log" >&2; exit 1; }
  parts=$(ls "$work/out-$partitions"/part-* | wc -l)
  [ "$parts" -ge "$partitions" ] || { echo "spark test: asked for $partitions partitions, got $parts part files" >&2; exit 1; }
  # The recipe's claim too: the part files, in name order, are the answers in order.
  cat "$work/out-$partitions"/part-* | cmp -s - "$work/direct.jsonl" || { echo "spark test: the part files in name order differ from relief batch" >&2; exit 1; }
  if cmp -s "$work/direct.jsonl" "$work/spark-$partitions.jsonl"; then
    echo "spark test: $partitions partition(s) ($parts part files): byte-identical to relief batch ($(wc -l < "$input") lines)"
  else
    echo "spark test: $partitions partition(s): the answers differ from relief batch:" >&2
    diff "$work/direct.jsonl" "$work/spark-$partitions.jsonl" | cut -c1-200 | head -20 >&2
    exit 1
  fi
done
