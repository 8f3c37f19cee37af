from openai import OpenAI

client = OpenAI()
resp = client.chat.completions.create(
    model="gpt-4o-mini",
    messages=[{"role": "system", "content": "You label tickets."}, {"role": "user", "content": "My card was charged twice"}],
    temperature=0,
)
print(resp.choices[0].message.content)
