from google import genai
from google.genai import types

client = genai.Client(vertexai=True, project="acme-ml", location="us-central1")
job = client.tunings.tune(
    base_model="gemini-2.0-flash-001",
    training_dataset=types.TuningDataset(gcs_uri="gs://acme-tuning/train.jsonl"),
    config=types.CreateTuningJobConfig(epoch_count=2, tuned_model_display_name="classifier"),
)
print(job.name)
