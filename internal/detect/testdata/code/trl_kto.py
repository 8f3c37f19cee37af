from datasets import load_dataset
from transformers import AutoModelForCausalLM, AutoTokenizer
from trl import KTOConfig, KTOTrainer

model = AutoModelForCausalLM.from_pretrained("HuggingFaceTB/SmolLM2-360M-Instruct")
tokenizer = AutoTokenizer.from_pretrained("HuggingFaceTB/SmolLM2-360M-Instruct")
dataset = load_dataset("trl-lib/kto-mix-14k", split="train")
trainer = KTOTrainer(model=model, args=KTOConfig(output_dir="kto"), processing_class=tokenizer, train_dataset=dataset)
trainer.train()
