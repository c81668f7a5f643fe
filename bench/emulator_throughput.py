"""Requests per second for DescribeSchema: the bundled emulator next to moto, same client, same run.

Why: the emulator is the default target, so its speed bounds every conformance run; moto is
the obvious alternative a user would reach for. Each pair (emulator, moto) is measured with the
same client in interleaved rounds, so the ratio holds even on a loaded machine.

Clients: boto3 (what a user's code does), a raw keep-alive http.client replaying a request
signed once (the floor of any Python client), and the same two in-process (mock_aws for moto,
a before-send hook for the emulator; a direct call with the pre-built request).

    python -m bench.emulator_throughput [--seconds 2] [--rounds 3] [--tiny]
"""
from __future__ import annotations

import argparse
import json
import sys

from bench import loops, machine, table
from bench.clients import boto3_client, create_schema, emulator_boto3_client
from bench.raw import EmulatorReplay, HttpReplay, MotoReplay, prebuild
from bench.servers import ChildServer

TARGET_RATIO = 1.5


def _describe_body(arn: str) -> bytes:
    return json.dumps({"schemaArn": arn}).encode()


def _boto3_step(client, arn: str):
    def step():
        client.describe_schema(schemaArn=arn)
    return step


def _expect_200(step, what: str) -> None:
    status = step()
    if status not in (None, 200):
        raise RuntimeError(f"{what}: DescribeSchema answered HTTP {status}, not 200")


def http_pairs(opts) -> dict[str, dict[str, loops.Rate]]:
    """boto3 and raw http.client against both servers, each server in its own process."""
    results: dict[str, dict[str, loops.Rate]] = {"boto3 over HTTP": {}, "http.client keep-alive, pre-built": {}}
    with ChildServer("emulator") as emu, ChildServer("moto") as moto:
        steps_boto3, steps_raw, replays = {}, {}, []
        for kind, server in (("emulator", emu), ("moto", moto)):
            client = boto3_client(server.url)
            arn = create_schema(client)
            steps_boto3[kind] = _boto3_step(client, arn)
            replay = HttpReplay(server.url, [prebuild("DescribeSchema", _describe_body(arn), server.url)])
            _expect_200(replay, f"{server.name} over http.client")
            steps_raw[kind] = replay
            replays.append(replay)
        cpu = {"emulator": lambda: loops.own_cpu() + emu.cpu(), "moto": lambda: loops.own_cpu() + moto.cpu()}
        results["boto3 over HTTP"] = loops.interleaved(steps_boto3, cpu=cpu, **opts)
        results["http.client keep-alive, pre-built"] = loops.interleaved(steps_raw, cpu=cpu, **opts)
        for replay in replays:
            replay.close()
    return results


def in_process_pairs(opts) -> dict[str, dict[str, loops.Rate]]:
    """boto3 and a direct call with a pre-built request, no sockets: mock_aws against Emulator."""
    from moto import mock_aws
    from personalize_conformance.emulator import Emulator
    emulator = Emulator()
    mock = mock_aws()
    mock.start()
    try:
        emu_client = emulator_boto3_client(emulator)
        moto_client = boto3_client()
        emu_arn, moto_arn = create_schema(emu_client), create_schema(moto_client)
        boto3_rates = loops.interleaved({"emulator": _boto3_step(emu_client, emu_arn),
                                         "moto": _boto3_step(moto_client, moto_arn)}, **opts)
        direct = {"emulator": EmulatorReplay(emulator, [prebuild("DescribeSchema", _describe_body(emu_arn))]),
                  "moto": MotoReplay([prebuild("DescribeSchema", _describe_body(moto_arn))])}
        for name, step in direct.items():
            _expect_200(step, f"{name} in-process")
        direct_rates = loops.interleaved(direct, **opts)
    finally:
        mock.stop()
    return {"boto3 in-process (mock_aws / before-send hook)": boto3_rates,
            "direct call, pre-built request": direct_rates}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.emulator_throughput", description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="length of one round per configuration")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the best one counts")
    parser.add_argument("--max-requests", type=int, default=20000, help="cap on requests per round")
    parser.add_argument("--tiny", action="store_true", help="a few requests each: checks the script runs")
    args = parser.parse_args(argv)
    if args.tiny:
        args.seconds, args.rounds, args.max_requests = 0.2, 1, 50
    opts = dict(rounds=args.rounds, seconds=args.seconds, max_count=args.max_requests)

    title = machine.header("emulator throughput: DescribeSchema on an existing schema")
    results = {**http_pairs(opts), **in_process_pairs(opts)}
    rows = []
    for client, rates in results.items():
        emu, moto = rates["emulator"], rates["moto"]
        rows.append([client, table.rate(emu.per_second), table.rate(moto.per_second),
                     table.ratio(emu.per_second, moto.per_second),
                     "yes" if moto.per_second and emu.per_second / moto.per_second >= TARGET_RATIO else "no",
                     table.ms(emu.cpu_per_request), table.ms(moto.cpu_per_request),
                     table.ratio(moto.cpu_per_request, emu.cpu_per_request)])
    print(title)
    print(table.render(
        ["client", "emulator req/s", "moto req/s", "emulator ÷ moto", f"≥ {TARGET_RATIO}×",
         "emulator CPU/req", "moto CPU/req", "moto CPU ÷ emulator CPU"], rows, [
            "HTTP: each server in its own process on 127.0.0.1 (moto: its werkzeug app, threaded, "
            "as ThreadedMotoServer runs it); one client connection, one request at a time; moto's "
            "werkzeug answers every request with `Connection: close`, so its clients reconnect each time",
            "CPU/req: client process plus server process CPU time per request (load-independent)",
            f"best of {args.rounds} interleaved rounds of up to {args.seconds:g} s / "
            f"{args.max_requests} requests per configuration",
            f"load avg after: {machine.load()}"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
