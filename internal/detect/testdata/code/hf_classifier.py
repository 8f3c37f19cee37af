import evaluate
import numpy as np
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments

dataset = load_dataset("yelp_review_full")
tokenizer = AutoTokenizer.from_pretrained("google-bert/bert-base-cased")
tokenized = dataset.map(lambda e: tokenizer(e["text"], padding="max_length", truncation=True), batched=True)

model = AutoModelForSequenceClassification.from_pretrained("google-bert/bert-base-cased", num_labels=5)
metric = evaluate.load("accuracy")


def compute_metrics(p):
    logits, labels = p
    return metric.compute(predictions=np.argmax(logits, axis=-1), references=labels)


trainer = Trainer(
    model=model,
    args=TrainingArguments(output_dir="test_trainer", eval_strategy="epoch"),
    train_dataset=tokenized["train"],
    eval_dataset=tokenized["test"],
    compute_metrics=compute_metrics,
)
trainer.train()
