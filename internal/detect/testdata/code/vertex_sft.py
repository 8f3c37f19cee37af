import time

import vertexai
from vertexai.tuning import sft

vertexai.init(project="acme-ml", location="us-central1")

job = sft.train(
    source_model="gemini-2.0-flash-001",
    train_dataset="gs://acme-tuning/support/train.jsonl",
    validation_dataset="gs://acme-tuning/support/validation.jsonl",
    epochs=3,
    tuned_model_display_name="support-bot",
)
while not job.has_ended:
    time.sleep(60)
    job.refresh()
print(job.tuned_model_endpoint_name)
