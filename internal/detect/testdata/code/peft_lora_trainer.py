import torch
from datasets import load_dataset
from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training
from transformers import (AutoModelForCausalLM, AutoTokenizer, BitsAndBytesConfig,
                          DataCollatorForSeq2Seq, Trainer, TrainingArguments)

base = "mistralai/Mistral-7B-v0.1"
bnb = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_compute_dtype=torch.bfloat16)
model = AutoModelForCausalLM.from_pretrained(base, quantization_config=bnb)
model = prepare_model_for_kbit_training(model)
model = get_peft_model(model, LoraConfig(r=8, lora_alpha=16, task_type="CAUSAL_LM"))
tokenizer = AutoTokenizer.from_pretrained(base)

data = load_dataset("json", data_files="data/instructions.jsonl")["train"]


def tokenize(ex):
    return tokenizer(ex["prompt"] + ex["response"], truncation=True, max_length=512)


data = data.map(tokenize)
trainer = Trainer(
    model=model,
    args=TrainingArguments("out", per_device_train_batch_size=4, num_train_epochs=2),
    train_dataset=data,
    data_collator=DataCollatorForSeq2Seq(tokenizer),
)
trainer.train()
