from datasets import load_dataset
from transformers import AutoModelForCausalLM, AutoTokenizer
from trl import ORPOConfig, ORPOTrainer

model_name = "meta-llama/Llama-3.2-1B-Instruct"
model = AutoModelForCausalLM.from_pretrained(model_name)
tokenizer = AutoTokenizer.from_pretrained(model_name)
ds = load_dataset("mlabonne/orpo-dpo-mix-40k", split="train")

trainer = ORPOTrainer(model=model, args=ORPOConfig(output_dir="orpo", beta=0.1), train_dataset=ds, processing_class=tokenizer)
trainer.train()
