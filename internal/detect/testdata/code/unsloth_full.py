from unsloth import FastModel

model, tokenizer = FastModel.from_pretrained(
    model_name="unsloth/gemma-3-1b-it",
    max_seq_length=2048,
    full_finetuning=True,
)
from trl import SFTTrainer, SFTConfig
from datasets import load_dataset

ds = load_dataset("mlabonne/FineTome-100k", split="train")
SFTTrainer(model=model, tokenizer=tokenizer, train_dataset=ds, args=SFTConfig(num_train_epochs=1)).train()
