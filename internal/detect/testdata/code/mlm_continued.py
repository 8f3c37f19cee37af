from datasets import load_dataset
from transformers import AutoModelForMaskedLM, AutoTokenizer, DataCollatorForLanguageModeling, Trainer, TrainingArguments

tokenizer = AutoTokenizer.from_pretrained("FacebookAI/roberta-base")
model = AutoModelForMaskedLM.from_pretrained("FacebookAI/roberta-base")
ds = load_dataset("text", data_files="clinical_notes.txt")["train"]


def group_texts(batch, size=512):
    ids = sum(batch["input_ids"], [])
    return {"input_ids": [ids[i : i + size] for i in range(0, len(ids) - size + 1, size)]}


ds = ds.map(lambda b: tokenizer(b["text"]), batched=True, remove_columns=["text"]).map(group_texts, batched=True)
Trainer(model=model, args=TrainingArguments("dapt"), train_dataset=ds,
        data_collator=DataCollatorForLanguageModeling(tokenizer, mlm_probability=0.15)).train()
