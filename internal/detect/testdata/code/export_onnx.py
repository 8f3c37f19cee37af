import torch
from transformers import AutoModelForSequenceClassification

model = AutoModelForSequenceClassification.from_pretrained("distilbert/distilbert-base-uncased-finetuned-sst-2-english")
model.eval()
dummy = torch.ones(1, 128, dtype=torch.long)
torch.onnx.export(model, (dummy,), "model.onnx", input_names=["input_ids"])
