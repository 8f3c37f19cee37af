import json, csv, io
rows = """1,1,1,,1
2,2,2,3,2
3,3,3,3,3
4,3,3,3,3
5,2,2,2,2
6,1,2,3,4
7,4,4,4,4
8,1,1,2,1
9,2,2,2,2
10,,5,5,5
11,,,1,1
12,,,3,""".split("\n")
names = ["ana", "bo", "cy", "dee"]
uid = {"ana": 11, "bo": 12, "cy": 13, "dee": 14}
auuid = {n: "0b6e1f2a-5c1d-4e8a-9f00-00000000%04d" % uid[n] for n in names}
tri = []
for r in rows:
    c = r.split(",")
    for i, v in enumerate(c[1:]):
        if v:
            tri.append((int(c[0]), names[i], v))
tones = ["neutral", "angry", "calm"]
# Label Studio JSON
tasks = []
aid = 100
for u in range(1, 13):
    anns = []
    for (uu, n, v) in tri:
        if uu != u: continue
        aid += 1
        cb = uid[n] if n in ("ana", "cy") else {"id": uid[n], "email": n + "@example.com", "first_name": "", "last_name": ""}
        anns.append({"id": aid, "completed_by": cb, "result": [
            {"id": "r%d" % aid, "type": "choices", "value": {"choices": [v]}, "origin": "manual", "to_name": "text", "from_name": "severity"},
            {"id": "t%d" % aid, "type": "choices", "value": {"choices": [tones[(u + aid) % 3]]}, "origin": "manual", "to_name": "text", "from_name": "tone"}],
            "was_cancelled": False, "ground_truth": False, "created_at": "2026-10-01T09:%02d:00Z" % (aid % 60), "lead_time": 4.2, "task": u})
    if u == 6:
        anns.append({"id": 999, "completed_by": {"id": 15, "email": "eve@example.com"}, "result": [], "was_cancelled": True, "task": u})
    tasks.append({"id": u, "annotations": anns, "drafts": [], "predictions": [{"id": u, "model_version": "v1", "result": [{"type": "choices", "value": {"choices": ["3"]}, "to_name": "text", "from_name": "severity"}]}],
                  "data": {"text": "ticket %d" % u}, "meta": {}, "created_at": "2026-09-30T12:00:00Z", "inner_id": u, "total_annotations": len(anns), "project": 7})
open("labelstudio.json", "w").write(json.dumps(tasks, indent=2) + "\n")
# JSON-MIN (one question)
mins = []
for k, (u, n, v) in enumerate(tri):
    mins.append({"text": "ticket %d" % u, "id": u, "severity": v, "annotator": n + "@example.com", "annotation_id": 200 + k,
                 "created_at": "2026-10-01T10:00:00Z", "updated_at": "2026-10-01T10:00:00Z", "lead_time": 3.1})
open("labelstudio-min.json", "w").write(json.dumps(mins, indent=2) + "\n")
# CSV
out = io.StringIO()
keys = sorted(["annotator", "annotation_id", "created_at", "updated_at", "lead_time", "id", "severity", "text"])
w = csv.DictWriter(out, fieldnames=keys, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
w.writeheader()
for k, (u, n, v) in enumerate(tri):
    w.writerow({"text": "ticket %d, \"urgent\"" % u, "id": u, "severity": v, "annotator": n + "@example.com", "annotation_id": 200 + k,
                "created_at": "2026-10-01T10:00:00Z", "updated_at": "2026-10-01T10:00:00Z", "lead_time": 3.1})
open("labelstudio.csv", "w").write(out.getvalue())
# Prodigy
with open("db-out.jsonl", "w") as f:
    for k, (u, n, v) in enumerate(tri):
        f.write(json.dumps({"text": "ticket %d" % u, "options": [{"id": str(i), "text": "severity %d" % i} for i in range(1, 6)],
            "_input_hash": -1000 - u, "_task_hash": 5000 + u, "_view_id": "choice", "config": {"choice_style": "single"},
            "accept": [v], "answer": "accept", "_timestamp": 1791000000 + k, "_annotator_id": "tickets-" + n, "_session_id": "tickets-" + n}) + "\n")
        if k == 3:
            f.write(json.dumps({"text": "ticket %d" % u, "options": [], "_input_hash": -1000 - u, "_task_hash": 5000 + u, "_view_id": "choice",
                "accept": [], "answer": "ignore", "_timestamp": 1791000000 + k, "_annotator_id": "tickets-eve", "_session_id": "tickets-eve"}) + "\n")
# Argilla
recs = []
for u in range(1, 13):
    resp = [{"value": v, "user_id": auuid[n]} for (uu, n, v) in tri if uu == u]
    recs.append({"id": "ticket-%d" % u, "fields": {"text": "ticket %d" % u}, "metadata": {}, "suggestions": {"severity": {"value": "3", "score": 0.7, "agent": "triage-model"}},
                 "responses": {"severity": resp}, "vectors": {}, "status": "completed", "_server_id": "9d7c1a40-0000-4000-8000-%012d" % u})
open("argilla.json", "w").write(json.dumps(recs, indent=2) + "\n")
