#!/usr/bin/python3
"""Writes labelstudio.json: the example repository's contract-risk labels
(testdata/example/evidence/contract-risk/labels.csv) as a Label Studio JSON
export, one task per clause (task id = the clause number), one annotation per
label, completed_by the annotator's user object."""
import csv, json, os

here = os.path.dirname(os.path.abspath(__file__))
src = os.path.join(here, "../../../../testdata/example/evidence/contract-risk/labels.csv")
users = {}
tasks = {}
order = []
with open(src) as f:
    for row in csv.DictReader(f):
        tid = int(row["unit"].split("-")[1])
        if tid not in tasks:
            tasks[tid] = []
            order.append(tid)
        uid = users.setdefault(row["annotator"], len(users) + 1)
        tasks[tid].append({
            "id": 1000 + sum(len(v) for v in tasks.values()),
            "completed_by": {"id": uid, "email": row["annotator"] + "@acme.example", "first_name": row["annotator"].title(), "last_name": ""},
            "result": [{"id": "r%d-%d" % (tid, uid), "type": "choices", "value": {"choices": [row["label"]]},
                        "origin": "manual", "to_name": "clause", "from_name": "risk"}],
            "was_cancelled": False, "ground_truth": False, "lead_time": 12.5, "task": tid,
        })
out = [{"id": t, "annotations": tasks[t], "drafts": [], "predictions": [],
        "data": {"clause": "clause %04d" % t}, "meta": {}, "project": 3, "inner_id": t} for t in order]
with open(os.path.join(here, "labelstudio.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
