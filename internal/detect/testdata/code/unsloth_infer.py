from unsloth import FastLanguageModel

model, tokenizer = FastLanguageModel.from_pretrained(model_name="lora_model", max_seq_length=2048, load_in_4bit=True)
FastLanguageModel.for_inference(model)
inputs = tokenizer(["Continue the sequence: 1, 1, 2, 3, 5"], return_tensors="pt").to("cuda")
print(tokenizer.batch_decode(model.generate(**inputs, max_new_tokens=64)))
