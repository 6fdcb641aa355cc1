"""Time to quality of the peers (jobs/bench ttq): scikit-learn's MLPRegressor with its defaults and
PyTorch (CPU, 2 threads, Adam lr 1e-3, batches of 256), 10-64-64-1 ReLU, on the same Friedman #1
Parquet files as ours; features and label standardized with the training rows' means and
deviations (as ours). Per epoch: training seconds (evaluation excluded), held-out R2 on the test
rows. Prints one JSON object per peer."""
import json, resource, sys, time
import numpy as np
import pyarrow.parquet as pq


def load(path):
    t = pq.read_table(path).to_pandas()
    x = t[[f"x{i}" for i in range(1, 11)]].to_numpy(dtype=np.float64)
    return x, t["label"].to_numpy(dtype=np.float64)


def r2(y, p):
    return 1.0 - float(np.sum((y - p) ** 2)) / float(np.sum((y - y.mean()) ** 2))


def summary(name, epochs, r2s, secs):
    out = {"peer": name, "epochs": epochs, "final_r2": r2s[-1] if r2s else None,
           "seconds": sum(secs), "r2_per_epoch": r2s, "seconds_per_epoch": secs}
    for bar in (0.95, 0.955):
        acc, hit = 0.0, None
        for e, (q, s) in enumerate(zip(r2s, secs)):
            acc += s
            if q >= bar:
                hit = (acc, e + 1)
                break
        out[f"to_{bar}"] = None if hit is None else {"seconds": hit[0], "passes": hit[1]}
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out), flush=True)


def main(train, test, peer, max_epochs):
    x, y = load(train)
    xt, yt = load(test)
    mx, sx = x.mean(0), x.std(0)
    my, sy = y.mean(), y.std()
    xs, ys, xts = (x - mx) / sx, (y - my) / sy, (xt - mx) / sx
    r2s, secs = [], []
    if peer == "sklearn":
        import warnings
        from sklearn.neural_network import MLPRegressor
        warnings.filterwarnings("ignore")
        m = MLPRegressor(hidden_layer_sizes=(64, 64), random_state=0)
        for e in range(max_epochs):
            t0 = time.perf_counter()
            m.partial_fit(xs, ys)  # one epoch of its defaults: Adam, lr 1e-3, batches of 200
            secs.append(time.perf_counter() - t0)
            r2s.append(r2(yt, m.predict(xts) * sy + my))
        summary("scikit-learn MLPRegressor (defaults)", max_epochs, r2s, secs)
    else:
        import torch
        torch.set_num_threads(2)
        torch.manual_seed(0)
        net = torch.nn.Sequential(torch.nn.Linear(10, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64),
                                  torch.nn.ReLU(), torch.nn.Linear(64, 1))
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        X = torch.tensor(xs, dtype=torch.float32)
        Y = torch.tensor(ys, dtype=torch.float32).unsqueeze(1)
        XT = torch.tensor(xts, dtype=torch.float32)
        n = len(X)
        for e in range(max_epochs):
            t0 = time.perf_counter()
            perm = torch.randperm(n)
            for i in range(0, n, 256):
                idx = perm[i:i + 256]
                opt.zero_grad()
                loss = torch.mean((net(X[idx]) - Y[idx]) ** 2)
                loss.backward()
                opt.step()
            secs.append(time.perf_counter() - t0)
            with torch.no_grad():
                r2s.append(r2(yt, net(XT).squeeze(1).double().numpy() * sy + my))
        summary(f"PyTorch {torch.__version__} CPU (Adam, batch 256)", max_epochs, r2s, secs)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
