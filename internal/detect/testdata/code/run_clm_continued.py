from itertools import chain

from datasets import load_dataset
from transformers import AutoModelForCausalLM, AutoTokenizer, Trainer, TrainingArguments, default_data_collator

model_name_or_path = "EleutherAI/pythia-1b"
tokenizer = AutoTokenizer.from_pretrained(model_name_or_path)
model = AutoModelForCausalLM.from_pretrained(model_name_or_path)
raw = load_dataset("text", data_files={"train": "corpus/legal/*.txt"})
block_size = 1024


def group_texts(examples):
    concatenated = {k: list(chain(*examples[k])) for k in examples.keys()}
    total = (len(concatenated["input_ids"]) // block_size) * block_size
    result = {k: [t[i : i + block_size] for i in range(0, total, block_size)] for k, t in concatenated.items()}
    result["labels"] = result["input_ids"].copy()
    return result


lm = raw.map(lambda e: tokenizer(e["text"]), batched=True).map(group_texts, batched=True)
trainer = Trainer(model=model, args=TrainingArguments("cpt"), train_dataset=lm["train"], data_collator=default_data_collator)
trainer.train()
