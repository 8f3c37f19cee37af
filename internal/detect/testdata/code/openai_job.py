"""Upload the support transcripts and start a fine-tuning job."""
from openai import OpenAI

client = OpenAI()

train = client.files.create(file=open("data/train.jsonl", "rb"), purpose="fine-tune")
job = client.fine_tuning.jobs.create(
    training_file=train.id,
    model="gpt-4o-mini-2024-07-18",
    hyperparameters={"n_epochs": 3},
    suffix="support-bot",
)
print(job.id, job.status)
