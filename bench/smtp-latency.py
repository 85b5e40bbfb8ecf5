#!/usr/bin/env python3
# smtp-latency.py HOST PORT MESSAGE COUNT [RAW]: sends MESSAGE COUNT times, one SMTP session
# after the other, and prints the 50th and 95th percentile and the mean of the time from connect
# to the server's reply to the end of DATA, in milliseconds: "p50 p95 mean". With RAW, each
# time is also appended to that file, a line each (for percentiles over interleaved rounds).
import smtplib
import statistics
import sys
import time

host, port, path, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
body = open(path, "rb").read()
times = []
for _ in range(count):
    t0 = time.perf_counter()
    s = smtplib.SMTP(host, port, local_hostname="bench.localdomain")
    s.sendmail("a@example.org", ["user@test.local"], body)
    times.append((time.perf_counter() - t0) * 1000.0)
    s.quit()
if len(sys.argv) > 5:
    with open(sys.argv[5], "a") as raw:
        raw.writelines("%.3f\n" % t for t in times)
times.sort()
p = lambda q: times[min(len(times) - 1, int(q * len(times)))]
print("%.2f %.2f %.2f" % (p(0.50), p(0.95), statistics.mean(times)))
