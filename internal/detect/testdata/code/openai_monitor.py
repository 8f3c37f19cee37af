from openai import OpenAI

client = OpenAI()
for job in client.fine_tuning.jobs.list(limit=10):
    print(job.id, job.status, job.fine_tuned_model)
events = client.fine_tuning.jobs.list_events(fine_tuning_job_id="ftjob-abc123", limit=5)
for e in events:
    print(e.message)
