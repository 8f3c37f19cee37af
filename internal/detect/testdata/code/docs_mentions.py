"""Helpers for the fine-tuning docs.

Example::

    trainer = SFTTrainer(model=model, train_dataset=ds)
    trainer.train()
"""

# Previously: model = get_peft_model(model, config)
# client.fine_tuning.jobs.create(training_file=f, model="gpt-4o-mini")


def format_example(prompt: str, answer: str) -> dict:
    """Returns one chat-format training record."""
    return {"messages": [{"role": "user", "content": prompt}, {"role": "assistant", "content": answer}]}
