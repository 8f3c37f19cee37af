from datasets import load_dataset
from transformers import AutoTokenizer

old = AutoTokenizer.from_pretrained("gpt2")
ds = load_dataset("code_search_net", "python", split="train")
new = old.train_new_from_iterator((x["whole_func_string"] for x in ds), vocab_size=52000)
new.save_pretrained("code-tokenizer")
