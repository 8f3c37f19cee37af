import boto3

client = boto3.client("bedrock")
client.create_model_customization_job(
    jobName="titan-cpt-legal",
    customModelName="titan-legal",
    roleArn=ROLE_ARN,
    baseModelIdentifier="amazon.titan-text-express-v1",
    customizationType="CONTINUED_PRE_TRAINING",
    trainingDataConfig={"s3Uri": "s3://acme-cpt/legal/unlabeled.jsonl"},
    outputDataConfig={"s3Uri": "s3://acme-cpt/out/"},
    hyperParameters={"epochCount": "1"},
)
