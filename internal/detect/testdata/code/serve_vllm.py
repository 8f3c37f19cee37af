from vllm import LLM, SamplingParams

llm = LLM(model="meta-llama/Llama-3.1-8B-Instruct", enable_lora=True)
params = SamplingParams(temperature=0.2, max_tokens=128)
for out in llm.generate(["Hello"], params):
    print(out.outputs[0].text)
