#!/usr/bin/env python3
"""Writes the evidence files of testdata/example deterministically.

The example repository holds two fine-tuning decisions: contract-risk, whose
evidence meets every default threshold, and support-bot, whose prompt history
has not converged and whose annotators disagree. Run from the repository root:
    python3 scripts/gen-example.py
"""
import json
import os
import random

ROOT = os.path.join("testdata", "example")


def write(rel, text):
    path = os.path.join(ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="\n") as f:
        f.write(text)


def labels(rng, units, annotators, categories, flip):
    """Long-format labels: each annotator copies the true label, flipping it
    to another category with probability flip."""
    rows = ["unit,annotator,label"]
    for u in range(1, units + 1):
        truth = rng.choice(categories)
        for a in annotators:
            label = truth
            if rng.random() < flip:
                label = rng.choice([c for c in categories if c != truth])
            rows.append(f"clause-{u:04d},{a},{label}")
    return "\n".join(rows) + "\n"


def chat_jsonl(rng, n, topics):
    lines = []
    for i in range(n):
        topic = topics[i % len(topics)]
        msg = {"messages": [
            {"role": "system", "content": "Classify the contract clause's risk."},
            {"role": "user", "content": f"Clause {i + 1} about {topic}: the supplier may {rng.choice(['terminate', 'assign', 'audit', 'renew'])} at will."},
            {"role": "assistant", "content": rng.choice(["high", "medium", "low"])},
        ]}
        lines.append(json.dumps(msg))
    return "\n".join(lines) + "\n"


def main():
    rng = random.Random(7)
    scenarios = ["termination", "liability", "indemnity", "payment", "ip", "confidentiality",
                 "assignment", "governing_law", "renewal", "audit"]

    # contract-risk: converged history with few_shot and rag tried.
    write("evidence/contract-risk/prompt-evals.csv", "\n".join([
        "iteration,score,n,technique,date,model",
        "1,0.62,400,zero_shot,2026-08-03,gpt-4o-mini",
        "2,0.71,400,few_shot,2026-08-10,gpt-4o-mini",
        "3,0.76,400,few_shot,2026-08-17,gpt-4o-mini",
        "4,0.80,400,rag,2026-08-24,gpt-4o-mini",
        "5,0.81,400,rag,2026-08-31,gpt-4o-mini",
        "6,0.812,400,cot,2026-09-07,gpt-4o-mini",
        "7,0.809,400,self_consistency,2026-09-14,gpt-4o-mini",
        "8,0.811,400,rag,2026-09-21,gpt-4o-mini",
    ]) + "\n")
    write("evidence/contract-risk/labels.csv",
          labels(rng, 150, ["ana", "ben", "chloe"], ["high", "medium", "low", "none"], 0.06))
    prod = [("termination", 2100), ("liability", 1900), ("indemnity", 1500), ("payment", 1400),
            ("ip", 900), ("confidentiality", 800), ("assignment", 600), ("governing_law", 400),
            ("renewal", 250), ("audit", 150)]
    write("evidence/contract-risk/prod-scenarios.csv",
          "scenario,count\n" + "".join(f"{s},{c}\n" for s, c in prod))
    train = [("termination", 140), ("liability", 120), ("indemnity", 90), ("payment", 80),
             ("ip", 60), ("confidentiality", 50), ("assignment", 40), ("governing_law", 30),
             ("renewal", 24), ("audit", 6)]
    write("evidence/contract-risk/train-scenarios.csv",
          "scenario,count\n" + "".join(f"{s},{c}\n" for s, c in train))
    write("data/contract-risk/train.jsonl", chat_jsonl(rng, 640, scenarios))

    # support-bot: still improving, and noisy labels.
    write("evidence/support-bot/prompt-evals.csv", "\n".join([
        "iteration,score,n,technique,date",
        "1,0.55,200,zero_shot,2026-09-01",
        "2,0.61,200,few_shot,2026-09-08",
        "3,0.66,200,few_shot,2026-09-15",
        "4,0.70,200,cot,2026-09-22",
        "5,0.74,200,few_shot,2026-09-29",
    ]) + "\n")
    write("evidence/support-bot/labels.csv",
          labels(rng, 120, ["dev", "eli", "fay", "gus"], ["refund", "bug", "billing", "howto", "other"], 0.35))
    write("data/support-bot/train.jsonl", chat_jsonl(rng, 300, ["refunds", "login", "billing"]))


if __name__ == "__main__":
    main()
