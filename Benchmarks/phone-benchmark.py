#!/usr/bin/env python3
"""Phone channel figures: sipp as the carrier against a release build of `switchboard serve`.

    swift build -c release --product switchboard
    python3 Benchmarks/phone-benchmark.py [--binary .build/release/switchboard] [--rates 50,100,200]

1. Set-up rate: for each rate, sipp places calls for 5 s (INVITE -> 100 -> 200 -> ACK, held 2 s,
   BYE). Every call is answered, queued in a skill group with nobody online and hears queue audio
   from rtpengine, which is the real work of "set-up to queue". Prints failed calls, the p50/p99 of
   INVITE -> 100 Trying and INVITE -> 200 OK, and the server's and rtpengine's CPU per call.
2. Concurrent calls: N calls held together, each sending G.711 (sipp plays g711a.pcap) while
   rtpengine plays queue audio back. Prints the server's and rtpengine's CPU per call per second
   in the steady state, and rtpengine's packet counters for a sample call (both directions).

Figures only: nothing here passes or fails. Everything runs on 127.0.0.1.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

API_KEY = "benchmark-admin-key-0123456789"
TICKS = os.sysconf("SC_CLK_TCK")


def free_port(kind=socket.SOCK_DGRAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    """User + system CPU of a process so far, from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def api(port, method, path, body=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response) if response.status != 204 else None


SCENARIO = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="inbound call held then hung up">
  <send retrans="500" start_rtd="trying" ><![CDATA[
INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: <sip:+49170[call_number]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:caller@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

v=0
o=carrier 1 1 IN IP4 [media_ip]
s=-
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 8 101
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
]]></send>
  <recv response="100" rtd="trying" start_rtd="answered"/>
  <recv response="180" optional="true"/>
  <recv response="200" rtd="answered"/>
  <send><![CDATA[
ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: <sip:+49170[call_number]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0
]]></send>
  %MEDIA%
  <pause milliseconds="%HOLD%"/>
  <send retrans="500"><![CDATA[
BYE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: <sip:+49170[call_number]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 2 BYE
Max-Forwards: 70
Content-Length: 0
]]></send>
  <recv response="200"/>
  <ResponseTimeRepartition value="1, 2, 5, 10, 20, 50, 100, 200, 500"/>
