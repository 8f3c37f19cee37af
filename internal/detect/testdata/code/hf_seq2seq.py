from datasets import load_dataset
from transformers import (AutoModelForSeq2SeqLM, AutoTokenizer, DataCollatorForSeq2Seq,
                          Seq2SeqTrainer, Seq2SeqTrainingArguments)

checkpoint = "google-t5/t5-small"
tokenizer = AutoTokenizer.from_pretrained(checkpoint)
model = AutoModelForSeq2SeqLM.from_pretrained(checkpoint)
billsum = load_dataset("billsum", split="ca_test").train_test_split(test_size=0.2)


def preprocess(examples):
    inputs = ["summarize: " + doc for doc in examples["text"]]
    model_inputs = tokenizer(inputs, max_length=1024, truncation=True)
    model_inputs["labels"] = tokenizer(text_target=examples["summary"], max_length=128, truncation=True)["input_ids"]
    return model_inputs


tokenized = billsum.map(preprocess, batched=True)
trainer = Seq2SeqTrainer(
    model=model,
    args=Seq2SeqTrainingArguments(output_dir="billsum", predict_with_generate=True),
    train_dataset=tokenized["train"],
    eval_dataset=tokenized["test"],
    data_collator=DataCollatorForSeq2Seq(tokenizer=tokenizer, model=checkpoint),
)
trainer.train()
