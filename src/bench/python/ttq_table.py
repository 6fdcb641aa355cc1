"""Formats jobs/bench ttq's JSON lines (one per run) as table rows, prefixed TTQ."""
import json
import sys


def hit(h):
    return "-" if h is None else "%.1f s (%d passes)" % (h["seconds"], h["passes"])


for line in sys.stdin:
    line = line.strip()
    if not line.startswith("{"):
        continue
    d = json.loads(line)
    job = ", job %.0f s" % d["wall"] if "wall" in d else ""
    print("TTQ | %s | to R2 0.95: %s | to 0.955: %s | %d passes, %.1f s training%s | final R2 %.4f"
          " | %.2f s/pass | peak RSS %.0f MB" % (d["peer"], hit(d["to_0.95"]), hit(d["to_0.955"]),
          d["epochs"], d["seconds"], job, d["final_r2"], d["seconds"] / max(1, d["epochs"]),
          d["peak_rss_mb"]), flush=True)
