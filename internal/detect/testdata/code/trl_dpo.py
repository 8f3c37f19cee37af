from datasets import load_dataset
from transformers import AutoModelForCausalLM, AutoTokenizer
from trl import DPOConfig, DPOTrainer

model = AutoModelForCausalLM.from_pretrained("Qwen/Qwen2-0.5B-Instruct")
tokenizer = AutoTokenizer.from_pretrained("Qwen/Qwen2-0.5B-Instruct")
train_dataset = load_dataset("trl-lib/ultrafeedback_binarized", split="train")

args = DPOConfig(output_dir="Qwen2-0.5B-DPO", beta=0.1, logging_steps=10)
trainer = DPOTrainer(model=model, args=args, processing_class=tokenizer, train_dataset=train_dataset)
trainer.train()
