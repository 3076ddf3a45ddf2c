"""``python -m bench instructions [--n 10] [--tree DIR]``: CPU instructions per checkout, counted
by valgrind's callgrind. Deterministic (±0.1 %) and independent of the machine's load, unlike CPU
time: the way to compare two commits on a shared machine.

The in-process bench's checkout (``bench.flow``, Django's test client, SQLite on tmpfs, the
in-process Klarna emulator) runs under ``valgrind --tool=callgrind --instr-atstart=no``; a tiny C
helper compiled on the fly (``gcc``, ``<valgrind/callgrind.h>``) lets the Python side start the
counting after setup and dump the counts since the last dump under a label. Every instruction of
the measured checkouts lands in exactly one label:

- ``op:<operation>`` the shop's part of each GraphQL request (all threads);
- ``emulator`` inside the in-process Klarna emulator (Klarna's servers: not the shop's CPU);
- ``email_render`` / ``email_send`` the order email's templates and its send (the claim, the
  mail backend, the outcome UPDATE) wherever it runs: in the request, or by
  ``EMAIL_OUTBOX_SEND=background``'s sender thread, which the harness waits for after each
  request so that its work is counted (and labelled) in the request that caused it;
- ``glue`` the bench's own work between requests (the browser's authorization, JSON decoding).

``--tree DIR`` measures another checkout of the project (e.g. ``git worktree add --detach
/tmp/before 4ed2b7e``) with that tree's own code and bench flow: the harness is run from this file.
"""

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HELPER = r"""
#include <valgrind/callgrind.h>
void cg_start(void) { CALLGRIND_START_INSTRUMENTATION; }
void cg_dump(const char *label) { CALLGRIND_DUMP_STATS_AT(label); }
"""


def build_helper(directory: str) -> str:
    source = os.path.join(directory, "cg.c")
    library = os.path.join(directory, "libcg.so")
    with open(source, "w", encoding="utf-8") as out:
        out.write(HELPER)
    subprocess.run(["gcc", "-O1", "-shared", "-fPIC", "-o", library, source], check=True)
    return library


def parse_dumps(directory: str) -> dict[str, int]:
    """Sum the instruction counts of every dump per label."""
    totals: dict[str, int] = {}

    def number(path):
        tail = path.rsplit(".", 1)[-1]
        return int(tail) if tail.isdigit() else 0

    for path in sorted(glob.glob(os.path.join(directory, "cg.out*")), key=number):
        label, count = None, None
        with open(path, encoding="utf-8", errors="replace") as dump:
            for line in dump:
                if line.startswith("desc: Trigger:"):
                    match = re.search(r"Client Request: (.*)$", line.strip())
                    label = match.group(1) if match else "exit"
                elif line.startswith(("summary:", "totals:")):
                    count = int(line.split()[1])
        if label is not None and count is not None:
            totals[label] = totals.get(label, 0) + count
    return totals


def run(n: int, tree: str, json_path: str | None, keep: bool = False) -> dict:
    if not shutil.which("valgrind") or not shutil.which("gcc"):
        raise SystemExit("python -m bench instructions needs valgrind and gcc (apt-get install valgrind gcc)")
    tree = os.path.abspath(tree)
    work = tempfile.mkdtemp(prefix="shop-instructions-")
    try:
        library = build_helper(work)
        out = os.path.join(work, "cg.out")
        command = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={out}",
            "--dump-line=no",
            "--dump-instr=no",
            "--compress-strings=no",
            f"--log-file={os.path.join(work, 'valgrind.log')}",
            sys.executable,
            os.path.abspath(__file__),
            "--child",
            "--n",
            str(n),
            "--helper",
            library,
        ]
        env = {**os.environ, "PYTHONPATH": tree, "PYTHONHASHSEED": "0"}
        env.pop("DATABASE_URL", None)  # SQLite on tmpfs: the shop's CPU, not a server's
        subprocess.run(command, cwd=tree, env=env, check=True)
        totals = parse_dumps(work)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    result = summarize(totals, n, tree)
    _print(result)
    if json_path:
        with open(json_path, "w", encoding="utf-8") as fh:
            json.dump(result, fh, indent=2)
    return result


