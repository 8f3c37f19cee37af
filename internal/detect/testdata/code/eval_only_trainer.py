from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments

tok = AutoTokenizer.from_pretrained("acme/ticket-classifier")
model = AutoModelForSequenceClassification.from_pretrained("acme/ticket-classifier")
test = load_dataset("acme/tickets", split="test").map(lambda e: tok(e["text"], truncation=True), batched=True)
trainer = Trainer(model=model, args=TrainingArguments("eval", per_device_eval_batch_size=64))
metrics = trainer.evaluate(eval_dataset=test)
print(metrics)
