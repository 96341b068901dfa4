#!/usr/bin/env bash
# Worker start-up and idle footprint: time from exec to the first 200 from GET /health (REST
# ready), and VmRSS after idling 3 s with no connectors (goals: <= 200 ms, <= 20 MB).
#   tests/bench/worker_startup.sh BUILD_DIR BOOTSTRAP [RUNS=5]
set -euo pipefail
build="${1:?usage: worker_startup.sh BUILD_DIR BOOTSTRAP [RUNS]}"
bootstrap="${2:?bootstrap servers}"
runs="${3:-5}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
python3 - "$build" "$bootstrap" "$runs" "$dir" <<'PY'
import os, socket, subprocess, sys, time, urllib.request
build, bootstrap, runs, d = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
ready, rss = [], []
for i in range(runs):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
    props = f"{d}/w{i}.properties"
    open(props, "w").write(f"bootstrap.servers={bootstrap}\nlisteners=http://127.0.0.1:{port}\n"
                           f"plugin.path={build}/plugins\noffset.storage.file.filename={d}/off{i}\n")
    t0 = time.perf_counter()
    p = subprocess.Popen([f"{build}/bin/tributary", "standalone", props],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as r:
                if r.status == 200:
                    break
        except Exception:
            time.sleep(0.001)
    ready.append((time.perf_counter() - t0) * 1000)
    time.sleep(3)
    for line in open(f"/proc/{p.pid}/status"):
        if line.startswith("VmRSS:"):
            rss.append(int(line.split()[1]) / 1024)
    p.terminate(); p.wait()
ready.sort(); rss.sort()
print(f"REST ready (ms): median {ready[len(ready)//2]:.1f}  max {ready[-1]:.1f}  (goal <= 200)")
print(f"idle RSS (MB):   median {rss[len(rss)//2]:.1f}  max {rss[-1]:.1f}  (goal <= 20)")
PY
