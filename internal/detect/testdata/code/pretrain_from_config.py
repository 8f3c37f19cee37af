from datasets import load_dataset
from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer, Trainer, TrainingArguments

tok = AutoTokenizer.from_pretrained("meta-llama/Llama-3.2-1B")
cfg = AutoConfig.from_pretrained("meta-llama/Llama-3.2-1B", num_hidden_layers=8)
model = AutoModelForCausalLM.from_config(cfg)
ds = load_dataset("HuggingFaceFW/fineweb-edu", name="sample-10BT", split="train", streaming=True)
Trainer(model=model, args=TrainingArguments("scratch", max_steps=50000), train_dataset=ds).train()