def summarize(totals: dict[str, int], n: int, tree: str) -> dict:
    per = {label: count / n for label, count in totals.items() if label not in ("setup", "exit")}
    ops = {
        label[3:]: count for label, count in per.items() if label.startswith("op:") and label != "op:trivial"
    }
    email = per.get("email_render", 0) + per.get("email_send", 0)
    shop = sum(ops.values()) + email
    try:
        commit = subprocess.run(
            ["git", "-C", tree, "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "bench": "instructions",
        "tree": tree,
        "commit": commit,
        "n": n,
        "per_checkout": {
            "shop": round(shop),
            "shop_without_email": round(shop - email),
            "email_render": round(per.get("email_render", 0)),
            "email_send": round(per.get("email_send", 0)),
            "emulator": round(per.get("emulator", 0)),
            "shop_and_emulator": round(shop + per.get("emulator", 0)),
            "glue": round(per.get("glue", 0)),
            "trivial_request": round(per.get("op:trivial", 0)),
        },
        "operations": {op: round(count) for op, count in ops.items()},
    }


def _print(result: dict) -> None:
    m = 1e6
    p = result["per_checkout"]
    print(f"Instructions per checkout (callgrind), {result['commit']} ({result['tree']}), N={result['n']}")
    for op, count in result["operations"].items():
        print(f"  {op:34} {count / m:8.2f} M")
    print(f"  {'email: render':34} {p['email_render'] / m:8.2f} M")
    print(f"  {'email: send':34} {p['email_send'] / m:8.2f} M")
    print(f"  {'shop (all of the above)':34} {p['shop'] / m:8.2f} M")
    print(f"  {'shop without the email':34} {p['shop_without_email'] / m:8.2f} M")
    print(f"  {'Klarna emulator':34} {p['emulator'] / m:8.2f} M")
    print(f"  {'shop + emulator':34} {p['shop_and_emulator'] / m:8.2f} M")
    print(f"  {'bench glue (not the shop)':34} {p['glue'] / m:8.2f} M")
    print(f"  {'one {{ __typename }} request':34} {p['trivial_request'] / m:8.2f} M")
    sys.stdout.flush()


# --- the child, under valgrind, in the measured tree ---------------------------------------------


class Marks:
    def __init__(self, helper: str):
        import ctypes

        self.lib = ctypes.CDLL(helper)
        self.lib.cg_dump.argtypes = [ctypes.c_char_p]
        self.current = "glue"

    def start(self):
        self.lib.cg_start()
        self.dump("setup")

    def dump(self, label: str):
        self.lib.cg_dump(label.encode())

    def wrap(self, owner, name: str, label: str) -> None:
        """Count what ``owner.name`` runs under ``label`` (exclusive of labels nested inside)."""
        original = getattr(owner, name)
        marks = self

        def wrapped(*args, **kwargs):
            outer = marks.current
            marks.dump(outer)
            marks.current = label
            try:
                return original(*args, **kwargs)
            finally:
                marks.dump(label)
                marks.current = outer

        setattr(owner, name, wrapped)


def child(n: int, helper: str) -> None:
    sys.path.insert(0, os.getcwd())
    from bench import flow, inprocess

    inprocess.configure_environment(None)
    os.environ["EMAIL_OUTBOX_SEND"] = os.environ.get("EMAIL_OUTBOX_SEND", "background")
    import gc

    import django

    django.setup()
    from django.test import Client

    marks = Marks(helper)
    skus = inprocess.seed()
    client = Client()
    _instrument(marks)
    after_response = _sender_after_response()

    def request(query: str, variables: dict) -> dict:
        body = json.dumps({"query": query, "variables": variables})
        return client.post("/graphql", body, "application/json").json()

    def post(operation: str, query: str, variables: dict) -> dict:
        marks.dump("glue")
        marks.current = f"op:{operation}"
        answer = request(query, variables)
        marks.dump(marks.current)
        marks.current = "email_send"  # the sender thread's work, started at the commit
        after_response()
        marks.dump(marks.current)
        marks.current = "glue"
        return answer

    for _ in range(2):  # warm-up: imports, caches, the first connection
        flow.run_checkout(lambda op, q, v: request(q, v), inprocess.authorize_in_process, skus)
        after_response()
    # The same heap for every tree: a full collection now, and none of these objects scanned
    # again (what varies run to run is when a generation-2 collection falls, not the code).
    gc.collect()
    gc.freeze()
    marks.start()
    for _ in range(n):
        flow.run_checkout(post, inprocess.authorize_in_process, skus)
        post("trivial", flow.TRIVIAL, {})
    marks.dump("glue")


def _instrument(marks: Marks) -> None:
    """Label the emulator's and the email's instructions (whichever of them this tree has)."""
    try:  # before the emulator became its own app (the venv may also hold a newer tree)
        from payments_klarna.emulator.transport import EmulatorAdapter
    except ImportError:
        from klarna_emulator.transport import EmulatorAdapter

    wrap = marks.wrap
    wrap(EmulatorAdapter, "send", "emulator")
    try:
        from checkout import email_outbox, emails
    except ImportError:
        return
    wrap(email_outbox, "send_row", "email_send")
    for spec in filter(None, os.environ.get("BENCH_LABELS", "").split(",")):
        import importlib

        module, _, function = spec.partition(":")
        owner = importlib.import_module(module)
        *path, name = function.split(".")
        for part in path:
            owner = getattr(owner, part)
        wrap(owner, name, f"op:{spec}")
    if hasattr(emails, "render_to_string"):
        wrap(emails, "render_to_string", "email_render")


def _sender_after_response():
    """With a sender thread (EMAIL_OUTBOX_SEND=background): hold what the request hands it until
    the response is complete, then let it run and wait for it, so that its instructions are
    counted apart (in production it starts at the commit, concurrently with the response)."""
    try:
        from checkout import email_outbox
    except ImportError:
        return lambda: None
    sender = getattr(email_outbox, "_SENDER", None)
    if sender is None:
        return lambda: None
    held, submit = [], sender.submit
    sender.submit = lambda *key: held.append(key)

    def release():
        while held:
            submit(*held.pop(0))
        email_outbox.wait_for_sender()

    return release


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--n", type=int, default=10)
    parser.add_argument("--helper")
    parser.add_argument("--tree", default=".")
    parser.add_argument("--json")
    args = parser.parse_args()
    if args.child:
        child(args.n, args.helper)
    else:
        run(args.n, args.tree, args.json)