</scenario>
"""


class Server:
    def __init__(self, binary, rtp_ports):
        self.directory = tempfile.mkdtemp(prefix="switchboard-phone-bench-")
        self.sip_port = free_port()
        self.http_port = free_port(socket.SOCK_STREAM)
        arguments = [binary, "serve", "--port", str(self.http_port), "--data-dir", self.directory, "--no-demo",
                     "--api-key", API_KEY, "--log-level", "error", "--sip-listen", f"127.0.0.1:{self.sip_port}",
                     "--trunk-allow", "127.0.0.1", "--phone-number", "+4930100=queue", "--rtp-ports", rtp_ports]
        self.process = subprocess.Popen(arguments, stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.directory, "server.log"), "wb"))
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                ready = json.load(urllib.request.urlopen(f"http://127.0.0.1:{self.http_port}/readyz", timeout=1))
                if ready.get("phone", {}).get("ready"):
                    break
            except Exception:
                pass
            time.sleep(0.2)
        else:
            self.stop()
            raise SystemExit("the server did not start; see its log in " + self.directory)
        api(self.http_port, "POST", "/api/v1/skill-groups", {"id": "queue", "queueTimeoutSeconds": 0})
        with open(os.path.join(self.directory, "rtpengine", "rtpengine.pid")) as f:
            self.rtpengine = int(f.read().strip())

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.directory, ignore_errors=True)


def run_sipp(server, scenario, rate, calls, limit, directory, timeout):
    path = os.path.join(directory, "scenario.xml")
    with open(path, "w") as f:
        f.write(scenario)
    command = ["sipp", "-sf", path, "-s", "+4930100", f"127.0.0.1:{server.sip_port}", "-i", "127.0.0.1",
               "-p", str(free_port()), "-mp", str(free_port()), "-r", str(rate), "-m", str(calls), "-l", str(limit),
               "-nostdin", "-trace_stat", "-stf", os.path.join(directory, "stat.csv"), "-timeout", f"{timeout}s", "-max_socket", "2000"]
    return subprocess.Popen(command, cwd=directory, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)


def last_stats(directory):
    with open(os.path.join(directory, "stat.csv")) as f:
        rows = [line.strip().split(";") for line in f if line.strip()]
    header, last = rows[0], rows[-1]
    return dict(zip(header, last))


def setup_rate(binary, rates):
    print("\n## Inbound call set-up to queue (answered, queued, queue audio playing; held 2 s)")
    print("| offered calls/s | calls | failed | INVITE→100 avg / p99 (ms) | INVITE→200 avg / p99 (ms) | server CPU per call (ms) | rtpengine CPU per call (ms) |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for rate in rates:
        server = Server(binary, "30000-31999")
        directory = tempfile.mkdtemp(prefix="sipp-bench-")
        calls = rate * 5
        try:
            scenario = SCENARIO.replace("%MEDIA%", "").replace("%HOLD%", "2000")
            before = (cpu_seconds(server.process.pid), cpu_seconds(server.rtpengine))
            sipp = run_sipp(server, scenario, rate, calls, rate * 3, directory, 60)
            sipp.wait(timeout=120)
            time.sleep(0.5)
            after = (cpu_seconds(server.process.pid), cpu_seconds(server.rtpengine))
            stats = last_stats(directory)
            failed = int(stats.get("FailedCall(C)", "0"))
            successful = int(stats.get("SuccessfulCall(C)", "0"))
            trying = f'{ms(stats.get("ResponseTimetrying(C)", ""))} / {p99_bucket(stats, "trying")}'
            answered = f'{ms(stats.get("ResponseTimeanswered(C)", ""))} / {p99_bucket(stats, "answered")}'
            server_ms = (after[0] - before[0]) * 1000 / max(1, calls)
            engine_ms = (after[1] - before[1]) * 1000 / max(1, calls)
            print(f"| {rate} | {successful + failed} | {failed} | {trying} | {answered} | {server_ms:.2f} | {engine_ms:.2f} |")
        finally:
            server.stop()
            shutil.rmtree(directory, ignore_errors=True)


def ms(value):
    """sipp prints a duration as HH:MM:SS:uuuuuu (microseconds, at its 1 ms clock); milliseconds."""
    parts = value.split(":") if value else []
    if len(parts) != 4:
        return "?"
    hours, minutes, seconds, micros = (int(p) for p in parts)
    return f"{(hours * 3600 + minutes * 60 + seconds) * 1000 + micros / 1000:.1f}"


def p99_bucket(stats, name):
    """sipp's response-time repartition for `name` (calls per bucket: below 1 ms, 1-2 ms, ...):
    the bucket the 99th percentile falls in, e.g. '< 2'."""
    prefix = f"ResponseTimeRepartition{name}_"
    buckets = []
    for key, value in stats.items():
        if key.startswith(prefix):
            label = key[len(prefix):]
            try:
                buckets.append((label, int(value)))
            except ValueError:
                pass
    total = sum(count for _, count in buckets)
    if total == 0:
        return "?"
    running = 0
    for label, count in buckets:
        running += count
        if running >= 0.99 * total:
            return label.replace("<", "< ").replace(">=", ">= ")
    return "?"


def concurrent(binary, count):
    print(f"\n## {count} concurrent calls with G.711 both ways through rtpengine")
    server = Server(binary, "30000-33999")
    directory = tempfile.mkdtemp(prefix="sipp-bench-")
    try:
        media = '<nop><action><exec play_pcap_audio="/usr/share/sip-tester/g711a.pcap"/></action></nop>'
        scenario = SCENARIO.replace("%MEDIA%", media).replace("%HOLD%", "12000")
        sipp = run_sipp(server, scenario, 100, count, count, directory, 60)
        # Wait until every call is up, then measure a 5 s window while all are held.
        deadline = time.time() + 30
        while time.time() < deadline:
            live = len(api(server.http_port, "GET", f"/api/v1/sessions?live=true&limit={min(count + 10, 500)}")["items"])
            if live >= count:
                break
            time.sleep(0.2)
        time.sleep(1)
        sample = api(server.http_port, "GET", "/api/v1/sessions?live=true&limit=1")["items"][0]["id"]
        before = (cpu_seconds(server.process.pid), cpu_seconds(server.rtpengine), time.time())
        first = api(server.http_port, "GET", f"/api/v1/sessions/{sample}/media")
        time.sleep(5)
        after = (cpu_seconds(server.process.pid), cpu_seconds(server.rtpengine), time.time())
        second = api(server.http_port, "GET", f"/api/v1/sessions/{sample}/media")
        elapsed = after[2] - before[2]
        server_share = (after[0] - before[0]) / elapsed
        engine_share = (after[1] - before[1]) / elapsed
        print(f"- live calls: {live}; window {elapsed:.1f} s")
        print(f"- server CPU: {server_share * 100:.1f}% of a core ({server_share * 1000 / count:.2f} ms per call per second)")
        print(f"- rtpengine CPU: {engine_share * 100:.1f}% of a core ({engine_share * 1000 / count:.2f} ms per call per second)")
        legs = {leg["leg"]: leg for leg in second["legs"]}
        legs_before = {leg["leg"]: leg for leg in first["legs"]}
        carrier = legs["carrier"]["packetsReceived"] - legs_before["carrier"]["packetsReceived"]
        print(f"- sample call {sample}: rtpengine received {carrier} packets from the carrier in the window "
              f"({carrier / elapsed:.0f}/s; the pcap holds 236 packets over 7 s)")
        sipp.wait(timeout=60)
        stats = last_stats(directory)
        print(f"- sipp: {stats.get('SuccessfulCall(C)')} successful, {stats.get('FailedCall(C)')} failed")
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/release/switchboard")
    parser.add_argument("--rates", default="50,100,200")
    parser.add_argument("--concurrent", type=int, default=200)
    options = parser.parse_args()
    if not os.path.exists(options.binary):
        raise SystemExit(f"{options.binary} is missing: swift build -c release --product switchboard")
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}")
    setup_rate(options.binary, [int(r) for r in options.rates.split(",")])
    concurrent(options.binary, options.concurrent)


if __name__ == "__main__":
    main()
