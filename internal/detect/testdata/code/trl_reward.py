from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer
from trl import RewardConfig, RewardTrainer

tok = AutoTokenizer.from_pretrained("Qwen/Qwen2.5-0.5B-Instruct")
model = AutoModelForSequenceClassification.from_pretrained("Qwen/Qwen2.5-0.5B-Instruct", num_labels=1)
ds = load_dataset("trl-lib/ultrafeedback_binarized", split="train")

trainer = RewardTrainer(model=model, processing_class=tok, args=RewardConfig(output_dir="rm"), train_dataset=ds)
trainer.train()
