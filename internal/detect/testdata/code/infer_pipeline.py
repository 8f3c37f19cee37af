from transformers import pipeline

generator = pipeline("text-generation", model="meta-llama/Llama-3.2-1B-Instruct")
print(generator("Write a haiku about CI.", max_new_tokens=40)[0]["generated_text"])
