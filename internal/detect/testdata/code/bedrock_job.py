import boto3

bedrock = boto3.client("bedrock", region_name="us-east-1")
bedrock.create_model_customization_job(
    jobName="claims-ft-001",
    customModelName="claims-haiku",
    roleArn="arn:aws:iam::123456789012:role/BedrockFT",
    baseModelIdentifier="anthropic.claude-3-haiku-20240307-v1:0:200k",
    customizationType="FINE_TUNING",
    trainingDataConfig={"s3Uri": "s3://acme-ft/claims/train.jsonl"},
    outputDataConfig={"s3Uri": "s3://acme-ft/claims/output/"},
    hyperParameters={"epochCount": "2"},
)
