#!/usr/bin/env python3
"""Records the golden corpus: every case in Tests/Golden/cases.json run by the built `relief`,
its exit status, standard output, standard error and every file it wrote, into
Tests/Golden/expected/<case>.txt. GoldenTests (Swift) runs the same cases and compares byte
for byte. Record before a change meant to keep behaviour, never to make a failing test pass
without reading the difference.

    tests/golden/record.py [path/to/relief] [case ...]
"""
import json, os, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLDEN = os.path.join(ROOT, "Tests", "Golden")


def environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELIEF_")}
    env["TZ"] = "UTC"
    return env


def files_under(folder):
    found = {}
    for base, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(base, name)
            found[os.path.relpath(path, folder)] = open(path, "rb").read()
    return found


def run_case(relief, case):
    work = tempfile.mkdtemp(prefix="relief-golden-")
    try:
        shutil.copytree(os.path.join(GOLDEN, "data"), os.path.join(work, "data"))
        before = set(files_under(work))
        out = []
        for step in case["steps"]:
            for name, text in step.get("write", {}).items():
                path = os.path.join(work, name)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                open(path, "w").write(text)
                before.add(name)
            if "args" not in step:
                continue
            p = subprocess.run([relief] + step["args"], cwd=work, env=environment(),
                               input=step.get("stdin", "").encode(), capture_output=True)
            out.append("$ relief " + " ".join(step["args"]) + "\n")
            out.append("exit %d\n" % p.returncode)
            out.append("--- stdout\n" + p.stdout.decode() + "\n")
            out.append("--- stderr\n" + p.stderr.decode() + "\n")
        for name, data in sorted(files_under(work).items()):
            if name not in before:
                out.append("--- file %s\n%s\n" % (name, data.decode()))
        return "".join(out)
    finally:
        shutil.rmtree(work)


def main():
    relief = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "debug", "relief")
    wanted = set(sys.argv[2:])
    cases = json.load(open(os.path.join(GOLDEN, "cases.json")))
    os.makedirs(os.path.join(GOLDEN, "expected"), exist_ok=True)
    for case in cases:
        if wanted and case["name"] not in wanted:
            continue
        text = run_case(relief, case)
        open(os.path.join(GOLDEN, "expected", case["name"] + ".txt"), "w").write(text)
        print(case["name"])


if __name__ == "__main__":
    main()
