#!/usr/bin/env python3
"""Baton vs scikit-learn HistGradientBoosting and XGBoost on the repo's test datasets.

For each dataset: one 80/20 split with a fixed seed (stratified for classification), Baton trains
on the training file with `baton run --time-budget B` and scores the test file with
`baton predict`; the peers train with their defaults on the same split. Every metric is
computed here, by the same code, for all three. Prints a Markdown table.

One split of a small dataset is a noisy judge (wine's test split has 36 rows: one row is 2.8 points
of accuracy, and one confident miss dominates the log loss), so `--seed 1 2 3 ...` repeats the whole
comparison on several splits and adds a table of the means and of how often Baton was at least as
good as the best peer.

Usage: bench/tabular_vs_peers.py [--baton build/ci/app/baton] [--budget 60] [--seed 7 [8 ...]] [--only wine.csv ...]
"""
import argparse, json, os, subprocess, sys, tempfile, time

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.metrics import accuracy_score, log_loss, mean_squared_error, r2_score, roc_auc_score
from sklearn.model_selection import train_test_split
import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "tests", "data")
DATASETS = [  # file, target, task, prompt
    ("ames_housing.csv", "Sale_Price", "regression", "predict house prices"),
    ("diabetes.csv", "target", "regression", "predict diabetes progression"),
    ("breast_cancer.csv", "target", "classification", "classify tumours as malignant or benign"),
    ("wine.csv", "target", "classification", "classify the wine cultivar"),
    ("iris.csv", "target", "classification", "classify iris species"),
]


def encode(train, test, target):
    """Categoricals as pandas categories (XGBoost) and ordinal codes (HGB), same for both splits."""
    X_tr, X_te = train.drop(columns=[target]), test.drop(columns=[target])
    cats = [c for c in X_tr.columns if X_tr[c].dtype == object]
    for c in cats:
        levels = pd.Categorical(X_tr[c]).categories
        X_tr[c] = pd.Categorical(X_tr[c], categories=levels)
        X_te[c] = pd.Categorical(X_te[c], categories=levels)
    return X_tr, X_te, cats


def metrics(task, y_true, pred, proba, classes):
    if task == "regression":
        return {"rmse": mean_squared_error(y_true, pred, squared=False), "r2": r2_score(y_true, pred)}
    out = {"accuracy": accuracy_score(y_true, pred), "log_loss": log_loss(y_true, proba, labels=classes)}
    out["roc_auc"] = (roc_auc_score(y_true, proba[:, 1]) if len(classes) == 2
                      else roc_auc_score(y_true, proba, multi_class="ovr", labels=classes))
    return out


