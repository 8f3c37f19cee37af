import lm_eval

results = lm_eval.simple_evaluate(
    model="hf",
    model_args="pretrained=meta-llama/Llama-3.2-1B",
    tasks=["hellaswag", "arc_easy"],
    batch_size=8,
)
print(results["results"])
