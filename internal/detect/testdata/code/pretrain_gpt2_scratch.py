from datasets import load_dataset
from transformers import (AutoTokenizer, DataCollatorForLanguageModeling, GPT2Config,
                          GPT2LMHeadModel, Trainer, TrainingArguments)

tokenizer = AutoTokenizer.from_pretrained("gpt2")
config = GPT2Config(n_layer=6, n_head=8, n_embd=512, vocab_size=len(tokenizer))
model = GPT2LMHeadModel(config)
raw = load_dataset("roneneldan/TinyStories", split="train")
tokenized = raw.map(lambda e: tokenizer(e["text"]), batched=True, remove_columns=["text"])
trainer = Trainer(
    model=model,
    args=TrainingArguments("tiny-gpt2", per_device_train_batch_size=32, max_steps=10000),
    train_dataset=tokenized,
    data_collator=DataCollatorForLanguageModeling(tokenizer, mlm=False),
)
trainer.train()