def run_baton(baton, train_csv, test_csv, target, task, prompt, budget, seed, work):
    start = time.time()
    out = subprocess.run([baton, "run", "--data", train_csv, "--prompt", prompt, "--target", target,
                          "--task", task, "--time-budget", str(budget), "--seed", str(seed),
                          "--workspace", os.path.join(work, "ws"), "--out", os.path.join(work, "out")],
                         capture_output=True, text=True)
    wall = time.time() - start
    summary = json.loads(out.stdout) if out.stdout.strip() else {}
    bundle = summary.get("bundle_path")
    if out.returncode != 0 or not bundle:
        raise RuntimeError(f"baton run failed ({out.returncode}): {summary.get('error') or out.stderr[-400:]}")
    pred_csv = os.path.join(work, "pred.csv")
    p = subprocess.run([baton, "predict", "--bundle", bundle, "--data", test_csv, "--out", pred_csv],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"baton predict failed: {p.stderr[-400:]}")
    return pd.read_csv(pred_csv), wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--baton", default=os.path.join(HERE, "..", "build", "ci", "app", "baton"))
    ap.add_argument("--budget", type=int, default=60)
    ap.add_argument("--seed", type=int, nargs="+", default=[7], help="one split per seed")
    ap.add_argument("--only", nargs="*", help="dataset files to run (default: all), e.g. wine.csv")
    args = ap.parse_args()
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    rows = []
    for seed, (file, target, task, prompt) in ((s, d) for s in args.seed for d in DATASETS):
        if args.only and file not in args.only:
            continue
        df = pd.read_csv(os.path.join(DATA, file))
        strat = df[target] if task == "classification" else None
        train, test = train_test_split(df, test_size=0.2, random_state=seed, stratify=strat)
        with tempfile.TemporaryDirectory() as work:
            train_csv, test_csv = os.path.join(work, "train.csv"), os.path.join(work, "test.csv")
            train.to_csv(train_csv, index=False)
            test.drop(columns=[target]).to_csv(test_csv, index=False)
            y_tr, y_te = train[target].to_numpy(), test[target].to_numpy()
            classes = sorted(np.unique(y_tr)) if task == "classification" else None
            results = {}
            try:
                pred, wall = run_baton(args.baton, train_csv, test_csv, target, task, prompt,
                                       args.budget, seed, work)
                if task == "regression":
                    results["Baton"] = metrics(task, y_te, pred["prediction"].to_numpy(), None, None)
                else:
                    proba = np.column_stack([pred[f"p_{c}"].to_numpy() for c in classes])
                    labels = np.array(classes)[proba.argmax(axis=1)]
                    results["Baton"] = metrics(task, y_te, labels, proba, classes)
                results["Baton"]["wall_s"] = wall
            except Exception as e:  # reported, not hidden
                results["Baton"] = {"error": str(e)}
            X_tr, X_te, cats = encode(train, test, target)
            # HistGradientBoosting: ordinal-coded categoricals, declared as such
            X_tr_h, X_te_h = X_tr.copy(), X_te.copy()
            for c in cats:
                X_tr_h[c], X_te_h[c] = X_tr_h[c].cat.codes.replace(-1, np.nan), X_te_h[c].cat.codes.replace(-1, np.nan)
            mask = [c in cats for c in X_tr.columns]
            if task == "regression":
                hgb = HistGradientBoostingRegressor(categorical_features=mask or None, random_state=seed)
                hgb.fit(X_tr_h, y_tr)
                results["HGB"] = metrics(task, y_te, hgb.predict(X_te_h), None, None)
                xg = xgb.XGBRegressor(nthread=2, enable_categorical=True, tree_method="hist")
                xg.fit(X_tr, y_tr)
                results["XGBoost"] = metrics(task, y_te, xg.predict(X_te), None, None)
            else:
                hgb = HistGradientBoostingClassifier(categorical_features=mask or None, random_state=seed)
                hgb.fit(X_tr_h, y_tr)
                results["HGB"] = metrics(task, y_te, hgb.predict(X_te_h), hgb.predict_proba(X_te_h), classes)
                index = {c: i for i, c in enumerate(classes)}
                xg = xgb.XGBClassifier(nthread=2, enable_categorical=True, tree_method="hist")
                xg.fit(X_tr, np.array([index[v] for v in y_tr]))
                proba = xg.predict_proba(X_te)
                results["XGBoost"] = metrics(task, y_te, np.array(classes)[proba.argmax(axis=1)], proba, classes)
        rows.append((seed, file, task, results))
    for seed in args.seed:
        if len(args.seed) > 1:
            print(f"\nSplit seed {seed}:\n")
        print_table([(f, t, r) for s, f, t, r in rows if s == seed])
    if len(args.seed) > 1:
        print(f"\nMeans over {len(args.seed)} splits (seeds {' '.join(map(str, args.seed))}); "
              "'Baton >= best' counts the splits where Baton was at least as good as both peers:\n")
        print_means(rows)


METRICS = {"regression": ["rmse", "r2"], "classification": ["accuracy", "log_loss", "roc_auc"]}
LOWER_IS_BETTER = {"rmse", "log_loss"}
PEERS = ["Baton", "HGB", "XGBoost"]


def print_table(rows):
    print("| dataset | metric | Baton | HGB | XGBoost | Baton wall (s) |")
    print("|---|---|---|---|---|---|")
    for file, task, results in rows:
        for m in METRICS[task]:
            cells = []
            for peer in PEERS:
                r = results.get(peer, {})
                cells.append("error: " + r["error"][:60] if "error" in r else f"{r[m]:.5g}")
            wall = results.get("Baton", {}).get("wall_s")
            print(f"| {file} | {m} | {' | '.join(cells)} | {wall:.1f} |" if wall else f"| {file} | {m} | {' | '.join(cells)} | |")


def print_means(rows):
    print("| dataset | metric | Baton | HGB | XGBoost | Baton >= best | Baton wall max (s) |")
    print("|---|---|---|---|---|---|---|")
    for file in dict.fromkeys(f for _, f, _, _ in rows):
        runs = [(t, r) for _, f, t, r in rows if f == file and all("error" not in r.get(p, {}) for p in PEERS)]
        if not runs:
            continue
        task = runs[0][0]
        for m in METRICS[task]:
            values = {p: [r[p][m] for _, r in runs] for p in PEERS}
            sign = -1 if m in LOWER_IS_BETTER else 1
            wins = sum(sign * r["Baton"][m] >= max(sign * r["HGB"][m], sign * r["XGBoost"][m]) for _, r in runs)
            means = " | ".join(f"{np.mean(values[p]):.5g}" for p in PEERS)
            wall = max(r["Baton"]["wall_s"] for _, r in runs)
            print(f"| {file} | {m} | {means} | {wins}/{len(runs)} | {wall:.1f} |")


if __name__ == "__main__":
    sys.exit(main())
