import os
import openai

openai.api_key = os.environ["OPENAI_API_KEY"]

resp = openai.File.create(file=open("train.jsonl", "rb"), purpose="fine-tune")
openai.FineTuningJob.create(training_file=resp["id"], model="gpt-3.5-turbo")
