"""``python -m bench [--n N] [--json PATH]`` and
``python -m bench load --clients K --seconds T [--klarna-latency 0,300]`` and
``python -m bench instructions [--n N] [--tree DIR]`` (valgrind: instructions per checkout)."""

import argparse
import os
import sys


def _latencies(text: str) -> tuple[int, ...]:
    try:
        values = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        values = ()
    if not values or min(values) < 0:
        raise argparse.ArgumentTypeError("milliseconds, e.g. 300 or 0,300")
    return values


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--n", type=int, default=30, help="checkouts to time (in-process, default 30)")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="server to create the throwaway database on (default: DATABASE_URL, else a temp SQLite file)",
    )
    sub = parser.add_subparsers(dest="command")
    load = sub.add_parser("load", help="gunicorn (2 workers) on PostgreSQL under K concurrent clients")
    load.add_argument("--clients", type=int, default=4)
    load.add_argument("--seconds", type=float, default=20.0, help="duration of each checkout phase")
    load.add_argument("--workers", type=int, default=2)
    load.add_argument("--threads", type=int, help="threads per worker (default: gunicorn.conf.py's)")
    load.add_argument(
        "--worker-class",
        choices=("gthread", "sync"),
        help="gunicorn worker class (default: gunicorn.conf.py's; sync means one thread)",
    )
    load.add_argument(
        "--klarna-latency",
        type=_latencies,
        default=(0,),
        metavar="MS[,MS...]",
        help="milliseconds the emulator adds to every Klarna API answer; a list (0,300) runs the "
        "checkout phase once per value with the same clients and reports the throughput ratio",
    )
    load.add_argument("--json", metavar="PATH", dest="load_json")
    load.add_argument(
        "--emulator",
        choices=("http", "in-process"),
        default="http",
        help="Klarna emulator in its own process over HTTP (default) or inside the workers",
    )
    load.add_argument(
        "--database-url",
        dest="load_database_url",
        default=os.environ.get("BENCH_PG_URL")
        or (os.environ.get("DATABASE_URL", "") if "postgres" in os.environ.get("DATABASE_URL", "") else "")
        or "postgres://postgres@127.0.0.1:5432/postgres",
    )
    instructions = sub.add_parser(
        "instructions", help="instructions per checkout under valgrind's callgrind (deterministic)"
    )
    instructions.add_argument("--n", type=int, default=5, dest="instructions_n", help="checkouts counted")
    instructions.add_argument(
        "--tree",
        default=".",
        help="the project checkout to measure (e.g. a `git worktree` of an older commit)",
    )
    instructions.add_argument("--json", metavar="PATH", dest="instructions_json")
    args = parser.parse_args(argv)
    if args.command == "instructions":
        from . import instructions as instructions_bench

        instructions_bench.run(args.instructions_n, args.tree, args.instructions_json or args.json)
    elif args.command == "load":
        from . import load as load_bench

        load_bench.run(
            clients=args.clients,
            seconds=args.seconds,
            workers=args.workers,
            json_path=args.load_json or args.json,
            database_url=args.load_database_url,
            emulator=args.emulator,
            klarna_latencies=args.klarna_latency,
            threads=args.threads,
            worker_class=args.worker_class,
        )
    else:
        from . import inprocess

        inprocess.run(args.n, args.json, args.database_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
