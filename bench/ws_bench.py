#!/usr/bin/python3
"""WebSocket broadcast benchmark: Baton's protocol server vs a Python `websockets` peer.

Both servers wait for N clients on ws://127.0.0.1:PORT/ws/projects/bench, then broadcast E
envelopes of the same shape (protocol §1.2, METRIC_SCALAR with a t_us publish timestamp). The
clients (asyncio + websockets, spread over worker processes so the client side is not the
bottleneck) record when each event arrives.

Reported per run: events/s = E / (last arrival at the slowest client - first publish), and the
delivery latency (arrival - publish) p50/p99 over every client and event.

    /usr/bin/python3 bench/ws_bench.py --baton build/helper1/bench/bench_wsbroadcast
"""
import argparse
import asyncio
import json
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import time

import websockets


# ---- the Python peer server -----------------------------------------------------------------

def run_peer(port, clients, events, rate):
    async def main():
        connected = set()
        ready = asyncio.Event()
        done = asyncio.Event()
        seq = 0

        def envelope(kind, name, payload, stage=("TRAIN", 5, "IN_PROGRESS")):
            nonlocal seq
            seq += 1
            return json.dumps({"v": 1, "type": kind, "project_id": "bench", "seq": seq,
                               "ts": int(time.time() * 1000),
                               "stage": {"id": stage[0], "index": stage[1], "status": stage[2]},
                               "event": {"name": name, "payload": payload}}, allow_nan=False)

        async def handler(ws, path):
            await ws.send(envelope("HELLO", "HELLO", {"message": "Connected", "project_id": "bench"},
                                   ("PARSE_INTENT", 0, "PENDING")))
            connected.add(ws)
            if len(connected) >= clients:
                ready.set()
            try:
                await ws.wait_closed()
            finally:
                connected.discard(ws)
                if ready.is_set() and not connected:
                    done.set()

        async with websockets.serve(handler, "127.0.0.1", port, max_size=None):
            print("ready", flush=True)
            await ready.wait()
            await asyncio.sleep(0.3)
            begin = time.perf_counter()
            for i in range(events):
                if rate > 0:
                    delay = begin + i / rate - time.perf_counter()
                    if delay > 0:
                        await asyncio.sleep(delay)
                message = envelope("EVENT", "METRIC_SCALAR",
                                   {"run_id": "run_bench", "name": "loss", "split": "train", "step": i,
                                    "value": 1.0 / (i + 1), "t_us": int(time.time() * 1e6)})
                websockets.broadcast(connected, message)
                if i % 256 == 0:
                    await asyncio.sleep(0)  # let the sockets drain, as a real server must
            await done.wait()

    asyncio.run(main())


# ---- the clients ----------------------------------------------------------------------------

async def read_frames(url, events):
    """A minimal WebSocket client: the handshake, then unmasked server frames read straight off the
    stream. The `websockets` client with json.loads tops out near 8 000 messages/s per process here,
    which would measure the client, not the server; this one reads well over 100 000 frames/s."""
    import base64
    host_port, path = url[len("ws://"):].split("/", 1)
    host, port = host_port.split(":")
    reader, writer = await asyncio.open_connection(host, int(port), limit=1 << 22)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write((f"GET /{path} HTTP/1.1\r\nHost: {host_port}\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    if b" 101 " not in head.split(b"\r\n", 1)[0]:
        raise RuntimeError(f"handshake refused: {head[:200]!r}")
    latencies, first_publish, last_arrival, received = [], None, 0.0, 0
    buffer = b""
    while received < events:
        chunk = await reader.read(1 << 20)
        if not chunk:
            raise RuntimeError(f"server closed after {received} of {events} events")
        now_us = time.time() * 1e6
        buffer += chunk
        offset = 0
        while True:
            if len(buffer) - offset < 2:
                break
            b1 = buffer[offset + 1] & 0x7F
            header = 2
            if b1 == 126:
                if len(buffer) - offset < 4:
                    break
                b1, header = int.from_bytes(buffer[offset + 2:offset + 4], "big"), 4
            elif b1 == 127:
                if len(buffer) - offset < 10:
                    break
                b1, header = int.from_bytes(buffer[offset + 2:offset + 10], "big"), 10
            if len(buffer) - offset < header + b1:
                break
            payload = buffer[offset + header:offset + header + b1]
            offset += header + b1
            at = payload.find(b'"t_us":')
            if at < 0 or b'"METRIC_SCALAR"' not in payload:
                continue  # HELLO, STAGE_STATUS and the like
            digits = payload[at + 7:at + 7 + 24]
            t_us = int(digits[:next(i for i, c in enumerate(digits) if c not in b"0123456789 ")])
            first_publish = t_us if first_publish is None else min(first_publish, t_us)
            latencies.append((now_us - t_us) / 1000.0)
            last_arrival = now_us
            received += 1
        buffer = buffer[offset:]
    writer.write(b"\x88\x80" + os.urandom(4))  # a masked close frame without a payload
    writer.close()
    return latencies, first_publish, last_arrival


def client_worker(url, count, events, queue):
    async def main():
        return await asyncio.gather(*(read_frames(url, events) for _ in range(count)))

    results = asyncio.run(main())
    latencies = [l for r in results for l in r[0]]
    queue.put((latencies, min(r[1] for r in results), max(r[2] for r in results)))


def measure(server_cmd, port, clients, events, rate):
    server = subprocess.Popen(server_cmd, stdout=subprocess.PIPE, text=True,
                              env=dict(os.environ, OMP_WAIT_POLICY="PASSIVE", QT_LOGGING_RULES="*.info=false"))
    assert server.stdout.readline().strip() == "ready"
    url = f"ws://127.0.0.1:{port}/ws/projects/bench"
    workers = min(clients, 4)
    queue = mp.Queue()
    procs = []
    for w in range(workers):
        count = clients // workers + (1 if w < clients % workers else 0)
        p = mp.Process(target=client_worker, args=(url, count, events, queue))
        p.start()
        procs.append(p)
    parts = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    server.wait(timeout=60)
    latencies = sorted(l for part in parts for l in part[0])
    first = min(p[1] for p in parts)
    last = max(p[2] for p in parts)
    q = statistics.quantiles(latencies, n=100)
    return events / ((last - first) / 1e6), q[49], q[98]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--baton", default="build/ci/bench/bench_wsbroadcast")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--peer", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--clients", type=int, default=1)
    parser.add_argument("--events", type=int, default=0)
    parser.add_argument("--rate", type=float, default=0.0)
    args = parser.parse_args()
    if args.peer:
        run_peer(args.port, args.clients, args.events, args.rate)
        return

    scenarios = [(1, 50000, 0), (10, 20000, 0), (100, 2000, 0), (10, 10000, 5000)]
    print("| server | clients | events | paced at | events/s | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for clients, events, rate in scenarios:
        for name, cmd in (("Baton", [args.baton, str(args.port), str(clients), str(events), str(rate)]),
                          ("Python websockets", [sys.executable, __file__, "--peer", "--port", str(args.port),
                                                 "--clients", str(clients), "--events", str(events),
                                                 "--rate", str(rate)])):
            per_s, p50, p99 = measure(cmd, args.port, clients, events, rate)
            paced = f"{rate:.0f}/s" if rate else "burst"
            print(f"| {name} | {clients} | {events} | {paced} | {per_s:,.0f} | {p50:.2f} | {p99:.2f} |", flush=True)


if __name__ == "__main__":
    main()
