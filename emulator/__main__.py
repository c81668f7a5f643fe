"""``python -m personalize_conformance.emulator``: serve the emulator until stopped.

The first line of stdout is the URL, so a parent process can read it and connect.
"""
from __future__ import annotations

import argparse
import signal
import sys
import threading

from .app import DEFAULT_ACCOUNT
from .faults import describe_faults
from .lifecycle import DEFAULT_TIMING, parse_timing
from .server import serve


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="personalize-conformance emulator",
        description="Serve the in-memory Amazon Personalize emulator over HTTP.",
        epilog="faults:\n" + describe_faults(),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    parser.add_argument("--timing", default=DEFAULT_TIMING,
                        help="seconds:T | describes:N | immediate (default %(default)s)")
    parser.add_argument("--no-quotas", dest="quotas", action="store_false",
                        help="lift the service quotas (LimitExceededException past each)")
    parser.add_argument("--fail-create", action="append", default=[], metavar="TYPE[=REASON]",
                        help="every create of this resource type ends in CREATE FAILED with "
                             "REASON as failureReason (repeatable); a create tagged "
                             "emulator:fail fails the same way")
    parser.add_argument("--fault", action="append", default=[], metavar="NAME[:Op,...]",
                        help="enable a fault (repeatable)")
    parser.add_argument("--account-id", default=DEFAULT_ACCOUNT)
    parser.add_argument("--region", default=None,
                        help="fixed region (default: the request's credential scope)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        parse_timing(args.timing)
        server = serve(host=args.host, port=args.port, account_id=args.account_id,
                       region=args.region, timing=args.timing, faults=args.fault,
                       quotas=args.quotas, fail_creates=args.fail_create)
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            signal.signal(signum, lambda *_: stop.set())
        except ValueError:   # not the main thread: rely on the caller to stop us
            pass
    # The URL last: a parent may signal as soon as it has read it.
    print(server.url, flush=True)
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
