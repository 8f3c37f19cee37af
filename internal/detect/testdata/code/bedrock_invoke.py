import json

import boto3

rt = boto3.client("bedrock-runtime")
body = json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 200,
                   "messages": [{"role": "user", "content": "Hi"}]})
resp = rt.invoke_model(modelId="anthropic.claude-3-haiku-20240307-v1:0", body=body)
print(json.loads(resp["body"].read()))
